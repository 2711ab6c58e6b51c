package dev.gan4j.gan.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code train --profile --dump-graph} on real MNIST: the profile and the graphs land in the run folder. */
class ProfileAndGraphOptionsTest {

    @Test
    void profileAndGraphFilesAreWritten(@TempDir Path dir) throws Exception {
        Path mnist = TrainAndSampleTest.sharedMnist();
        assumeTrue(mnist != null, "real MNIST (../shared/data/mnist) not present");
        Path run = dir.resolve("run");
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"train", "--width", "8", "--latent", "8", "--batch-size", "8",
                "--data-dir", mnist.toString(), "--max-steps", "3", "--device", "cpu", "--out", run.toString(),
                "--profile", "--profile-warmup", "1", "--dump-graph"}, new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        assertEquals(0, code, err.toString());

        String table = Files.readString(run.resolve("profile.txt"));
        assertTrue(table.startsWith("profile of 2 step(s) on cpu"), table);  // the first step left out
        assertTrue(table.endsWith("(after 1 warm-up steps, left out: --profile-warmup)\n"), table);
        assertTrue(table.contains("backward   cpu     conv2d_backward_weight") && table.contains("optimiser "), table);
        List<String> csv = Files.readAllLines(run.resolve("profile.csv"));
        assertEquals("phase,device,op,calls,total_ms,share,flops,gflops_per_s", csv.get(0));
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("forward,cpu,conv2d,")), csv.toString());
        for (String graph : new String[] {"graph_discriminator_loss.dot", "graph_generator_loss.dot"}) {
            assertTrue(Files.readString(run.resolve(graph)).startsWith("digraph autograd {"), graph);
        }
    }

    @Test
    void aRunWithinItsWarmupSaysSoAndWritesNoProfile(@TempDir Path dir) throws Exception {
        Path mnist = TrainAndSampleTest.sharedMnist();
        assumeTrue(mnist != null, "real MNIST (../shared/data/mnist) not present");
        Path run = dir.resolve("run");
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new String[] {"train", "--width", "8", "--latent", "8", "--batch-size", "8",
                "--data-dir", mnist.toString(), "--max-steps", "2", "--device", "cpu", "--out", run.toString(),
                "--profile"}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("profile: no step recorded, the run ended within the 20 warm-up steps"),
                out.toString());
        assertFalse(Files.exists(run.resolve("profile.txt")));
    }

    @Test
    void aNegativeWarmupIsRefusedBeforeAnythingIsWritten(@TempDir Path dir) {
        Path run = dir.resolve("run");
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"train", "--max-steps", "1", "--device", "cpu", "--out", run.toString(),
                "--profile", "--profile-warmup", "-1"}, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertTrue(code != 0 && err.toString().contains("--profile-warmup must be 0 or more, not -1"), err.toString());
        assertFalse(Files.exists(run));
    }
}
