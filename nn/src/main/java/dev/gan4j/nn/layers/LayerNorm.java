package dev.gan4j.nn.layers;

import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.Module;
import dev.gan4j.tensor.Tensor;

import java.util.Arrays;

/**
 * Normalises over the trailing {@code normalizedShape} dims of each sample, built from differentiable
 * ops, so it is twice differentiable (usable in a WGAN-GP critic, unlike batch norm).
 */
public final class LayerNorm extends Module {

    private final int[] normalizedShape;
    private final double eps;

    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean affine) {
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        if (affine) {
            registerParameter("weight", Tensor.ones(normalizedShape));
            registerParameter("bias", Tensor.zeros(normalizedShape));
        }
    }

    @Override
    public Variable forward(Variable x) {
        int lead = x.rank() - normalizedShape.length;
        if (lead < 0 || !Arrays.equals(Arrays.copyOfRange(x.shape(), lead, x.rank()), normalizedShape)) {
            throw new IllegalArgumentException("LayerNorm: input " + Arrays.toString(x.shape())
                    + " does not end with normalized shape " + Arrays.toString(normalizedShape));
        }
        int[] axes = java.util.stream.IntStream.range(lead, x.rank()).toArray();
        Variable centred = x.sub(x.mean(axes, true));
        Variable y = centred.div(centred.mul(centred).mean(axes, true).add(eps).sqrt());
        if (parameter("weight") != null) y = y.mul(parameter("weight")).add(parameter("bias"));
        return y;
    }

    @Override
    protected String describe() {
        return Arrays.toString(normalizedShape) + ", eps=" + eps;
    }
}
