package dev.gan4j.nn.layers;

import dev.gan4j.autograd.Functional;

/** Nearest-neighbour upsampling by an integer factor. */
public final class Upsample extends Stateless {

    public Upsample(int scale) {
        super("scale=" + scale + ", mode=nearest", x -> Functional.upsampleNearest(x, scale));
    }
}
