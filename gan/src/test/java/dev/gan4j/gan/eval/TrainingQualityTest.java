package dev.gan4j.gan.eval;

import dev.gan4j.gan.data.ByteImageDataset;
import dev.gan4j.gan.data.Dataset;
import dev.gan4j.gan.data.Mnist;
import dev.gan4j.gan.data.Pixels;
import dev.gan4j.gan.data.Split;
import dev.gan4j.gan.data.StandardDataset;
import dev.gan4j.gan.model.Architecture;
import dev.gan4j.gan.report.MetricsLog;
import dev.gan4j.gan.train.Objective;
import dev.gan4j.gan.train.StopSignal;
import dev.gan4j.gan.train.TrainConfig;
import dev.gan4j.gan.train.Trainer;
import dev.gan4j.gan.train.TrainingRun;
import dev.gan4j.tensor.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** train --eval-every on real MNIST: the quality columns, the curves, and FID on the progress line. */
class TrainingQualityTest {

    @Test
    void everyEpochAddsIsFidAndClassesCoveredToTheMetrics(@TempDir Path dir) throws Exception {
        Path mnist = TestClassifiers.sharedMnist();
        assumeTrue(mnist != null, "real MNIST (../shared/data/mnist) not present");
        TestClassifiers.mnist();
        Dataset data = firstImages(Mnist.load(mnist, Split.TRAIN), 640);
        TrainConfig config = new TrainConfig("test", "mnist", mnist.toString(), 28, Architecture.MLP, 16, 16,
                Objective.NON_SATURATING, false, 2, 64, "adam", 5e-4, 0.5, 0.999, 1, 0, 0, "cpu", 3, 0,
                dir.toString(), 0, 0, 0, 0, 0);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ClassifierQualityMonitor monitor = new ClassifierQualityMonitor(StandardDataset.MNIST, mnist, Device.CPU, 1,
                500, config.latentCode(), new PrintStream(log, true));
        Trainer trainer = new Trainer(TrainingRun.create(config, "test"), data, Device.CPU, StopSignal.manual(),
                new PrintStream(log, true), monitor);
        assertEquals(Trainer.Outcome.FINISHED, trainer.train());

        MetricsLog metrics = MetricsLog.load(dir.resolve("metrics.csv"));
        double[] fid = metrics.column(ClassifierQualityMonitor.FID);
        double[] is = metrics.column(ClassifierQualityMonitor.IS);
        double[] classes = metrics.column(ClassifierQualityMonitor.CLASSES);
        assertEquals(20, fid.length);
        for (int end : new int[] {9, 19}) {
            assertTrue(fid[end] > 0 && is[end] >= 1 && classes[end] >= 1 && classes[end] <= 10,
                    "step " + (end + 1) + ": FID " + fid[end] + ", IS " + is[end] + ", classes " + classes[end]);
        }
        assertTrue(Double.isNaN(fid[0]) && Double.isNaN(fid[10]));
        assertTrue(Files.size(dir.resolve("quality_curves.png")) > 1000);
        assertTrue(monitor.summary().startsWith("FID "), monitor.summary());
        assertTrue(monitor.secondsSpent() > 0);
    }

    private static Dataset firstImages(Dataset data, int count) {
        byte[] pixels = new byte[count * data.imageSize()];
        float[] image = new float[data.imageSize()];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            data.copyImage(i, image, 0);
            for (int p = 0; p < image.length; p++) pixels[i * image.length + p] = (byte) Pixels.toByte(image[p]);
            labels[i] = data.label(i);
        }
        return new ByteImageDataset("mnist-first", pixels, labels, 1, 28, 28, 10);
    }
}
