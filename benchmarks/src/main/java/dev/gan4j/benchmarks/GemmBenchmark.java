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
 * float32 {@code C [M x N] = op(A) [M x K] * op(B) [K x N]} through {@link Tensor#matmul}.
 * {@code shape} reads {@code ops:MxNxK}, where {@code ops} says whether A and B are transposed
 * views ({@code t}) or plain ({@code n}). FLOPs = {@code 2*M*N*K}.
 *
 * <p>Besides squares, the shapes are the GEMMs a DCGAN step lowers its convolutions to, for the
 * whole batch of 64 (im2col: K = inChannels*k*k taps, N = 64 * output pixels):
 * <pre>
 *   nn:64x3136x512   mnist D2 / G2 forward-type    (W [64 x 512] * cols [512 x 64*49])
 *   tn:512x3136x64   mnist D2 input gradient       (W^T * gy, before col2im)
 *   nt:64x512x3136   mnist D2 weight gradient      (gy * cols^T)
 *   nn:32x12544x16   mnist D1 forward              (1 channel, 14x14 outputs)
 *   nt:32x16x12544   mnist D1 weight gradient
 *   tn:3136x64x100   mnist G1 forward              (latent 100 -> 64 x 7 x 7)
 *   nn:128x4096x1024 cifar D2 forward
 *   nn:256x1024x2048 cifar D3 forward
 *   nt:256x2048x1024 cifar D3 weight gradient
 * </pre>
 *
 * <p>Every benchmark here runs its op in a {@link MemoryScope}, as a training step does, so its output
 * comes from the backend's buffer cache and goes back at the scope's close, as PyTorch's allocator reuses a
 * freed block. Without the scope each call allocates a fresh array, which the JVM zeroes first: 4% of an
 * n = 1024 product (measured on a 2-core AMD EPYC), a cost no training step pays.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
@State(Scope.Benchmark)
public class GemmBenchmark {

    @Param({"nn:256x256x256", "nn:512x512x512", "nn:1024x1024x1024",
            "nn:64x3136x512", "tn:512x3136x64", "nt:64x512x3136",
            "nn:32x12544x16", "nt:32x16x12544", "tn:3136x64x100",
            "nn:128x4096x1024", "nn:256x1024x2048", "nt:256x2048x1024"})
    public String shape;

    private Tensor a;
    private Tensor b;

    @Setup
    public void setup() {
        String[] parts = shape.split(":");
        String[] dims = parts[1].split("x");
        int m = Integer.parseInt(dims[0]), n = Integer.parseInt(dims[1]), k = Integer.parseInt(dims[2]);
        Generator gen = new Generator(42);
        a = parts[0].charAt(0) == 't' ? Tensor.randn(gen, k, m).t() : Tensor.randn(gen, m, k);
        b = parts[0].charAt(1) == 't' ? Tensor.randn(gen, n, k).t() : Tensor.randn(gen, k, n);
    }

    @Benchmark
    public void matmul(Blackhole bh) {
        try (MemoryScope call = MemoryScope.open()) {
            bh.consume(a.matmul(b));
        }
    }
}
