package dev.gan4j.nn.layers;

import dev.gan4j.autograd.Variable;

/** Logistic sigmoid 1 / (1 + exp(-x)). */
public final class Sigmoid extends Stateless {

    public Sigmoid() {
        super("", Variable::sigmoid);
    }
}
