package dev.gan4j.nn.layers;

import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.Module;

import java.util.List;

/** Applies its children in order; they are named "0", "1", ... as in PyTorch's nn.Sequential. */
public final class Sequential extends Module {

    private final List<Module> layers;

    public Sequential(Module... layers) {
        this.layers = List.of(layers);
        for (int i = 0; i < layers.length; i++) registerModule(Integer.toString(i), layers[i]);
    }

    public Module get(int index) {
        return layers.get(index);
    }

    public int size() {
        return layers.size();
    }

    @Override
    public Variable forward(Variable x) {
        Variable y = x;
        for (Module layer : layers) y = layer.forward(y);
        return y;
    }
}
