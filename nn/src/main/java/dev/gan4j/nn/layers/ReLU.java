package dev.gan4j.nn.layers;

import dev.gan4j.autograd.Variable;

/** Rectified linear unit: max(x, 0). */
public final class ReLU extends Stateless {

    public ReLU() {
        super("", Variable::relu);
    }
}
