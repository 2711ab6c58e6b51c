package dev.gan4j.gan.cli;

import dev.gan4j.gan.data.Dataset;
import dev.gan4j.gan.data.ImageBatch;
import dev.gan4j.gan.data.Mnist;
import dev.gan4j.gan.data.Pixels;
import dev.gan4j.gan.data.Split;
import dev.gan4j.gan.eval.QualityReport;
import dev.gan4j.gan.eval.TestClassifiers;
import dev.gan4j.gan.report.ImageGrid;
import dev.gan4j.gan.report.NpyWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code gan4j eval} on every input it takes, with the real MNIST classifier, and its one-line errors. */
class EvalCommandTest {

    private static final int COUNT = 200;
    private static Path mnist;
    private static Dataset test;

    @TempDir Path dir;
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void classifier() throws IOException {
        mnist = TestClassifiers.sharedMnist();
        assumeTrue(mnist != null, "real MNIST (../shared/data/mnist) not present");
        TestClassifiers.mnist();
        test = Mnist.load(mnist, Split.TEST);
    }

    @Test
    void everySampleFormatGivesTheSameReport() throws IOException {
        byte[] bytes = new byte[COUNT * 784];
        float[] signed = new float[COUNT * 784];
        float[] unit = new float[COUNT * 784];
        float[] image = new float[784];
        for (int i = 0; i < COUNT; i++) {
            test.copyImage(i, image, 0);
            for (int p = 0; p < 784; p++) {
                bytes[i * 784 + p] = (byte) Pixels.toByte(image[p]);
                signed[i * 784 + p] = image[p];
                unit[i * 784 + p] = Pixels.toByte(image[p]) / 255f;
            }
        }
        Path png = dir.resolve("pngs");
        Files.createDirectories(png);
        ImageBatch batch = ImageBatch.unlabelled(signed, COUNT, 1, 28, 28);
        for (int i = 0; i < COUNT; i++) ImageGrid.writeImage(batch, i, png.resolve(String.format("%03d.png", i)));
        NpyWriter.write(dir.resolve("signed.npy"), signed, COUNT, 1, 28, 28);
        NpyWriter.write(dir.resolve("unit.npy"), unit, COUNT, 784);
        writeUint8Npy(dir.resolve("bytes.npy"), bytes);
        writeGzippedIdx(dir.resolve("images-idx3-ubyte.gz"), bytes);

        QualityReport reference = eval(dir.resolve("signed.npy"));
        assertEquals(COUNT, reference.images());
        assertEquals(10, reference.classesCovered());
        // 20 images per split cannot show all ten classes evenly: IS 7.6 here, 9.6 for 10 000 test images.
        assertTrue(reference.inceptionScore() > 6, "IS " + reference.inceptionScore());
        assertTrue(reference.confidentFraction() > 0.9, "confident " + reference.confidentFraction());
        assertEquals("mnist-cnn-v2", reference.classifier().name());
        for (String source : new String[] {"unit.npy", "bytes.npy", "images-idx3-ubyte.gz", "pngs"}) {
            QualityReport r = eval(dir.resolve(source));
            assertEquals(reference.fid(), r.fid(), 1e-3 * reference.fid(), source);
            assertEquals(reference.inceptionScore(), r.inceptionScore(), 1e-3, source);
        }
    }

