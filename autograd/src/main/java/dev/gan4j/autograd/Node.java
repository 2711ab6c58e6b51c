package dev.gan4j.autograd;

import dev.gan4j.tensor.Storage;
import dev.gan4j.tensor.Tensor;

/**
 * The record an op leaves in the graph: its inputs, its backward rule, and the storage versions of
 * what the rule will read. A non-leaf {@link Variable} points to the node that produced it.
 */
final class Node {

    final String op;
    /** Recorded while a backward pass ran with createGraph: a node of a gradient's own graph. */
    final boolean recordedByBackward = Autograd.inBackward();
    private Variable[] inputs;
    private BackwardRule rule;
    final Saves saves;
    private final Storage[] inputStorages;
    private final int[] inputVersions;
    private int outputVersion;

    private Node(String op, Variable[] inputs, BackwardRule rule, Saves saves) {
        this.op = op;
        this.inputs = inputs;
        this.rule = rule;
        this.saves = saves;
        this.inputStorages = new Storage[inputs.length];
        this.inputVersions = new int[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            inputStorages[i] = inputs[i].data().storage();
            inputVersions[i] = inputStorages[i].version();
        }
    }

    /**
     * Wraps an op's result. When gradients are enabled and some input requires one, the result gets a
     * node that remembers how to send its gradient back; otherwise it is a plain constant.
     */
    static Variable record(String op, Tensor value, Saves saves, BackwardRule rule, Variable... inputs) {
        if (!Autograd.isGradEnabled() || !anyRequiresGrad(inputs)) return Variable.constant(value);
        Node node = new Node(op, inputs, rule, saves);
        Variable output = Variable.fromNode(value, node);
        node.outputVersion = value.storage().version();
        return output;
    }

    private static boolean anyRequiresGrad(Variable[] inputs) {
        for (Variable v : inputs) if (v.requiresGrad()) return true;
        return false;
    }

    /** False once a backward pass has freed this node's part of the graph. */
    boolean isLive() {
        return inputs != null;
    }

    Variable[] inputs() {
        if (inputs == null) {
            throw new IllegalStateException("backward through '" + op + "' a second time: its graph was freed after"
                    + " the first backward; pass retainGraph=true to keep it");
        }
        return inputs;
    }

    Variable gradFor(int input, Variable gradOutput, Variable output) {
        checkVersions(output);
        return rule.grad(input, gradOutput, output);
    }

    private void checkVersions(Variable output) {
        if (saves.inputs()) {
            for (int i = 0; i < inputs.length; i++) {
                if (inputs[i].data().storage() != inputStorages[i]) {
                    throw new IllegalStateException("a tensor needed to compute gradients was replaced: input " + i
                            + " of '" + op + "' got new data (setData) after the forward pass");
                }
                checkVersion("input " + i, inputs[i].data().storage().version(), inputVersions[i]);
            }
        }
        if (saves.output()) checkVersion("output", output.data().storage().version(), outputVersion);
    }

    private void checkVersion(String what, int now, int saved) {
        if (now != saved) {
            throw new IllegalStateException("a tensor needed to compute gradients was modified in place: " + what
                    + " of '" + op + "' is at version " + now + ", expected " + saved
                    + " (do the in-place update after backward, or work on a copy)");
        }
    }

    /** Drops the references that keep the graph alive once its backward has run. */
    void release() {
        inputs = null;
        rule = null;
    }
}
