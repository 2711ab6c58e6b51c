package dev.gan4j.nn.layers;

import dev.gan4j.autograd.Functional;

/** Average pooling over square windows (zero padding counts in the divisor, as PyTorch's default). */
public final class AvgPool2d extends Stateless {

    public AvgPool2d(int kernel, int stride, int padding) {
        super("kernel=" + kernel + ", stride=" + stride + ", padding=" + padding,
                x -> Functional.avgPool2d(x, kernel, stride, padding));
    }
}
