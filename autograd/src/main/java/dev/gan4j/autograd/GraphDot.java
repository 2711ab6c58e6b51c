package dev.gan4j.autograd;

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
 * Draws the autograd graph behind a variable in Graphviz's DOT language, for reading rather than for
 * running: one box per recorded op (its name, its output's shape, and which of its values the backward
 * rule saved), one ellipse per leaf (parameters by name, inputs that need no gradient in grey), an arrow
 * from every input to the op that consumed it. Ops recorded <em>by a backward pass</em> with createGraph
 * are orange: they form the graph of a gradient, which a second backward runs through (WGAN-GP's
 * penalty). Render with {@code dot -Tsvg graph.dot -o graph.svg}.
 */
public final class GraphDot {

    private GraphDot() {}

    /** The graph behind {@code output}; leaves are labelled by shape only. */
    public static String render(Variable output) {
        return render(output, Map.of());
    }

    /**
     * The graph behind {@code output}, with leaves found in {@code names} labelled by name (e.g. a
     * module's {@code namedParameters()}). Must be called before a backward pass frees the graph.
     */
    public static String render(Variable output, Map<Variable, String> names) {
        List<Variable> variables = reachable(output);
        Map<Variable, String> ids = new IdentityHashMap<>();
        for (Variable v : variables) ids.put(v, "v" + ids.size());
        Map<Variable, String> byIdentity = new IdentityHashMap<>(names);

        StringBuilder dot = new StringBuilder();
        dot.append("digraph autograd {\n");
        dot.append("  node [fontname=\"Helvetica\", fontsize=10];\n");
        dot.append("  edge [arrowsize=0.6];\n");
        for (Variable v : variables) dot.append("  ").append(ids.get(v)).append(' ').append(attributes(v, byIdentity)).append(";\n");
        for (Variable v : variables) {
            if (v.node() == null) continue;
            for (Variable input : v.node().inputs()) {
                dot.append("  ").append(ids.get(input)).append(" -> ").append(ids.get(v)).append(";\n");
            }
        }
        dot.append("}\n");
        return dot.toString();
    }

    /** The output and every variable it was computed from, each once. */
    private static List<Variable> reachable(Variable output) {
        List<Variable> order = new ArrayList<>();
        Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Variable> stack = new ArrayDeque<>();
        stack.push(output);
        seen.add(output);
        while (!stack.isEmpty()) {
            Variable v = stack.pop();
            order.add(v);
            Node node = v.node();
            if (node == null) continue;
            if (!node.isLive()) {
                throw new IllegalStateException("graph export: the graph through '" + node.op + "' was freed by a"
                        + " backward pass; export it before backward (or run backward with retainGraph)");
            }
            for (Variable input : node.inputs()) {
                if (seen.add(input)) stack.push(input);
            }
        }
        return order;
    }

    private static String attributes(Variable v, Map<Variable, String> names) {
        String shape = Arrays.toString(v.shape());
        Node node = v.node();
        if (node == null) {
            String name = names.getOrDefault(v, v.requiresGrad() ? "leaf" : "constant");
            return "[shape=ellipse, style=filled, fillcolor=" + (v.requiresGrad() ? "\"#c8e6c9\"" : "\"#eeeeee\"")
                    + ", label=" + quote(name + "\n" + shape) + "]";
        }
        StringBuilder label = new StringBuilder(node.op).append('\n').append(shape);
        String saved = saved(node, v);
        if (!saved.isEmpty()) label.append("\nsaved: ").append(saved);
        if (node.recordedByBackward) label.append("\n(recorded by backward)");
        return "[shape=box, style=filled, fillcolor=" + (node.recordedByBackward ? "\"#ffcc80\"" : "\"#bbdefb\"")
                + ", label=" + quote(label.toString()) + "]";
    }

    /** The values the node's backward rule reads, with their shapes. */
    private static String saved(Node node, Variable output) {
        List<String> parts = new ArrayList<>();
        if (node.saves.inputs()) {
            Variable[] inputs = node.inputs();
            for (int i = 0; i < inputs.length; i++) parts.add("input " + i + " " + Arrays.toString(inputs[i].shape()));
        }
        if (node.saves.output()) parts.add("output " + Arrays.toString(output.shape()));
        return String.join(", ", parts);
    }

    /** A DOT string literal; a newline becomes DOT's centred line break. */
    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}
