package dev.gan4j.nn.layers;

import dev.gan4j.autograd.Functional;

/** Averages each channel down to {@code size x size}; size 1 is global average pooling. */
public final class AdaptiveAvgPool2d extends Stateless {

    public AdaptiveAvgPool2d(int size) {
        super("size=" + size, x -> Functional.adaptiveAvgPool2d(x, size));
    }
}
