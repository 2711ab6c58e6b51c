package dev.gan4j.autograd;

import dev.gan4j.tensor.ConvParams;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GraphDot's output parses as DOT and shows the ops, shapes and saved values of a tiny critic's graphs. */
class GraphDotTest {

    private final TestData r = new TestData(5);
    private final Variable weight = Variable.of(r.randn(3, 1, 3, 3), true);
    private final Variable gamma = Variable.of(r.positive(3), true);
    private final Variable beta = Variable.of(r.randn(3), true);
    private final Variable linearWeight = Variable.of(r.randn(1, 12), true);
    private final Map<Variable, String> names = Map.of(weight, "conv.weight", gamma, "bn.weight", beta, "bn.bias",
            linearWeight, "fc.weight");

    /** conv -> (batch norm) -> leaky ReLU -> flatten -> linear: one score per image. */
    private Variable critic(Variable x, boolean batchNorm) {
        Variable h = Functional.conv2d(x, weight, null, ConvParams.of(2, 1));
        if (batchNorm) h = Functional.batchNorm(h, null, null, gamma, beta, true, 0.1, 1e-5);
        return Functional.linear(h.leakyRelu(0.2).flatten(1, 3), linearWeight, null);
    }

    @Test
    void aDiscriminatorLossShowsEveryOpWithItsShapeAndWhatItSaved() {
        Variable images = Variable.constant(r.randn(2, 1, 4, 4));
        Variable loss = critic(images, true).sigmoid().log().neg().mean();
        DotParser.Graph graph = DotParser.parse(GraphDot.render(loss, names));

        List<String> ops = opNames(graph);
        for (String op : List.of("conv2d", "batch_norm", "leaky_relu", "reshape", "linear", "sigmoid", "log", "neg", "sum")) {
            assertTrue(ops.contains(op), op + " in " + ops);
        }
        String conv = labelStartingWith(graph, "conv2d\n");
        assertEquals("conv2d\n[2, 3, 2, 2]\nsaved: input 0 [2, 1, 4, 4], input 1 [3, 1, 3, 3]", conv);
        assertTrue(labels(graph).contains("conv.weight\n[3, 1, 3, 3]"), "parameters are named");
        assertTrue(labels(graph).contains("constant\n[2, 1, 4, 4]"), "the images are a constant leaf");
        assertFalse(labels(graph).stream().anyMatch(l -> l.contains("recorded by backward")),
                "a plain forward graph has no gradient nodes");
        assertEquals(graph.nodes().size() - 1, graph.edges().size(), "a tree here: every value but the loss is read once");
    }

    @Test
    void aGradientPenaltyShowsTheNodesItsInnerBackwardRecorded() {
        Variable x = Variable.of(r.randn(2, 1, 4, 4), true);
        Variable scores = critic(x, false);
        Variable grad = Autograd.grad(List.of(scores.sum()), List.of(x), null, true).get(0);
        Variable penalty = grad.reshape(2, -1).pow(2).sum(new int[] {1}, false).sqrt().sub(1).pow(2).mean();
        DotParser.Graph graph = DotParser.parse(GraphDot.render(penalty, names));

        List<String> fromBackward = graph.nodes().values().stream().map(a -> a.get("label"))
                .filter(l -> l.endsWith("\n(recorded by backward)")).map(l -> l.substring(0, l.indexOf('\n'))).toList();
        assertTrue(fromBackward.contains("conv2d_backward_input"), "conv2d's input gradient, in " + fromBackward);
        assertTrue(fromBackward.contains("matmul"), "linear's input gradient, in " + fromBackward);
        assertFalse(labelStartingWith(graph, "sqrt\n").contains("recorded by backward"), "the norm is taken forward");
        assertTrue(labels(graph).contains("fc.weight\n[1, 12]"));
    }

    @Test
    void labelsWithQuotesAndBackslashesSurviveQuoting() {
        Variable w = Variable.of(Tensor.ones(2), true);
        DotParser.Graph graph = DotParser.parse(GraphDot.render(w.mul(w).sum(), Map.of(w, "say \"hi\" \\ bye")));
        assertTrue(labels(graph).contains("say \"hi\" \\ bye\n[2]"), labels(graph).toString());
    }

    @Test
    void aGraphFreedByBackwardCannotBeExported() {
        Variable w = Variable.of(Tensor.ones(2), true);
        Variable loss = w.exp().sum();
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GraphDot.render(loss));
        assertTrue(e.getMessage().contains("freed by a backward pass"), e.getMessage());
    }

    @Test
    void theParserRejectsMalformedDot() {
        assertThrows(IllegalArgumentException.class, () -> DotParser.parse("digraph g { a -> b; }"));
        assertThrows(IllegalArgumentException.class, () -> DotParser.parse("digraph g { a [label=\"x]; }"));
        assertThrows(IllegalArgumentException.class, () -> DotParser.parse("digraph g { a; a; }"));
        assertThrows(IllegalArgumentException.class, () -> DotParser.parse("digraph g { a [label=x] }"));
    }

    private static List<String> labels(DotParser.Graph graph) {
        return graph.nodes().values().stream().map(a -> a.get("label")).toList();
    }

    private static List<String> opNames(DotParser.Graph graph) {
        return graph.nodes().values().stream().filter(a -> "box".equals(a.get("shape")))
                .map(a -> a.get("label").substring(0, a.get("label").indexOf('\n'))).distinct()
                .collect(Collectors.toList());
    }

    private static String labelStartingWith(DotParser.Graph graph, String prefix) {
        return labels(graph).stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
    }
}