    @Test
    void aRunIsSampledFromFixedSeedsIntoItsFolder() throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, run("train", "--preset", "mnist-mlp", "--width", "16", "--latent", "8", "--data-dir",
                mnist.toString(), "--max-steps", "3", "--device", "cpu", "--out", run.toString()), err.toString());
        assertEquals(0, run("eval", run.toString(), "--count", "100", "--data-dir", mnist.toString()), err.toString());
        QualityReport first = QualityReport.fromJson(Files.readString(run.resolve("eval.json")));
        assertEquals(100, first.images());
        assertEquals(100, Arrays.stream(first.classCounts()).sum());
        assertEquals(0, run("eval", run.toString(), "--count", "100", "--data-dir", mnist.toString()), err.toString());
        assertEquals(first.fid(), QualityReport.fromJson(Files.readString(run.resolve("eval.json"))).fid());
    }

    @Test
    void aRunThatAveragesItsGeneratorIsJudgedByTheAverageUnlessNoEmaIsGiven() throws IOException {
        Path run = dir.resolve("ema");
        assertEquals(0, run("train", "--preset", "mnist-mlp", "--width", "16", "--latent", "8", "--data-dir",
                mnist.toString(), "--max-steps", "3", "--n-critic", "1", "--ema-decay", "0.9", "--device", "cpu",
                "--out", run.toString()), err.toString());
        Path averaged = dir.resolve("averaged.json");
        Path live = dir.resolve("live.json");
        assertEquals(0, run("eval", run.toString(), "--count", "100", "--data-dir", mnist.toString(), "--json",
                averaged.toString()), err.toString());
        assertEquals(0, run("eval", run.toString(), "--count", "100", "--data-dir", mnist.toString(), "--json",
                live.toString(), "--no-ema"), err.toString());
        double averagedFid = QualityReport.fromJson(Files.readString(averaged)).fid();
        double liveFid = QualityReport.fromJson(Files.readString(live)).fid();
        assertTrue(averagedFid != liveFid, "the average and the live generator draw different samples: FID "
                + averagedFid + " both times");
    }

    @Test
    void sampleQuotesTheReportOfTheSameWeightsOnly() throws IOException {
        Path run = dir.resolve("quoted");
        assertEquals(0, run("train", "--preset", "mnist-mlp", "--width", "16", "--latent", "8", "--data-dir",
                mnist.toString(), "--max-steps", "3", "--n-critic", "1", "--ema-decay", "0.9", "--device", "cpu",
                "--out", run.toString()), err.toString());
        assertEquals(0, run("eval", run.toString(), "--count", "100", "--data-dir", mnist.toString()), err.toString());
        QualityReport judged = QualityReport.fromJson(Files.readString(run.resolve("eval.json")));
        assertEquals(3, judged.source().step());
        assertTrue(judged.source().movingAverage());

        String quoted = sampleOutput(run);
        assertTrue(quoted.contains("quality of this generator (") && quoted.contains(judged.summary()), quoted);
        String live = sampleOutput(run, "--no-ema");
        assertTrue(live.contains("not judged yet") && live.contains("--no-ema"), live);

        assertEquals(0, run("train", "--resume", run.toString(), "--max-steps", "5"), err.toString());
        String later = sampleOutput(run);
        assertTrue(later.contains("not judged yet") && !later.contains(judged.summary()), later);
    }

    private String sampleOutput(Path run, String... extra) {
        StringWriter out = new StringWriter();
        String[] args = new String[4 + extra.length];
        args[0] = "sample";
        args[1] = "--checkpoint=" + run;
        args[2] = "--count=4";
        args[3] = "--out=" + dir.resolve("samples");
        System.arraycopy(extra, 0, args, 4, extra.length);
        assertEquals(0, Main.run(args, new PrintWriter(out), new PrintWriter(err, true)), err.toString());
        return out.toString();
    }

    @Test
    void aToyRunIsJudgedByTheModesItHits() throws IOException {
        Path run = dir.resolve("ring8");
        assertEquals(0, run("train", "--preset", "ring8", "--width", "8", "--max-steps", "20", "--device", "cpu",
                "--out", run.toString()), err.toString());
        assertEquals(0, run("eval", run.toString(), "--count", "500"), err.toString());
        String json = Files.readString(run.resolve("eval.json"));
        assertTrue(json.contains("\"modesHit\"") && json.contains("\"highQualityFraction\""), json);
    }

    @Test
    void badSamplesEndInOneLineNamingTheProblem() throws IOException {
        NpyWriter.write(dir.resolve("wrong.npy"), new float[20 * 32 * 32], 20, 32, 32);
        assertOneLineError(run("eval", dir.resolve("wrong.npy").toString(), "--data-dir", mnist.toString()),
                "shape [20, 32, 32] is not [N, 1, 28, 28]");
        float[] loud = new float[20 * 784];
        loud[5] = 300;
        NpyWriter.write(dir.resolve("loud.npy"), loud, 20, 784);
        assertOneLineError(run("eval", dir.resolve("loud.npy").toString(), "--data-dir", mnist.toString()),
                "values run from");
        assertOneLineError(run("eval", dir.resolve("absent.npy").toString(), "--data-dir", mnist.toString()),
                "absent.npy");
        assertOneLineError(run("eval", dir.toString(), "--dataset", "faces"), "no classifier exists for 'faces'");
    }

    private QualityReport eval(Path source) throws IOException {
        Path json = dir.resolve(source.getFileName() + ".json");
        assertEquals(0, run("eval", source.toString(), "--json", json.toString(), "--data-dir", mnist.toString()),
                err.toString());
        return QualityReport.fromJson(Files.readString(json));
    }

    private int run(String... args) {
        return Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
    }

    private void assertOneLineError(int code, String fragment) {
        String text = err.toString().strip();
        err.getBuffer().setLength(0);
        assertEquals(Main.USER_ERROR, code, text);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.startsWith("error: ") && text.contains(fragment), text);
    }

    private static void writeUint8Npy(Path file, byte[] pixels) throws IOException {
        String dict = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + COUNT + ", 28, 28), }";
        int total = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + pixels.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII)).put(pixels);
        Files.write(file, b.array());
    }

    private static void writeGzippedIdx(Path file, byte[] pixels) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(16).putInt(Mnist.IMAGE_MAGIC).putInt(COUNT).putInt(28).putInt(28);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(header.array());
            out.write(pixels);
        }
    }
}
