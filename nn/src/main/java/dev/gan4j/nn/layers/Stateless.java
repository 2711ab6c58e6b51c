package dev.gan4j.nn.layers;

import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.Module;

import java.util.function.UnaryOperator;

/** A layer without parameters: just a function of its input (activations, reshapes, pooling). */
public class Stateless extends Module {

    private final String settings;
    private final UnaryOperator<Variable> function;

    protected Stateless(String settings, UnaryOperator<Variable> function) {
        this.settings = settings;
        this.function = function;
    }

    @Override
    public Variable forward(Variable x) {
        return function.apply(x);
    }

    @Override
    protected String describe() {
        return settings;
    }
}
