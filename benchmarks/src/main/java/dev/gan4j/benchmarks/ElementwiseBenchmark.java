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
 * Elementwise ops and a reduction on DCGAN activations {@code NxCxHxW} (mnist D2 {@code 64x64x7x7},
 * cifar D1 {@code 64x64x16x16}), float32: a per-channel bias add broadcasting {@code [1, C, 1, 1]}
 * over x, leaky ReLU (slope 0.2), and the sum of every element. Each is one pass over x (plus the
 * output write): divide x's bytes by the time for GB/s; one FLOP per element.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
@State(Scope.Benchmark)
public class ElementwiseBenchmark {

    @Param({"64x64x7x7", "64x64x16x16"})
    public String shape;

    private Tensor x;
    private Tensor bias;

    @Setup
    public void setup() {
        int[] dims = Shapes.parse(shape);
        Generator gen = new Generator(42);
        x = Tensor.randn(gen, dims);
        bias = Tensor.randn(gen, 1, dims[1], 1, 1);
    }

    @Benchmark
    public void addBroadcast(Blackhole bh) {
        try (MemoryScope call = MemoryScope.open()) {
            bh.consume(x.add(bias));
        }
    }

    @Benchmark
    public void leakyRelu(Blackhole bh) {
        try (MemoryScope call = MemoryScope.open()) {
            bh.consume(x.leakyRelu(0.2));
        }
    }

    @Benchmark
    public void sum(Blackhole bh) {
        try (MemoryScope call = MemoryScope.open()) {
            bh.consume(x.sum().item());
        }
    }
}
