package dev.gan4j.gan.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line in a child JVM, as a user runs it, on the four ways a start could write where it was
 * not told or lose a run (issue 14, items 1, 2, 3 and 8): each refusal is one line on stderr, exit code 2,
 * no stack trace, and leaves every file as it was. About 10 s: seven short JVMs and two tiny runs.
 */
class RunSafetyEndToEndTest {

    @TempDir
    static Path dir;
    private static Path images;
    private static Path run;
    private static Path logs;

    @BeforeAll
    static void aFinishedRun() throws IOException {
        images = TinyRun.images(dir.resolve("images"));
        logs = Files.createDirectories(dir.resolve("logs"));
        run = dir.resolve("run");
        TinyRun.Result r = TinyRun.inProcess(TinyRun.trainArgs(images, "--epochs", "2", "--out", run.toString()));
        assertEquals(0, r.code(), r.err());
    }

    private static TinyRun.Result gan4j(String... args) throws IOException, InterruptedException {
        return TinyRun.childJvm(logs, args);
    }

    @Test
    void item1_aCheckpointOutsideARunFolderNeverMakesItsGrandparentTheRun() throws Exception {
        Path home = Files.createDirectories(dir.resolve("x"));
        Path copy = Files.createDirectories(home.resolve("dl")).resolve("my.safetensors");
        Files.copy(run.resolve("checkpoints/last.safetensors"), copy);
        Map<String, String> before = TinyRun.snapshot(home);

        TinyRun.assertRefused(gan4j("train", "--resume", copy.toString(), "--epochs", "3", "--device", "cpu"),
                copy.toString(), "--out");
        assertEquals(before, TinyRun.snapshot(home), "nothing written next to or above the checkpoint");

        Path continued = home.resolve("dl/continued");
        TinyRun.Result ok = gan4j("train", "--resume", copy.toString(), "--out", continued.toString(), "--epochs", "3",
                "--dataset", images.toString(), "--device", "cpu", "--threads", "1");
        assertEquals(0, ok.code(), ok.err());
        Map<String, String> after = TinyRun.snapshot(home);
        after.keySet().removeIf(name -> name.startsWith("dl/continued"));
        assertEquals(before, after, "the continued run writes only into --out");
        assertTrue(Files.exists(continued.resolve("checkpoints/epoch_003.safetensors")));
    }

    @Test
    void item2_aNewRunNeverOverwritesAnExistingOne() throws Exception {
        Map<String, String> before = TinyRun.snapshot(run);
        TinyRun.assertRefused(gan4j(TinyRun.trainArgs(images, "--epochs", "1", "--out", run.toString())),
                run.toString(), "already exists", "--resume");
        assertEquals(before, TinyRun.snapshot(run));
    }

    @Test
    void item3_aResumeRefusesOptionsThatWouldChangeTheRun() throws Exception {
        Map<String, String> before = TinyRun.snapshot(run);
        TinyRun.assertRefused(gan4j("train", "--resume", run.toString(), "--lr", "0.001", "--epochs", "3"),
                "--lr cannot change when resuming", "0.001", "--epochs");
        TinyRun.assertRefused(gan4j("train", "--resume", run.toString(), "--preset", "mnist-wgan"), "--preset");
        assertEquals(before, TinyRun.snapshot(run));
    }

    @Test
    void item8_aRefusedStartCreatesNoFolder() throws Exception {
        Path out = dir.resolve("never");
        TinyRun.assertRefused(gan4j(TinyRun.trainArgs(images, "--out", out.toString(), "--width", "0")), "--width");
        TinyRun.assertRefused(gan4j(TinyRun.trainArgs(images, "--out", out.toString(), "--beta1", "1.5")), "--beta1");
        TinyRun.assertRefused(gan4j(TinyRun.trainArgs(images, "--out", out.toString(), "--image-size", "1000")), "--image-size");
        TinyRun.assertRefused(gan4j(TinyRun.trainArgs(images, "--out", out.toString(), "--batch-size", "64")),
                "--batch-size 64", "larger than the dataset", TinyRun.IMAGES + " images");
        assertFalse(Files.exists(out));
    }
}
