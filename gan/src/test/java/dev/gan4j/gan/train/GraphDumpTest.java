package dev.gan4j.gan.train;

import dev.gan4j.gan.model.Architecture;
import dev.gan4j.tensor.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train --dump-graph}: the first step's loss graphs land in the run folder as DOT files. */
class GraphDumpTest {

    private static Trainer trainer(TrainConfig config) throws IOException {
        return new Trainer(TrainingRun.create(config, "test"), TrainFixtures.squares(64, 8), Device.CPU,
                StopSignal.manual(), new PrintStream(OutputStream.nullOutputStream()));
    }

    @Test
    void aDcganStepGivesTheDiscriminatorAndGeneratorLossGraphs(@TempDir Path dir) throws IOException {
        Trainer t = trainer(TrainFixtures.config(Architecture.DCGAN, Objective.NON_SATURATING, 8, dir, 1));
        t.dumpGraphs();
        assertEquals(Trainer.Outcome.FINISHED, t.train());

        String d = Files.readString(dir.resolve("graph_discriminator_loss.dot"));
        assertTrue(d.startsWith("digraph autograd {") && d.endsWith("}\n"), d);
        for (String op : new String[] {"\"conv2d\\n", "\"batch_norm\\n", "\"leaky_relu\\n", "D.main.0.weight"}) {
            assertTrue(d.contains(op), op);
        }
        assertFalse(d.contains("G.main"), "the fake images were detached from the generator for D's step");
        String g = Files.readString(dir.resolve("graph_generator_loss.dot"));
        assertTrue(g.contains("\"conv2d_backward_input\\n") && g.contains("label=\"G.main."),
                "the generator's transposed convolutions and its parameters");
        assertFalse(d.contains("recorded by backward") || g.contains("recorded by backward"));
    }

    @Test
    void aWganGpStepAddsThePenaltysDoubleBackwardGraphOnlyOnce(@TempDir Path dir) throws IOException {
        Trainer t = trainer(TrainFixtures.config(Architecture.DCGAN, Objective.WGAN_GP, 8, dir, 2));
        t.dumpGraphs();
        assertEquals(Trainer.Outcome.FINISHED, t.train());

        String penalty = Files.readString(dir.resolve("graph_gradient_penalty.dot"));
        assertTrue(penalty.contains("\"conv2d_backward_input\\n") && penalty.contains("\\n(recorded by backward)\""),
                "the critic's input gradient, recorded by the inner backward, is part of the penalty's graph");
        String d = Files.readString(dir.resolve("graph_discriminator_loss.dot"));
        assertTrue(d.contains("recorded by backward"), "the discriminator's loss includes the penalty");
        assertFalse(Files.exists(dir.resolve("graph_generator_loss.dot")),
                "the generator steps only at step 2 (n_critic 2); graphs are dumped for the first step only");
    }
}
