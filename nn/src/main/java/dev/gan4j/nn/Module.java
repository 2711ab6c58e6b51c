package dev.gan4j.nn;

import dev.gan4j.autograd.Variable;
import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A building block of a network: it owns named parameters (trainable leaves), buffers (state such as
 * running statistics) and child modules. Names nest with dots exactly like PyTorch's state_dict keys
 * ({@code main.0.weight}, {@code main.1.running_mean}), so checkpoints can be exchanged with PyTorch.
 */
public abstract class Module {

    private final Map<String, Variable> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    public abstract Variable forward(Variable x);

    // ---- registration (called from subclass constructors) ----

    protected Variable registerParameter(String name, Tensor value) {
        Variable p = Variable.of(value, true);
        parameters.put(checkName(name), p);
        return p;
    }

    protected Tensor registerBuffer(String name, Tensor value) {
        buffers.put(checkName(name), value);
        return value;
    }

    protected <M extends Module> M registerModule(String name, M module) {
        children.put(checkName(name), module);
        return module;
    }

    private String checkName(String name) {
        if (name.isEmpty() || name.contains(".") || parameters.containsKey(name) || buffers.containsKey(name)
                || children.containsKey(name)) {
            throw new IllegalArgumentException("module: invalid or duplicate member name '" + name + "'");
        }
        return name;
    }

    /** The parameter registered under a local name, or null. */
    protected Variable parameter(String name) {
        return parameters.get(name);
    }

    /** The buffer registered under a local name (buffers can be replaced by {@link #to} or loading). */
    protected Tensor buffer(String name) {
        return buffers.get(name);
    }

    // ---- traversal ----

    /** The direct children by name, in registration order (read-only). */
    public Map<String, Module> children() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(children));
    }

    /**
     * Every parameter of this module and its descendants, by dotted name, in registration order. A
     * parameter reachable under several names (a module shared between two places) is listed once, under
     * its first name, as PyTorch's named_parameters() does; {@link #stateDict()} keeps every name.
     */
    public Map<String, Variable> namedParameters() {
        Map<String, Variable> all = new LinkedHashMap<>();
        collectNamed("", all, new LinkedHashMap<>());
        return firstNames(all);
    }

    /** Every buffer by dotted name, each listed once (see {@link #namedParameters()}). */
    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        collectNamed("", new LinkedHashMap<>(), all);
        return firstNames(all);
    }

    /** Every parameter and buffer under every dotted name, in registration order. */
    private void collectNamed(String prefix, Map<String, Variable> params, Map<String, Tensor> bufs) {
        parameters.forEach((k, v) -> params.put(prefix + k, v));
        buffers.forEach((k, v) -> bufs.put(prefix + k, v));
        children.forEach((k, c) -> c.collectNamed(prefix + k + ".", params, bufs));
    }

    private static <T> Map<String, T> firstNames(Map<String, T> all) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<String, T> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (seen.add(v)) out.put(k, v);
        });
        return out;
    }

    public List<Variable> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Every module in the tree, this one first (depth-first). */
    public List<Module> modules() {
        List<Module> out = new ArrayList<>();
        out.add(this);
        for (Module child : children.values()) out.addAll(child.modules());
        return out;
    }

    public long parameterCount() {
        return parameters().stream().mapToLong(p -> p.data().numel()).sum();
    }

    // ---- modes and devices ----

    public boolean isTraining() {
        return training;
    }

    /** Training mode (batch statistics, dropout on) for this module and its children. */
    public Module train() {
        return setTraining(true);
    }

    /** Evaluation mode (running statistics, dropout off). */
    public Module eval() {
        return setTraining(false);
    }

    private Module setTraining(boolean on) {
        training = on;
        children.values().forEach(c -> c.setTraining(on));
        return this;
    }

    public void zeroGrad() {
        parameters().forEach(Variable::zeroGrad);
    }

    /** Moves parameters and buffers to a device (and/or dtype), in place. */
    public Module to(Device device) {
        parameters.values().forEach(p -> p.setData(p.data().to(device)));
        buffers.replaceAll((k, b) -> b.to(device));
        children.values().forEach(c -> c.to(device));
        return this;
    }

    public Module to(DType dtype) {
        parameters.values().forEach(p -> p.setData(p.data().to(dtype)));
        buffers.replaceAll((k, b) -> b.to(dtype));
        children.values().forEach(c -> c.to(dtype));
        return this;
    }

    // ---- state dict ----

    /** Parameters and buffers by dotted name (the live tensors, not copies). */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        parameters.forEach((k, v) -> out.put(prefix + k, v.data()));
        buffers.forEach((k, v) -> out.put(prefix + k, v));
        children.forEach((k, c) -> c.collectState(prefix + k + ".", out));
    }

    /**
     * Copies values into this module's parameters and buffers. Everything is checked first (missing
     * and, when {@code strict}, unexpected keys; shapes; dtypes), so a failure leaves the module untouched.
     */
    public void loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = stateDict();
        Set<String> missing = new TreeSet<>(own.keySet());
        missing.removeAll(state.keySet());
        Set<String> unexpected = new TreeSet<>(state.keySet());
        unexpected.removeAll(own.keySet());
        if (!strict) unexpected.clear();
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            // Both lists at once, as PyTorch does: a renamed layer shows up as one missing and one unexpected key.
            throw new IllegalArgumentException("load_state_dict: "
                    + (missing.isEmpty() ? "" : "missing keys " + missing + (unexpected.isEmpty() ? "" : "; "))
                    + (unexpected.isEmpty() ? "" : "unexpected keys " + unexpected));
        }
        own.forEach((key, target) -> {
            Tensor source = state.get(key);
            if (!Arrays.equals(source.shape(), target.shape())) {
                throw new IllegalArgumentException("load_state_dict: shape mismatch for '" + key + "': checkpoint has "
                        + Arrays.toString(source.shape()) + ", module has " + Arrays.toString(target.shape()));
            }
            if (source.dtype() != target.dtype()) {
                throw new IllegalArgumentException("load_state_dict: dtype mismatch for '" + key + "': checkpoint has "
                        + source.dtype() + ", module has " + target.dtype());
            }
        });
        own.forEach((key, target) -> target.assign(state.get(key).to(target.device())));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('(').append(describe());
        if (!children.isEmpty()) {
            sb.append('\n');
            children.forEach((k, c) -> sb.append("  (").append(k).append("): ")
                    .append(c.toString().replace("\n", "\n  ")).append('\n'));
        }
        return sb.append(')').toString();
    }

    /** A one-line summary of this module's own settings, for {@link #toString()}. */
    protected String describe() {
        return "";
    }
}
