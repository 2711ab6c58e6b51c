package dev.gan4j.gan.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad argument or missing file: one clear line on stderr, a non-zero exit, no stack trace. */
class CliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private void assertOneLineError(int code, String expectedFragment) {
        String text = err.toString().strip();
        assertEquals(Main.USER_ERROR, code, text);
        assertEquals(1, text.lines().count(), "one line: " + text);
        assertTrue(text.startsWith("error: "), text);
        assertTrue(text.contains(expectedFragment), text);
        assertFalse(text.contains("Exception") || text.contains("\tat "), text);
    }

    @Test
    void unknownOption() {
        assertOneLineError(run("train", "--bogus"), "--bogus");
    }

    @Test
    void badNumber() {
        assertOneLineError(run("train", "--epochs", "many"), "many");
    }

    @Test
    void unknownPreset() {
        assertOneLineError(run("train", "--preset", "nope"), "unknown preset 'nope'");
    }

    @Test
    void unknownLoss() {
        assertOneLineError(run("train", "--loss", "lsgan"), "hinge");
    }

    @Test
    void invalidHyperparameter() {
        assertOneLineError(run("train", "--lr", "-1"), "learning rate");
    }

    @Test
    void missingDataDirectory(@TempDir Path dir) {
        assertOneLineError(run("train", "--data-dir", dir.resolve("absent").toString(), "--out", dir.resolve("run").toString(),
                "--device", "cpu"), "absent");
    }

    @Test
    void datasetThatIsNeitherKnownNorAFolder(@TempDir Path dir) {
        assertOneLineError(run("train", "--dataset", dir.resolve("nothing").toString(), "--out", dir.resolve("run").toString(),
                "--device", "cpu"), "mnist, cifar10 or a folder");
    }

    @Test
    void missingCheckpointToResume(@TempDir Path dir) {
        assertOneLineError(run("train", "--resume", dir.resolve("x.safetensors").toString()), "no checkpoint at");
    }

    @Test
    void sampleFromAFileThatIsNotACheckpoint(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.safetensors"), "not a checkpoint");
        assertOneLineError(run("sample", "--checkpoint", junk.toString()), "junk.safetensors");
    }

    @Test
    void unusableCudaDeviceIsAClearError(@TempDir Path dir) {
        int code = run("train", "--device", "cuda", "--out", dir.resolve("run").toString());
        assertOneLineError(code, "cuda");
    }

    @Test
    void infoListsTheBackends() {
        assertEquals(0, run("info"));
    }
}
