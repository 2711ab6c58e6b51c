package dev.gan4j.nn.layers;

import dev.gan4j.autograd.Functional;

/** Max pooling over square windows. */
public final class MaxPool2d extends Stateless {

    public MaxPool2d(int kernel, int stride, int padding) {
        super("kernel=" + kernel + ", stride=" + stride + ", padding=" + padding,
                x -> Functional.maxPool2d(x, kernel, stride, padding));
    }
}
