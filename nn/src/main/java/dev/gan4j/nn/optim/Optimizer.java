package dev.gan4j.nn.optim;

import dev.gan4j.autograd.Autograd;
import dev.gan4j.autograd.Variable;
import dev.gan4j.tensor.Tensor;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Updates parameters from their {@code .grad}. Subclasses write one rule, {@link #update}, with the
 * same formulas as PyTorch's optimisers; per-parameter state (moments, buffers) lives in named tensors
 * so it can be saved in a checkpoint and restored exactly.
 */
public abstract class Optimizer {

    protected final List<Variable> params;
    private final List<Map<String, Tensor>> state;
    private long steps;

    protected Optimizer(List<Variable> params) {
        if (params.isEmpty()) throw new IllegalArgumentException("optimizer: empty parameter list");
        this.params = List.copyOf(params);
        this.state = params.stream().map(p -> (Map<String, Tensor>) new LinkedHashMap<String, Tensor>()).toList();
    }

    /** One update of every parameter that has a gradient; runs without recording a graph. */
    public void step() {
        steps++;
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            for (int i = 0; i < params.size(); i++) {
                Variable p = params.get(i);
                if (p.grad() == null) continue;
                Tensor updated = update(p.data(), p.grad(), state.get(i), steps);
                p.data().assign(updated);
            }
        }
    }

    /**
     * Returns the new value of a parameter. {@code state} is this parameter's own state (initially
     * empty); {@code step} counts calls to {@link #step()} from 1.
     */
    protected abstract Tensor update(Tensor param, Tensor grad, Map<String, Tensor> state, long step);

    public void zeroGrad() {
        params.forEach(Variable::zeroGrad);
    }

    public long steps() {
        return steps;
    }

    /** The learning rate (schedules may change it between steps). */
    public abstract double learningRate();

    public abstract void setLearningRate(double lr);

    /** State as flat named tensors: {@code state.<param index>.<name>} and {@code step}. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < state.size(); i++) {
            int index = i;
            state.get(i).forEach((k, v) -> out.put("state." + index + "." + k, v));
        }
        out.put("step", Tensor.fromArray(new double[] {steps}));
        return out;
    }

    /** Restores {@link #stateDict()} output; shapes are checked before anything changes. */
    public void loadStateDict(Map<String, Tensor> saved) {
        Tensor step = saved.get("step");
        if (step == null) throw new IllegalArgumentException("optimizer state: missing key 'step'");
        List<Map<String, Tensor>> restored = params.stream().map(p -> (Map<String, Tensor>) new HashMap<String, Tensor>())
                .toList();
        TreeSet<String> unexpected = new TreeSet<>();
        saved.forEach((key, value) -> {
            if (key.equals("step")) return;
            String[] parts = key.split("\\.", 3);
            int index = parts.length == 3 && parts[0].equals("state") ? parseIndex(parts[1]) : -1;
            if (index < 0 || index >= params.size()) {
                unexpected.add(key);
                return;
            }
            if (!Arrays.equals(value.shape(), params.get(index).shape())) {
                throw new IllegalArgumentException("optimizer state: '" + key + "' has shape "
                        + Arrays.toString(value.shape()) + " but parameter " + index + " has "
                        + Arrays.toString(params.get(index).shape()));
            }
            restored.get(index).put(parts[2], value.to(params.get(index).dtype()).to(params.get(index).device()));
        });
        if (!unexpected.isEmpty()) throw new IllegalArgumentException("optimizer state: unexpected keys " + unexpected);
        for (int i = 0; i < state.size(); i++) {
            state.get(i).clear();
            state.get(i).putAll(restored.get(i));
        }
        steps = (long) step.item();
    }

    private static int parseIndex(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
