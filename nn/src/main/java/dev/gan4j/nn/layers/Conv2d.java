package dev.gan4j.nn.layers;

import dev.gan4j.autograd.Functional;
import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.Init;
import dev.gan4j.nn.Module;
import dev.gan4j.tensor.ConvParams;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;

/** 2-D convolution with a square kernel; weight {@code [out, in, k, k]} as in PyTorch. */
public final class Conv2d extends Module {

    private final ConvParams params;

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding) {
        this(inChannels, outChannels, kernel, ConvParams.of(stride, padding), true, Generator.global());
    }

    public Conv2d(int inChannels, int outChannels, int kernel, ConvParams params, boolean bias, Generator gen) {
        this.params = params;
        Variable w = registerParameter("weight", Tensor.zeros(outChannels, inChannels, kernel, kernel));
        Variable b = bias ? registerParameter("bias", Tensor.zeros(outChannels)) : null;
        Init.pytorchDefault(w, b, gen);
    }

    @Override
    public Variable forward(Variable x) {
        return Functional.conv2d(x, parameter("weight"), parameter("bias"), params);
    }

    @Override
    protected String describe() {
        int[] w = parameter("weight").shape();
        return w[1] + " -> " + w[0] + ", kernel=" + w[2] + ", " + params + ", bias=" + (parameter("bias") != null);
    }
}
