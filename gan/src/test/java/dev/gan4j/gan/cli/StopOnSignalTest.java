package dev.gan4j.gan.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Ctrl-C / SIGTERM on a real training process: the JVM's shutdown must wait for a checkpoint and the
 * reports, which run while the JVM is already shutting down (so nothing on that path may, for example,
 * register another shutdown hook). Runs the command line in a child JVM and stops it with SIGTERM.
 */
class StopOnSignalTest {

    @Test
    void sigtermSavesACheckpointThatResumes(@TempDir Path dir) throws Exception {
        Path mnist = TrainAndSampleTest.sharedMnist();
        assumeTrue(mnist != null, "real MNIST (../shared/data/mnist) not present");
        Path run = dir.resolve("run");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Output goes to a file: Process.destroy() would close a pipe before the child's last lines.
        Path log = dir.resolve("train.log");
        Process process = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "train", "--data-dir", mnist.toString(), "--out", run.toString(), "--width", "8", "--device", "cpu",
                "--epochs", "2", "--max-steps", "1200")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(log).contains("\ntraining ") && System.nanoTime() < deadline) Thread.sleep(50);
        assertTrue(Files.readString(log).contains("\ntraining "), "training never started:\n" + Files.readString(log));
        Thread.sleep(1000); // some steps, far from the 1200 that would end the run
        process.destroy(); // SIGTERM, as Ctrl-C's shutdown path
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "did not stop:\n" + Files.readString(log));

        String printed = Files.readString(log);
        assertTrue(printed.contains("checkpoint saved"), printed);
        assertTrue(!printed.contains("error:"), printed);
        assertTrue(Files.exists(run.resolve("checkpoints/last.safetensors")), printed);
        assertTrue(Files.exists(run.resolve("metrics.csv")), printed);

        int code = Main.run(new String[] {"train", "--resume", run.toString(), "--device", "cpu"},
                new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(new java.io.StringWriter()));
        assertTrue(code == 0, "resume after the signal failed with exit code " + code);
    }
}
