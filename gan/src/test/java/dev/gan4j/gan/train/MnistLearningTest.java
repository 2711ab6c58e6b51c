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
        // Adam at 5e-4 instead of the usual 2e-4 so that 500 steps are enough; the bounds below hold
        // for the other seeds tried (256-260), not just this one.
        TrainConfig config = new TrainConfig("test", "mnist", mnist.toString(), 28, Architecture.MLP, 64, 256,
                Objective.NON_SATURATING, false, 1, 64, "adam", 5e-4, 0.5, 0.999, 1, 0, 0, "cpu", 256, 0,
                dir.toString(), 0, 500, 0, 0, 0);
        Trainer trainer = new Trainer(TrainingRun.create(config, "test"), data, Device.CPU, StopSignal.manual(),
                new PrintStream(OutputStream.nullOutputStream()));
        Tensor untrained = samples(trainer.generator(), config);
        assertEquals(Trainer.Outcome.FINISHED, trainer.train());
        Tensor trained = samples(trainer.generator(), config);
        Tensor real = Tensor.fromArray(firstImages(data, 1000), 1000, 784);
        PixelStats before = PixelStats.of(untrained);
        PixelStats after = PixelStats.of(trained);
        String report = "untrained " + before + ", trained " + after + ", real " + PixelStats.of(real);

        // Untrained: tanh of small values, a grey haze without background.
        assertTrue(before.background() < 0.05, report);
        // Trained: darker on average like the data, yet not collapsed to an all-black image.
        assertTrue(after.mean() < before.mean() - 0.25, report);
        assertTrue(after.background() < 0.95, report);
        // The average sample looks more like the average digit: black borders, lighter centre.
        double distanceBefore = meanImageDistance(untrained, real);
        double distanceAfter = meanImageDistance(trained, real);
        assertTrue(distanceAfter < 0.7 * distanceBefore,
                "mean-image distance to the data " + distanceBefore + " -> " + distanceAfter);

        double[] dReal = trainer.metrics().column("D_x");
        double[] dFake = trainer.metrics().column("D_G_z");
        double separation = mean(dReal, 10, dReal.length) - mean(dFake, 10, dFake.length);
        assertTrue(separation > 0.05, "the discriminator separates real from fake: D(x) - D(G(z)) = " + separation);
    }

    /** Mean absolute difference between the per-pixel means of two image sets [N, 784]. */
    private static double meanImageDistance(Tensor a, Tensor b) {
        int[] batch = {0};
        return a.mean(batch, false).sub(b.mean(batch, false)).abs().mean().item();
    }

    private static Tensor samples(Module generator, TrainConfig config) {
        generator.eval();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            Tensor z = Tensor.randn(new Generator(99), 256, config.latentSize());
            return generator.forward(Variable.constant(z)).data().reshape(256, 784);
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
