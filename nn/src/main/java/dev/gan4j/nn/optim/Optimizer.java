package dev.gan4j.nn.optim;

import dev.gan4j.autograd.Autograd;
import dev.gan4j.autograd.Variable;
import dev.gan4j.tensor.MemoryScope;
import dev.gan4j.tensor.Tensor;
import dev.gan4j.tensor.profile.Phase;
import dev.gan4j.tensor.profile.Profiler;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Updates parameters from their {@code .grad}. Subclasses write one rule, {@link #update}, with the
 * same formulas as PyTorch's optimisers; per-parameter state (moments, buffers) lives in named tensors
 * so it can be saved in a checkpoint and restored exactly.
 */
public abstract class Optimizer {

    private static final String PARAM_STEP = "step";

    protected final List<Variable> params;
    private final List<Map<String, Tensor>> state;
    /** Per-parameter step counts: like PyTorch's {@code state['step']}, they advance only when the parameter has a gradient. */
    private final long[] paramSteps;
    private long steps;

    protected Optimizer(List<Variable> params) {
        if (params.isEmpty()) throw new IllegalArgumentException("optimizer: empty parameter list");
        Set<Variable> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < params.size(); i++) {
            if (!distinct.add(params.get(i))) {
                throw new IllegalArgumentException("optimizer: parameter " + i + " " + Arrays.toString(params.get(i).shape())
                        + " appears more than once in the list (it would be updated twice per step)");
            }
        }
        this.params = List.copyOf(params);
        this.state = params.stream().map(p -> (Map<String, Tensor>) new LinkedHashMap<String, Tensor>()).toList();
        this.paramSteps = new long[params.size()];
    }

    /** One update of every parameter that has a gradient; runs without recording a graph. */
    public void step() {
        steps++;
        try (Autograd.Scope ignored = Autograd.noGrad(); Profiler.Scope phase = Profiler.phase(Phase.OPTIMIZER)) {
            for (int i = 0; i < params.size(); i++) {
                Variable p = params.get(i);
                if (p.grad() == null) continue;
                Map<String, Tensor> before = Map.copyOf(state.get(i));
                Tensor updated = update(p.data(), p.grad(), state.get(i), ++paramSteps[i]);
                if (updated != p.data()) p.data().assign(updated);
                outliveStep(before, state.get(i));
            }
        }
    }

    /**
     * State tensors outlive the step's {@link MemoryScope}; a state tensor a rule replaced is released,
     * so next step's new one reuses its buffer instead of growing the heap. (So the tensors of a
     * {@link #stateDict()} hold their values until the next step, which replaces or overwrites them;
     * {@link #loadStateDict} takes copies.)
     */
    private static void outliveStep(Map<String, Tensor> before, Map<String, Tensor> after) {
        after.forEach((name, now) -> {
            Tensor previous = before.get(name);
            if (previous == now) return;
            MemoryScope.persist(now);
            if (previous != null && previous.storage() != now.storage()) previous.storage().release();
        });
    }

    /**
     * Returns the new value of a parameter, or the parameter itself once the rule has updated it in place
     * (a fused kernel, as {@link Adam} does). {@code state} is this parameter's own state (initially
     * empty); {@code step} counts, from 1, the steps in which this parameter had a gradient (PyTorch's
     * per-parameter {@code state['step']}, which Adam's bias correction uses).
     */
    protected abstract Tensor update(Tensor param, Tensor grad, Map<String, Tensor> state, long step);

    public void zeroGrad() {
        params.forEach(Variable::zeroGrad);
    }

    /** The number of calls to {@link #step()}. */
    public long steps() {
        return steps;
    }

    /** The learning rate (schedules may change it between steps). */
    public abstract double learningRate();

    public abstract void setLearningRate(double lr);

    /**
     * State as flat named tensors: {@code state.<param index>.<name>}, each updated parameter's own step
     * count {@code state.<param index>.step} (a scalar), and the number of {@link #step()} calls {@code step}.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < state.size(); i++) {
            int index = i;
            if (paramSteps[i] > 0) out.put("state." + index + "." + PARAM_STEP, Tensor.fromArray(new double[] {paramSteps[i]}));
            state.get(i).forEach((k, v) -> out.put("state." + index + "." + k, v));
        }
        out.put("step", Tensor.fromArray(new double[] {steps}));
        return out;
    }

    /**
     * Restores {@link #stateDict()} output; shapes are checked before anything changes. A parameter with
     * state but no saved step count of its own (files written before those counts were saved) takes the
     * global {@code step}.
     */
    public void loadStateDict(Map<String, Tensor> saved) {
        Tensor step = saved.get("step");
        if (step == null) throw new IllegalArgumentException("optimizer state: missing key 'step'");
        List<Map<String, Tensor>> restored = params.stream().map(p -> (Map<String, Tensor>) new HashMap<String, Tensor>())
                .toList();
        long[] restoredSteps = new long[params.size()];
        TreeSet<String> unexpected = new TreeSet<>();
        saved.forEach((key, value) -> {
            if (key.equals("step")) return;
            String[] parts = key.split("\\.", 3);
            int index = parts.length == 3 && parts[0].equals("state") ? parseIndex(parts[1]) : -1;
            if (index < 0 || index >= params.size()) {
                unexpected.add(key);
                return;
            }
            if (parts[2].equals(PARAM_STEP)) {
                if (value.numel() != 1) {
                    throw new IllegalArgumentException("optimizer state: '" + key + "' has shape "
                            + Arrays.toString(value.shape()) + " but a step count is a single number");
                }
                restoredSteps[index] = (long) value.item();
                return;
            }
            if (!Arrays.equals(value.shape(), params.get(index).shape())) {
                throw new IllegalArgumentException("optimizer state: '" + key + "' has shape "
                        + Arrays.toString(value.shape()) + " but parameter " + index + " has "
                        + Arrays.toString(params.get(index).shape()));
            }
            // A private copy: the optimiser releases its state buffers as it replaces them (see outliveStep).
            Tensor own = value.to(params.get(index).dtype()).to(params.get(index).device()).copy();
            restored.get(index).put(parts[2], MemoryScope.persist(own));
        });
        if (!unexpected.isEmpty()) throw new IllegalArgumentException("optimizer state: unexpected keys " + unexpected);
        steps = (long) step.item();
        for (int i = 0; i < state.size(); i++) {
            state.get(i).clear();
            state.get(i).putAll(restored.get(i));
            paramSteps[i] = restoredSteps[i] > 0 || restored.get(i).isEmpty() ? restoredSteps[i] : steps;
        }
    }

    private static int parseIndex(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
