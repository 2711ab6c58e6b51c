package dev.gan4j.nn.layers;

import dev.gan4j.autograd.Functional;
import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.Init;
import dev.gan4j.nn.Module;
import dev.gan4j.tensor.ConvParams;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;

/** Transposed 2-D convolution with a square kernel; weight {@code [in, out, k, k]} as in PyTorch. */
public final class ConvTranspose2d extends Module {

    private final ConvParams params;
    private final int outputPadding;

    public ConvTranspose2d(int inChannels, int outChannels, int kernel, int stride, int padding) {
        this(inChannels, outChannels, kernel, ConvParams.of(stride, padding), 0, true, Generator.global());
    }

    public ConvTranspose2d(int inChannels, int outChannels, int kernel, ConvParams params, int outputPadding,
                           boolean bias, Generator gen) {
        this.params = params;
        this.outputPadding = outputPadding;
        Variable w = registerParameter("weight", Tensor.zeros(inChannels, outChannels, kernel, kernel));
        Variable b = bias ? registerParameter("bias", Tensor.zeros(outChannels)) : null;
        Init.pytorchDefault(w, b, gen);
    }

    @Override
    public Variable forward(Variable x) {
        return Functional.convTranspose2d(x, parameter("weight"), parameter("bias"), params, outputPadding, outputPadding);
    }

    @Override
    protected String describe() {
        int[] w = parameter("weight").shape();
        return w[0] + " -> " + w[1] + ", kernel=" + w[2] + ", " + params + ", outputPadding=" + outputPadding
                + ", bias=" + (parameter("bias") != null);
    }
}
