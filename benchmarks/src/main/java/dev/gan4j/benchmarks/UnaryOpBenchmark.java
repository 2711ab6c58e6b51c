package dev.gan4j.benchmarks;

import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.MemoryScope;
import dev.gan4j.tensor.Tensor;
import dev.gan4j.tensor.backend.UnaryOp;

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
 * Ops of the op table side by side on one float32 DCGAN activation ({@code 64x64x16x16}, 4 MiB):
 * ReLU has a plain vectorized loop in RowOps, the others go through their scalar definition in double,
 * so the ratios show what an op costs when its math, not memory, is the bound. An op added to
 * {@link UnaryOp} is measured by adding its name to {@code op}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
@State(Scope.Benchmark)
public class UnaryOpBenchmark {

    @Param({"RELU", "SIGMOID", "TANH", "SOFTPLUS"})
    public UnaryOp op;

    private Tensor x;

    @Setup
    public void setup() {
        x = Tensor.randn(new Generator(42), 64, 64, 16, 16);
    }

    @Benchmark
    public void unary(Blackhole bh) {
        try (MemoryScope call = MemoryScope.open()) {
            bh.consume(x.unary(op));
        }
    }
}
