package dev.gan4j.gan.cli;

import dev.gan4j.gan.report.NpyWriter;
import dev.gan4j.nn.io.SafeTensors;
import dev.gan4j.nn.io.SafeTensorsFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The command line's rules on bad input and on runs (issue 14), in this JVM on a tiny run: every refusal
 * is one line on stderr with exit code 2 and touches nothing; a run is only continued, never replaced.
 */
class RunSafetyTest {

    @TempDir
    static Path dir;
    private static Path images;
    private static Path run;

    @BeforeAll
    static void aFinishedRun() throws IOException {
        images = TinyRun.images(dir.resolve("images"));
        run = dir.resolve("run");
        TinyRun.Result r = TinyRun.inProcess(TinyRun.trainArgs(images, "--epochs", "2", "--out", run.toString()));
        assertEquals(0, r.code(), r.err());
    }

    private static String[] sample(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("sample", "--checkpoint", run.toString(), "--out",
                out.toString(), "--device", "cpu"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void item4_aHugeImageInTheFolderIsAOneLineErrorNamingTheFileAndTheLimit() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("huge-images"));
        Files.copy(images.resolve("00.png"), folder.resolve("00.png"));
        Path huge = folder.resolve("huge.png");
        Files.write(huge, pngHeader(30_000, 30_000));
        Path out = dir.resolve("huge-run");
        TinyRun.assertRefused(TinyRun.inProcess(TinyRun.trainArgs(folder, "--out", out.toString())), huge.toString(),
                "30000x30000", "50 megapixels");
        assertFalse(Files.exists(out));
    }

