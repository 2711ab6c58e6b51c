package dev.gan4j.gan.cli;

import dev.gan4j.autograd.Autograd;
import dev.gan4j.autograd.Variable;
import dev.gan4j.gan.model.GanModels;
import dev.gan4j.gan.report.NpyArray;
import dev.gan4j.gan.report.NpyReader;
import dev.gan4j.gan.report.NpyWriter;
import dev.gan4j.gan.train.TrainConfig;
import dev.gan4j.gan.train.TrainingCheckpoint;
import dev.gan4j.nn.Module;
import dev.gan4j.nn.io.Checkpoint;
import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The command line end to end on real MNIST: a short training run, then every way of sampling from it. */
class TrainAndSampleTest {

    @TempDir
    static Path dir;
    private static Path run;

    static Path sharedMnist() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolveSibling("shared").resolve("data/mnist");
            if (Files.isDirectory(candidate)) return candidate;
        }
        return null;
    }

    @BeforeAll
    static void trainBriefly() {
        Path mnist = sharedMnist();
        assumeTrue(mnist != null, "real MNIST (../shared/data/mnist) not present");
        run = dir.resolve("run");
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"train", "--preset", "mnist-mlp", "--width", "16", "--latent", "8",
                "--data-dir", mnist.toString(), "--max-steps", "3", "--n-critic", "1", "--ema-decay", "0.9", "--device", "cpu",
                "--out", run.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, code, err.toString());
    }

    private static int sample(Path out, String... extra) {
        String[] base = {"sample", "--checkpoint", run.toString(), "--out", out.toString(), "--device", "cpu"};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    @Test
    void theRunFolderHasEverythingAPractitionerExpects() {
        for (String f : new String[] {"config.json", "command.txt", "metrics.csv", "loss_curves.png", "samples/final.png",
                "checkpoints/last.safetensors"}) {
            assertTrue(Files.exists(run.resolve(f)), f);
        }
    }

    @Test
    void samplesComeAsAGridSinglePngsAndAnNpyArray() throws Exception {
        Path out = dir.resolve("s1");
        assertEquals(0, sample(out, "--count", "10", "--seed", "3"));
        BufferedImage grid = ImageIO.read(out.resolve("grid.png").toFile());
        assertEquals(4 * 28 + 5 * 2, grid.getWidth(), "4 columns of 28 px with 2 px padding");
        assertEquals(10, Files.list(out.resolve("images")).count());
        NpyArray a = NpyReader.read(out.resolve("samples.npy"));
        assertArrayEquals(new int[] {10, 1, 28, 28}, a.shape());
    }

    @Test
    void theSameSeedGivesTheSameSamplesAndGivenNoiseIsDecoded() throws Exception {
        assertEquals(0, sample(dir.resolve("a"), "--count", "4", "--seed", "9"));
        assertEquals(0, sample(dir.resolve("b"), "--count", "4", "--seed", "9"));
        assertArrayEquals(NpyReader.read(dir.resolve("a/samples.npy")).data(), NpyReader.read(dir.resolve("b/samples.npy")).data());

        Path noise = dir.resolve("z.npy");
        NpyWriter.write(noise, new float[2 * 8], 2, 8);
        assertEquals(0, sample(dir.resolve("c"), "--noise", noise.toString()));
        float[] images = NpyReader.read(dir.resolve("c/samples.npy")).data();
        for (int i = 0; i < 784; i++) assertEquals(images[i], images[784 + i], "equal latents decode equally");
    }

    @Test
    void samplesComeFromTheAverageOfTheGeneratorsWeightsUnlessNoEmaIsGiven() throws Exception {
        assertEquals(0, sample(dir.resolve("ema"), "--count", "4", "--seed", "5"));
        assertEquals(0, sample(dir.resolve("live"), "--count", "4", "--seed", "5", "--no-ema"));
        Path checkpoint = run.resolve("checkpoints/last.safetensors");
        float[] averaged = decode(checkpoint, "generator_ema", 4, 5);
        float[] live = decode(checkpoint, "generator", 4, 5);
        assertFalse(Arrays.equals(averaged, live), "three steps move the average away from the live weights");
        assertArrayEquals(averaged, NpyReader.read(dir.resolve("ema/samples.npy")).data());
        assertArrayEquals(live, NpyReader.read(dir.resolve("live/samples.npy")).data());
    }

    /** What the weights in one section of a checkpoint draw for the latents of a seed (as `sample` makes them). */
    private static float[] decode(Path checkpoint, String section, int count, long seed) throws Exception {
        TrainConfig config = TrainingCheckpoint.config(checkpoint);
        Module generator = GanModels.generator(config.modelSpec(1), new Generator(0));
        Checkpoint.load(checkpoint).loadInto(generator, section, true);
        generator.eval();
        Tensor z = Tensor.normal(new Generator(seed), 0, 1, DType.F32, Device.CPU, count, config.latentSize());
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            return generator.forward(Variable.constant(z)).data().toFloatArray();
        }
    }

    @Test
    void interpolationWalksBetweenTwoSeeds() throws Exception {
        assertEquals(0, sample(dir.resolve("i"), "--interpolate", "1", "2", "--count", "5"));
        assertEquals(0, sample(dir.resolve("e1"), "--seed", "1", "--count", "1"));
        float[] walk = NpyReader.read(dir.resolve("i/samples.npy")).data();
        float[] first = NpyReader.read(dir.resolve("e1/samples.npy")).data();
        assertEquals(5 * 784, walk.length);
        for (int i = 0; i < 784; i++) assertEquals(first[i], walk[i], 1e-6, "the walk starts at seed 1's sample");
    }

    @Test
    void noiseOfTheWrongWidthIsAClearError() throws Exception {
        Path noise = dir.resolve("wrong.npy");
        NpyWriter.write(noise, new float[6], 2, 3);
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"sample", "--checkpoint", run.toString(), "--noise", noise.toString(),
                "--out", dir.resolve("w").toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(Main.USER_ERROR, code);
        assertTrue(err.toString().contains("expected latent vectors of shape [N, 8]"), err.toString());
    }

    @Test
    void resumingARunFolderExtendsIt() {
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"train", "--resume", run.toString(), "--max-steps", "5", "--device", "cpu"},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, code, err.toString());
    }
}
