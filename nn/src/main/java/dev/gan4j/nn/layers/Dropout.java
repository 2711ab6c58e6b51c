package dev.gan4j.nn.layers;

import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.Module;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;

/** Zeroes each element with probability p during training and scales the rest by 1/(1-p); seeded. */
public final class Dropout extends Module {

    private final double p;
    private final Generator gen;

    public Dropout(double p) {
        this(p, Generator.global());
    }

    public Dropout(double p, Generator gen) {
        if (p < 0 || p >= 1) throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        this.p = p;
        this.gen = gen;
    }

    @Override
    public Variable forward(Variable x) {
        if (!isTraining() || p == 0) return x;
        Tensor keep = Tensor.uniform(gen, 0, 1, x.dtype(), x.device(), x.shape()).ge(p).div(1 - p);
        return x.mul(Variable.constant(keep));
    }

    @Override
    protected String describe() {
        return "p=" + p;
    }
}
