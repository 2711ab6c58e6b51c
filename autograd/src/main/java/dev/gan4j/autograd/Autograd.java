package dev.gan4j.autograd;

import dev.gan4j.tensor.Storage;
import dev.gan4j.tensor.Tensor;
import dev.gan4j.tensor.profile.Phase;
import dev.gan4j.tensor.profile.Profiler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reverse-mode engine: walks the graph behind some outputs in reverse topological order and
 * applies each node's {@link BackwardRule}. Also holds the thread's grad mode (see {@link #noGrad()}).
 */
public final class Autograd {

    private static final ThreadLocal<Boolean> GRAD_ENABLED = ThreadLocal.withInitial(() -> true);
    private static final ThreadLocal<Boolean> IN_BACKWARD = ThreadLocal.withInitial(() -> false);

    private Autograd() {}

    public static boolean isGradEnabled() {
        return GRAD_ENABLED.get();
    }

    /** Whether the thread is running backward rules, so that nodes recorded now (createGraph) belong to a gradient. */
    static boolean inBackward() {
        return IN_BACKWARD.get();
    }

    /** A scope (use with try-with-resources) in which ops record no graph: inference, optimiser steps. */
    public static Scope noGrad() {
        return setGradEnabled(false);
    }

    /** A scope that turns graph recording on or off, restoring the previous mode on close. */
    public static Scope setGradEnabled(boolean enabled) {
        boolean previous = GRAD_ENABLED.get();
        GRAD_ENABLED.set(enabled);
        return () -> GRAD_ENABLED.set(previous);
    }

    /** A grad-mode scope; closing it restores the previous mode. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Gradients of {@code outputs} (weighted by {@code gradOutputs}; null means ones for scalar outputs)
     * with respect to {@code inputs}, without touching any {@code .grad}. With {@code createGraph} the
     * results carry a graph of their own, so they can be differentiated again (e.g. a gradient penalty).
     * An input the outputs do not depend on is an error.
     */
    public static List<Variable> grad(List<Variable> outputs, List<Variable> inputs, List<Tensor> gradOutputs,
                                      boolean createGraph) {
        return grad(outputs, inputs, gradOutputs, createGraph, false);
    }

    /**
     * {@link #grad(List, List, List, boolean)}; with {@code allowUnused} an input the outputs do not depend
     * on gets a null gradient instead of an error.
     */
    public static List<Variable> grad(List<Variable> outputs, List<Variable> inputs, List<Tensor> gradOutputs,
                                      boolean createGraph, boolean allowUnused) {
        Set<Variable> targets = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Variable input : inputs) {
            if (!input.requiresGrad()) {
                throw new IllegalArgumentException("grad: an input does not require grad: " + input);
            }
            targets.add(input);
        }
        Map<Variable, Variable> grads = run(outputs, gradOutputs, createGraph, createGraph, targets);
        List<Variable> result = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Variable g = grads.get(inputs.get(i));
            if (g == null && !allowUnused) {
                throw new IllegalArgumentException("grad: input " + i + " " + Arrays.toString(inputs.get(i).shape())
                        + " was not used to compute the outputs");
            }
            result.add(g);
        }
        return result;
    }

    /** {@link #grad} for a single output and input with a ones gradient. */
    public static Variable grad(Variable output, Variable input, boolean createGraph) {
        return grad(List.of(output), List.of(input), null, createGraph).get(0);
    }

    /**
     * Accumulates d(root)/d(leaf), weighted by gradRoot, into every leaf's {@code .grad}. A gradient can be
     * a view (a sum's is an expanded scalar) or shared (add passes one tensor to both inputs, or the
     * caller's gradRoot): such a one is copied, so each {@code .grad} is dense and its own.
     */
    static void backward(Variable root, Tensor gradRoot, boolean retainGraph) {
        Map<Variable, Variable> grads = run(List.of(root), Collections.singletonList(gradRoot), false, retainGraph, null);
        Set<Storage> handedOut = Collections.newSetFromMap(new IdentityHashMap<>());
        if (gradRoot != null) handedOut.add(gradRoot.storage());
        try (Profiler.Scope phase = Profiler.phase(Phase.BACKWARD)) {
            grads.forEach((variable, g) -> {
                if (!variable.isLeaf()) return;
                Tensor t = g.data();
                if (t.dense() != t || !handedOut.add(t.storage())) t = t.copy();
                variable.accumulateGrad(t);
            });
        }
    }

    /**
     * Runs the backward pass and returns the gradient of every target (every leaf when
     * {@code targets} is null). Nodes that lead to no target are skipped.
     */
    private static Map<Variable, Variable> run(List<Variable> roots, List<Tensor> rootGrads, boolean createGraph,
                                               boolean retainGraph, Set<Variable> targets) {
        boolean outerBackward = IN_BACKWARD.get();
        IN_BACKWARD.set(true);
        try (Profiler.Scope phase = Profiler.phase(Phase.BACKWARD)) {
            return applyRules(roots, rootGrads, createGraph, retainGraph, targets);
        } finally {
            IN_BACKWARD.set(outerBackward);
        }
    }

    private static Map<Variable, Variable> applyRules(List<Variable> roots, List<Tensor> rootGrads, boolean createGraph,
                                                      boolean retainGraph, Set<Variable> targets) {
        List<Variable> order = topologicalOrder(roots);
        Set<Variable> needed = needed(order, targets);
        Map<Variable, Variable> grads = new IdentityHashMap<>();
        for (int i = 0; i < roots.size(); i++) {
            Variable root = roots.get(i);
            if (!root.requiresGrad()) {
                throw new IllegalArgumentException("backward: output " + i + " does not require grad (no input of it"
                        + " requires grad, or it was computed under noGrad)");
            }
            Tensor seed = rootGrads == null || rootGrads.get(i) == null ? onesFor(root) : rootGrads.get(i);
            if (!Arrays.equals(seed.shape(), root.shape())) {
                throw new IllegalArgumentException("backward: gradient shape " + Arrays.toString(seed.shape())
                        + " does not match output shape " + Arrays.toString(root.shape()));
            }
            accumulate(grads, root, Variable.constant(seed));
        }
        Map<Variable, Variable> results = new IdentityHashMap<>();
        try (Scope ignored = setGradEnabled(createGraph)) {
            for (int k = order.size() - 1; k >= 0; k--) {
                Variable v = order.get(k);
                Variable g = grads.get(v);
                if (g == null) continue;
                if (targets == null ? v.isLeaf() : targets.contains(v)) results.put(v, g);
                Node node = v.node();
                if (node == null) continue;
                Variable[] inputs = node.inputs();
                for (int i = 0; i < inputs.length; i++) {
                    if (!inputs[i].requiresGrad() || !needed.contains(inputs[i])) continue;
                    Variable gi = node.gradFor(i, g, v).sumTo(inputs[i].shape());
                    accumulate(grads, inputs[i], gi);
                }
                grads.remove(v);
                if (!retainGraph) node.release();
            }
        }
        return results;
    }

    private static Tensor onesFor(Variable root) {
        if (root.data().numel() != 1) {
            throw new IllegalArgumentException("backward: output of shape " + Arrays.toString(root.shape())
                    + " is not a scalar; pass a gradient of the same shape");
        }
        return Tensor.onesLike(root.data());
    }

    private static void accumulate(Map<Variable, Variable> grads, Variable v, Variable g) {
        grads.merge(v, g, Variable::add);
    }

    /**
     * Variables reachable from the roots through inputs that require grad, each after all of its
     * inputs (post-order). Iterative, so deep graphs cannot overflow the stack.
     */
    private static List<Variable> topologicalOrder(List<Variable> roots) {
        List<Variable> order = new ArrayList<>();
        Set<Variable> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Variable> stack = new ArrayDeque<>();
        Deque<Integer> nextInput = new ArrayDeque<>();
        for (Variable root : roots) {
            if (!root.requiresGrad() || !visited.add(root)) continue;
            stack.push(root);
            nextInput.push(0);
            while (!stack.isEmpty()) {
                Variable v = stack.peek();
                int i = nextInput.pop();
                Variable[] inputs = v.node() == null ? new Variable[0] : v.node().inputs();
                if (i < inputs.length) {
                    nextInput.push(i + 1);
                    Variable child = inputs[i];
                    if (child.requiresGrad() && visited.add(child)) {
                        stack.push(child);
                        nextInput.push(0);
                    }
                } else {
                    order.add(stack.pop());
                }
            }
        }
        return order;
    }

    /** The variables whose gradient leads to a target (all of them when targets is null). */
    private static Set<Variable> needed(List<Variable> order, Set<Variable> targets) {
        Set<Variable> needed = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Variable v : order) {
            boolean leadsToTarget = targets == null || targets.contains(v);
            if (!leadsToTarget && v.node() != null) {
                for (Variable input : v.node().inputs()) {
                    if (needed.contains(input)) {
                        leadsToTarget = true;
                        break;
                    }
                }
            }
            if (leadsToTarget) needed.add(v);
        }
        return needed;
    }
}