    /** The start of a PNG that declares an RGB image of the given size (its pixels never come). */
    private static byte[] pngHeader(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25).order(ByteOrder.BIG_ENDIAN);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        byte[] ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes()).putInt(width).putInt(height)
                .put(new byte[] {8, 2, 0, 0, 0}).array();
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr);
        b.putInt(13).put(ihdr).putInt((int) crc.getValue());
        return b.array();
    }

    @Test
    void item5_noiseWithoutRowsIsRefusedAndNothingIsWritten() throws IOException {
        Path noise = dir.resolve("empty.npy");
        NpyWriter.write(noise, new float[0], 0, 8);
        Path out = dir.resolve("s5");
        TinyRun.assertRefused(TinyRun.inProcess(sample(out, "--noise", noise.toString())), noise.toString(), "N >= 1");
        assertFalse(Files.exists(out));
    }

    @Test
    void item6_aFolderThatCannotBeCreatedSaysSo() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Path out = file.resolve("samples");
        TinyRun.assertRefused(TinyRun.inProcess(sample(out)), "cannot create folder " + out);
        Path runOut = file.resolve("run");
        TinyRun.assertRefused(TinyRun.inProcess(TinyRun.trainArgs(images, "--out", runOut.toString())), "cannot create folder");
        if (Files.isDirectory(Path.of("/proc/self"))) { // Linux: /proc refuses new folders with ENOENT
            TinyRun.assertRefused(TinyRun.inProcess(sample(Path.of("/proc/gan4j-test/s"))), "cannot create folder /proc/gan4j-test/s");
        }
    }

    @Test
    void item6_permissionErrorsSayPermissionDenied() throws IOException {
        assertEquals("permission denied: /srv/ro/s", Main.describe(new AccessDeniedException("/srv/ro/s")));
        Path readOnly = Files.createDirectories(dir.resolve("ro"));
        assumeTrue(readOnly.toFile().setWritable(false, false));
        try {
            assumeTrue(!Files.isWritable(readOnly), "running as root: permissions are not enforced");
            Path out = readOnly.resolve("s");
            TinyRun.assertRefused(TinyRun.inProcess(sample(out)), "permission denied", out.toString());
        } finally {
            readOnly.toFile().setWritable(true, false);
        }
    }

    @Test
    void item7_resumingAFinishedRunTrainsNothingAndSaysSo() {
        Map<String, String> before = TinyRun.snapshot(run);
        TinyRun.Result r = TinyRun.inProcess("train", "--resume", run.toString(), "--device", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("already complete at step 8") && r.out().contains("nothing to train"), r.out());
        assertEquals(before, TinyRun.snapshot(run), "not one more step, not one file changed");
    }

    @Test
    void item9_nonsenseOptionsAreRefused() throws IOException {
        Path out = dir.resolve("nonsense");
        TinyRun.assertRefused(TinyRun.inProcess(TinyRun.trainArgs(images, "--out", out.toString(), "--max-steps", "-1")), "--max-steps");
        TinyRun.assertRefused(TinyRun.inProcess(TinyRun.trainArgs(images, "--out", out.toString(), "--sample-interval", "-5")),
                "--sample-interval");
        TinyRun.assertRefused(TinyRun.inProcess(TinyRun.trainArgs(images, "--out", out.toString(), "--clip", "-1")), "--clip");
        TinyRun.assertRefused(TinyRun.inProcess(TinyRun.trainArgs(images, "--out", out.toString(), "--keep-checkpoints", "-1")),
                "--keep-checkpoints");
        assertFalse(Files.exists(out));

        Path noise = dir.resolve("z.npy");
        NpyWriter.write(noise, new float[2 * 8], 2, 8);
        Path samples = dir.resolve("s9");
        TinyRun.assertRefused(TinyRun.inProcess(sample(samples, "--noise", noise.toString(), "--interpolate", "1", "2")),
                "--interpolate and --noise");
        float[] nan = new float[2 * 8];
        Arrays.fill(nan, Float.NaN);
        Path nanNoise = dir.resolve("nan.npy");
        NpyWriter.write(nanNoise, nan, 2, 8);
        TinyRun.assertRefused(TinyRun.inProcess(sample(samples, "--noise", nanNoise.toString())), nanNoise.toString(), "NaN");
        assertFalse(Files.exists(samples));
    }

    @Test
    void item11_aCorruptedCheckpointIsRefusedAndOneWithoutAHashLoadsWithANote() throws IOException {
        byte[] bytes = Files.readAllBytes(run.resolve("checkpoints/last.safetensors"));
        bytes[bytes.length - 100] ^= 0x10; // a weight's bit, late in the data region
        Path corrupted = Files.write(dir.resolve("corrupted.safetensors"), bytes);
        TinyRun.assertRefused(TinyRun.inProcess("sample", "--checkpoint", corrupted.toString(), "--out",
                dir.resolve("s11").toString(), "--device", "cpu"), corrupted.toString(), "corrupted");
        assertFalse(Files.exists(dir.resolve("s11")));

        // As gan4j wrote checkpoints before they had a hash: the same content, no gan4j_sha256.
        SafeTensorsFile f = SafeTensors.read(run.resolve("checkpoints/last.safetensors"));
        Map<String, String> metadata = new LinkedHashMap<>(f.metadata());
        metadata.remove("gan4j_sha256");
        Path older = dir.resolve("older.safetensors");
        SafeTensors.write(older, f.tensors(), metadata);
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stderr = System.err;
        System.setErr(new java.io.PrintStream(err, true));
        TinyRun.Result r;
        try {
            r = TinyRun.inProcess("sample", "--checkpoint", older.toString(), "--out", dir.resolve("s11b").toString(),
                    "--device", "cpu", "--count", "2");
        } finally {
            System.setErr(stderr);
        }
        assertEquals(0, r.code(), r.err());
        assertTrue(err.toString().startsWith("note: " + older) && err.toString().contains("no content hash"), err.toString());
    }

    @Test
    void item12_onlyTheNewestEpochCheckpointsAreKept() throws IOException {
        Path keep = dir.resolve("keep");
        TinyRun.Result r = TinyRun.inProcess(TinyRun.trainArgs(images, "--epochs", "3", "--keep-checkpoints", "1",
                "--out", keep.toString()));
        assertEquals(0, r.code(), r.err());
        try (var files = Files.list(keep.resolve("checkpoints"))) {
            assertEquals(List.of("epoch_003.safetensors", "last.safetensors"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aResumeMayChangeHowLongAndWhereAndRecordsIt() throws IOException {
        Path copy = dir.resolve("resumable");
        TinyRun.Result first = TinyRun.inProcess(TinyRun.trainArgs(images, "--epochs", "1", "--out", copy.toString()));
        assertEquals(0, first.code(), first.err());
        TinyRun.Result r = TinyRun.inProcess("train", "--resume", copy.toString(), "--epochs", "2", "--threads", "2",
                "--width", "4", "--sample-interval", "2", "--device", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(copy.resolve("config.json")).contains("\"epochs\": 2"));
        List<String> commands = Files.readAllLines(copy.resolve("command.txt"));
        assertEquals(2, commands.size(), "both commands recorded");
        assertTrue(commands.get(0).startsWith("gan4j train --dataset ") && commands.get(1).startsWith("gan4j train --resume "),
                commands.toString());
        assertTrue(Files.exists(copy.resolve("checkpoints/epoch_002.safetensors")));
    }

    @Test
    void anOlderCheckpointOfARunIsContinuedOnlyInANewFolder() {
        Path older = run.resolve("checkpoints/epoch_001.safetensors");
        Map<String, String> before = TinyRun.snapshot(run);
        TinyRun.assertRefused(TinyRun.inProcess("train", "--resume", older.toString(), "--device", "cpu"), "step 4",
                "step 8", "--out");
        assertEquals(before, TinyRun.snapshot(run));

        Path branch = dir.resolve("branch");
        TinyRun.Result r = TinyRun.inProcess("train", "--resume", older.toString(), "--out", branch.toString(),
                "--device", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(branch.resolve("checkpoints/epoch_002.safetensors")));
        assertEquals(before, TinyRun.snapshot(run), "the original run is left as it was");
    }
}
