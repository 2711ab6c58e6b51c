package dev.gan4j.nn.layers;

import dev.gan4j.autograd.Variable;

/** Hyperbolic tangent, the usual generator output layer. */
public final class Tanh extends Stateless {

    public Tanh() {
        super("", Variable::tanh);
    }
}
