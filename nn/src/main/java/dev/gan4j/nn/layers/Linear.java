package dev.gan4j.nn.layers;

import dev.gan4j.autograd.Functional;
import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.Init;
import dev.gan4j.nn.Module;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;

/** {@code y = x W^T + b} with W {@code [out, in]}, initialised like PyTorch's nn.Linear. */
public final class Linear extends Module {

    private final int inFeatures;
    private final int outFeatures;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true, Generator.global());
    }

    public Linear(int inFeatures, int outFeatures, boolean bias, Generator gen) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        Variable w = registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
        Variable b = bias ? registerParameter("bias", Tensor.zeros(outFeatures)) : null;
        Init.pytorchDefault(w, b, gen);
    }

    @Override
    public Variable forward(Variable x) {
        return Functional.linear(x, parameter("weight"), parameter("bias"));
    }

    @Override
    protected String describe() {
        return "in=" + inFeatures + ", out=" + outFeatures + ", bias=" + (parameter("bias") != null);
    }
}
