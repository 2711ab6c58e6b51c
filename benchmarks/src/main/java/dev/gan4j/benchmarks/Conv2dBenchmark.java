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
 * The three passes of every conv / transposed-conv layer of the DCGAN presets and mnist-upsample (see
 * {@link DcganLayers}), float32, batch 64, through the public {@link Tensor} ops a training step
 * uses, each in a {@link MemoryScope} as a step's are (see {@link GemmBenchmark}). For a transposed conv, "forward"
 * is {@code convTranspose2d}, "backwardInput" its input gradient (a conv2d) and "backwardWeight"
 * its weight gradient. GFLOP/s = {@code DcganLayers.flops() / 1e9 / seconds}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
@State(Scope.Benchmark)
public class Conv2dBenchmark {

    @Param({"mnist.G1", "mnist.G2", "mnist.G3", "mnist.D1", "mnist.D2", "mnist.D3",
            "cifar.G1", "cifar.G2", "cifar.G3", "cifar.G4", "cifar.D1", "cifar.D2", "cifar.D3", "cifar.D4",
            "up.G1", "up.G2", "up.G3", "up.D1", "up.D2", "up.D3"})
    public String layer;

    @Param({"forward", "backwardInput", "backwardWeight"})
    public String pass;

    private DcganLayers l;
    private Tensor x;
    private Tensor w;
    private Tensor gy;

    @Setup
    public void setup() {
        l = DcganLayers.of(layer);
        Generator gen = new Generator(42);
        x = Tensor.randn(gen, l.inputShape());
        w = Tensor.randn(gen, l.weightShape()).mul(0.02);
        gy = Tensor.randn(gen, l.outputShape());
    }

    @Benchmark
    public void run(Blackhole bh) {
        try (MemoryScope call = MemoryScope.open()) {
            bh.consume(switch (pass) {
                case "forward" -> l.transposed()
                        ? Tensor.convTranspose2d(x, w, null, l.params(), 0, 0)
                        : Tensor.conv2d(x, w, null, l.params());
                case "backwardInput" -> l.transposed()
                        ? Tensor.conv2d(gy, w, null, l.params())
                        : Tensor.conv2dBackwardInput(gy, w, x.shape(), l.params());
                case "backwardWeight" -> l.transposed()
                        ? Tensor.conv2dBackwardWeight(gy, x, w.shape(), l.params())
                        : Tensor.conv2dBackwardWeight(x, gy, w.shape(), l.params());
                default -> throw new IllegalArgumentException("unknown pass " + pass);
            });
        }
    }
}
