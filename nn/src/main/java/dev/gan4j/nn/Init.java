package dev.gan4j.nn;

import dev.gan4j.autograd.Variable;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;

/**
 * Weight initialisers, written over a tensor in place. The fan-in/fan-out rule and the defaults
 * follow PyTorch ({@code torch.nn.init}), so a model built here starts from the same distributions.
 */
public final class Init {

    private Init() {}

    /** PyTorch's fan-in: dim 1 times the receptive field (so a transposed conv's fan-in is its out-channels). */
    public static int fanIn(Tensor w) {
        return w.rank() < 2 ? w.numel() : w.size(1) * receptiveField(w);
    }

    public static int fanOut(Tensor w) {
        return w.rank() < 2 ? w.numel() : w.size(0) * receptiveField(w);
    }

    private static int receptiveField(Tensor w) {
        return w.numel() / Math.max(1, w.size(0) * w.size(1));
    }

    public static void uniform(Tensor t, double low, double high, Generator gen) {
        t.assign(Tensor.uniform(gen, low, high, t.dtype(), t.device(), t.shape()));
    }

    public static void normal(Tensor t, double mean, double std, Generator gen) {
        t.assign(Tensor.normal(gen, mean, std, t.dtype(), t.device(), t.shape()));
    }

    public static void constant(Tensor t, double value) {
        t.fill(value);
    }

    /** Kaiming (He) uniform with fan-in and leaky-ReLU slope {@code a}: bound = sqrt(6 / ((1 + a^2) fanIn)). */
    public static void kaimingUniform(Tensor w, double a, Generator gen) {
        double bound = Math.sqrt(6.0 / ((1 + a * a) * fanIn(w)));
        uniform(w, -bound, bound, gen);
    }

    /** Kaiming normal with fan-in: std = sqrt(2 / ((1 + a^2) fanIn)). */
    public static void kaimingNormal(Tensor w, double a, Generator gen) {
        normal(w, 0, Math.sqrt(2.0 / ((1 + a * a) * fanIn(w))), gen);
    }

    public static void xavierUniform(Tensor w, double gain, Generator gen) {
        double bound = gain * Math.sqrt(6.0 / (fanIn(w) + fanOut(w)));
        uniform(w, -bound, bound, gen);
    }

    public static void xavierNormal(Tensor w, double gain, Generator gen) {
        normal(w, 0, gain * Math.sqrt(2.0 / (fanIn(w) + fanOut(w))), gen);
    }

    /**
     * PyTorch's default for Linear and Conv layers: weight kaiming_uniform(a = sqrt(5)), i.e.
     * U(-1/sqrt(fanIn), 1/sqrt(fanIn)), and bias U(-1/sqrt(fanIn), 1/sqrt(fanIn)).
     */
    public static void pytorchDefault(Variable weight, Variable bias, Generator gen) {
        kaimingUniform(weight.data(), Math.sqrt(5), gen);
        if (bias != null) {
            double bound = 1 / Math.sqrt(fanIn(weight.data()));
            uniform(bias.data(), -bound, bound, gen);
        }
    }
}
