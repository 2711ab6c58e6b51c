package dev.gan4j.gan.train;

import dev.gan4j.autograd.GraphDot;
import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.Module;
import dev.gan4j.nn.io.AtomicFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code train --dump-graph}: the autograd graphs of the first step's losses as Graphviz DOT files in the
 * run folder ({@code graph_discriminator_loss.dot}, and {@code graph_gradient_penalty.dot} for WGAN-GP,
 * {@code graph_generator_loss.dot} when the generator steps). Captured before the backward pass frees
 * them, written after the step; parameters are labelled {@code G.<name>} and {@code D.<name>}.
 */
final class GraphDump {

    private final Map<Variable, String> names = new IdentityHashMap<>();
    private final Map<String, String> dots = new LinkedHashMap<>();

    GraphDump(Module generator, Module discriminator) {
        generator.namedParameters().forEach((name, p) -> names.put(p, "G." + name));
        discriminator.namedParameters().forEach((name, p) -> names.put(p, "D." + name));
    }

    /** Renders the graph behind {@code loss} now, to be written as {@code graph_<what>.dot}. */
    void capture(String what, Variable loss) {
        dots.put("graph_" + what + ".dot", GraphDot.render(loss, names));
    }

    /** Writes the captured graphs into {@code folder}. */
    void write(Path folder) throws IOException {
        for (Map.Entry<String, String> e : dots.entrySet()) {
            AtomicFile.write(folder.resolve(e.getKey()), e.getValue().getBytes(StandardCharsets.UTF_8));
        }
    }
}
