package dev.gan4j.gan.train;

import dev.gan4j.autograd.Autograd;
import dev.gan4j.autograd.Variable;
import dev.gan4j.gan.data.Dataset;
import dev.gan4j.gan.data.Mnist;
import dev.gan4j.gan.data.Split;
import dev.gan4j.gan.model.Architecture;
import dev.gan4j.nn.Module;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A short real training run: a few hundred MLP-GAN steps on real MNIST, with assertions that fail if
 * learning is broken: the discriminator learns to tell real from fake, and the generator's samples
 * stop being noise and take on the data's pixel statistics (mostly black background, some ink).
 */
class MnistLearningTest {

    static Path sharedMnist() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolveSibling("shared").resolve("data/mnist");
            if (Files.isDirectory(candidate)) return candidate;
        }
        return null;
    }

    @Test
    void anMlpGanLearnsMnistsPixelStatisticsInAFewHundredSteps(@TempDir Path dir) throws Exception {
        Path mnist = sharedMnist();
        assumeTrue(mnist != null, "real MNIST (../shared/data/mnist) not present");
        Dataset data = Mnist.load(mnist, Split.TRAIN);
        TrainConfig config = new TrainConfig("test", "mnist", mnist.toString(), 28, Architecture.MLP, 64, 128,
                Objective.NON_SATURATING, false, 1, 64, "adam", 2e-4, 0.5, 0.999, 1, 0, 0, "cpu", 3, 0,
                dir.toString(), 0, 400);
        Trainer trainer = new Trainer(TrainingRun.create(config, "test"), data, Device.CPU, StopSignal.manual(),
                new PrintStream(OutputStream.nullOutputStream()));
        PixelStats before = PixelStats.of(samples(trainer.generator(), config));
        assertEquals(Trainer.Outcome.FINISHED, trainer.train());
        PixelStats after = PixelStats.of(samples(trainer.generator(), config));
        PixelStats real = PixelStats.of(Tensor.fromArray(firstImages(data, 1000), 1000 * 784));

        // Untrained: tanh of small values, a grey haze without background.
        assertTrue(before.background() < 0.05, "untrained background fraction " + before);
        // Trained: mostly background like the data (about 80% of MNIST's pixels), yet some ink.
        assertTrue(after.background() > 0.5, "trained " + after + " vs real " + real);
        assertTrue(after.ink() > 0.03, "trained " + after + " vs real " + real);
        assertTrue(Math.abs(after.mean() - real.mean()) < 0.3, "trained " + after + " vs real " + real);

        double[] dReal = trainer.metrics().column("D_x");
        double[] dFake = trainer.metrics().column("D_G_z");
        double early = mean(dReal, 10, 100) - mean(dFake, 10, 100);
        assertTrue(early > 0.1, "the discriminator separates real from fake early on: D(x) - D(G(z)) = " + early);
    }

    private static Tensor samples(Module generator, TrainConfig config) {
        generator.eval();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            Tensor z = Tensor.randn(new Generator(99), 256, config.latentSize());
            return generator.forward(Variable.constant(z)).data();
        } finally {
            generator.train();
        }
    }

    private static float[] firstImages(Dataset data, int count) {
        float[] pixels = new float[count * data.imageSize()];
        for (int i = 0; i < count; i++) data.copyImage(i, pixels, i * data.imageSize());
        return pixels;
    }

    private static double mean(double[] values, int from, int to) {
        return Arrays.stream(values, from, to).average().orElseThrow();
    }

    /** Mean pixel, the fraction of near-black background pixels, and the fraction of near-white ink. */
    private record PixelStats(double mean, double background, double ink) {
        static PixelStats of(Tensor images) {
            return new PixelStats(images.mean().item(), images.lt(-0.8).mean().item(), images.gt(0.5).mean().item());
        }
    }
}
