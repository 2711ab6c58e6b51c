package dev.gan4j.benchmarks;

import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.MemoryScope;
import dev.gan4j.tensor.Tensor;
import dev.gan4j.tensor.backend.AdamStep;

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
 * One Adam update of a float32 parameter (the DCGAN settings: lr 2e-4, betas 0.5 and 0.999): the fused
 * kernel, in place, against the chain of thirteen elementwise tensor ops it replaced. Sizes: the
 * mnist-mlp-article generator's last weight (1024 x 784) and a 4 Mi-element one. The fused kernel reads
 * four parameter-sized arrays and writes three: divide 28 bytes per element by the time for GB/s.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
@State(Scope.Benchmark)
public class AdamBenchmark {

    private static final AdamStep SETTINGS = new AdamStep(2e-4, 0.5, 0.999, 1e-8, 0, false, 10);

    @Param({"802816", "4194304"})
    public int size;

    private Tensor param;
    private Tensor grad;
    private Tensor expAvg;
    private Tensor expAvgSq;

    @Setup
    public void setup() {
        Generator gen = new Generator(42);
        param = Tensor.randn(gen, size);
        grad = Tensor.randn(gen, size).mul(1e-2);
        expAvg = Tensor.randn(gen, size).mul(1e-3);
        expAvgSq = Tensor.rand(gen, size).mul(1e-4);
    }

    @Benchmark
    public void fused() {
        Tensor.adamStep(param, grad, expAvg, expAvgSq, null, SETTINGS);
    }

    /** What Adam computed before the fused kernel: each op a pass over memory and a fresh output. */
    @Benchmark
    public void opChain(Blackhole bh) {
        try (MemoryScope call = MemoryScope.open()) {
            Tensor m = expAvg.mul(SETTINGS.beta1()).add(grad.mul(1 - SETTINGS.beta1()));
            Tensor v = expAvgSq.mul(SETTINGS.beta2()).add(grad.mul(grad).mul(1 - SETTINGS.beta2()));
            Tensor denom = v.sqrt().div(SETTINGS.biasCorrection2Sqrt()).add(SETTINGS.eps());
            bh.consume(param.sub(m.div(denom).mul(SETTINGS.stepSize())));
        }
    }
}
