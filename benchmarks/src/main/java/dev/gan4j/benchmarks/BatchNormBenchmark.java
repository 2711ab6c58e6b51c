package dev.gan4j.benchmarks;

import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.MemoryScope;
import dev.gan4j.tensor.Tensor;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Training-mode batch norm (affine, running statistics updated) and its backward, float32, on the
 * activations of the DCGAN presets' BatchNorm2d layers, {@code NxCxHxW}:
 * mnist G1/D2 {@code 64x64x7x7}, mnist G2 {@code 64x32x14x14}, cifar G1/D3 {@code 64x256x4x4},
 * cifar G2/D2 {@code 64x128x8x8}, cifar G3 {@code 64x64x16x16}. Memory-bound: forward reads x
 * twice for the statistics, then reads x and writes y; backward reads x and gy twice and writes gx.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
@State(Scope.Benchmark)
public class BatchNormBenchmark {

    @Param({"64x64x7x7", "64x32x14x14", "64x256x4x4", "64x128x8x8", "64x64x16x16"})
    public String shape;

    private Tensor x;
    private Tensor gy;
    private Tensor gamma;
    private Tensor beta;
    private Tensor runningMean;
    private Tensor runningVar;
    private Tensor.BatchNormResult saved;

    @Setup
    public void setup() {
        int[] dims = Shapes.parse(shape);
        Generator gen = new Generator(42);
        x = Tensor.randn(gen, dims);
        gy = Tensor.randn(gen, dims);
        gamma = Tensor.rand(gen, dims[1]);
        beta = Tensor.randn(gen, dims[1]);
        runningMean = Tensor.zeros(dims[1]);
        runningVar = Tensor.ones(dims[1]);
        saved = Tensor.batchNormTraining(x, gamma, beta, runningMean, runningVar, 0.1, 1e-5);
    }

    @Benchmark
    public void forward(Blackhole bh) {
        try (MemoryScope call = MemoryScope.open()) {
            bh.consume(Tensor.batchNormTraining(x, gamma, beta, runningMean, runningVar, 0.1, 1e-5));
        }
    }

    @Benchmark
    public void backward(Blackhole bh) {
        try (MemoryScope call = MemoryScope.open()) {
            bh.consume(Tensor.batchNormBackward(x, gy, gamma, saved.mean(), saved.invStd()));
        }
    }
}
