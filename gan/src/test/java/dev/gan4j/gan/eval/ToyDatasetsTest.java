package dev.gan4j.gan.eval;

import dev.gan4j.gan.model.LatentCode;
import dev.gan4j.gan.data.Dataset;
import dev.gan4j.gan.data.ToyPoints;
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

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToyDatasetsTest {

    @Test
    void theDataItselfHitsEveryModeWithHighQuality() {
        for (ToyPoints toy : ToyPoints.values()) {
            ModeCoverage c = ModeCoverage.of(points(toy.sample(2500, 3)), toy);
            assertEquals(toy.modes().length, c.modesHit(), toy.id());
            // Within 3 sigma in 2-D: 1 - exp(-9/2) = 98.9% of a Gaussian's samples.
            assertEquals(0.989, c.highQualityFraction(), 0.01, toy.id());
        }
    }

    @Test
    void aOneModeSamplerHitsOneMode() {
        for (ToyPoints toy : ToyPoints.values()) {
            Dataset data = toy.sample(20_000, 4);
            float[] all = points(data);
            float[] oneMode = new float[all.length];
            int n = 0;
            for (int i = 0; i < data.size(); i++) {
                if (data.label(i) == 2) {
                    oneMode[2 * n] = all[2 * i];
                    oneMode[2 * n + 1] = all[2 * i + 1];
                    n++;
                }
            }
            ModeCoverage c = ModeCoverage.of(Arrays.copyOf(oneMode, 2 * n), toy);
            assertEquals(1, c.modesHit(), toy.id());
            assertEquals(n, c.perMode()[2], 0.02 * n);
        }
    }

    @Test
    void pointsBetweenModesAreNotHighQuality() {
        // Halfway between two neighbouring grid modes, and the centre of the ring.
        assertEquals(0, ModeCoverage.of(new float[] {-0.6f, -0.8f}, ToyPoints.GRID25).highQualityFraction());
        assertEquals(0, ModeCoverage.of(new float[] {0, 0}, ToyPoints.RING8).highQualityFraction());
    }

    @Test
    void aToyRunLogsModesPerEpochAndDrawsScatterPlots(@TempDir Path dir) throws Exception {
        TrainConfig config = new TrainConfig("ring8", "ring8", null, 1, Architecture.MLP, 8, 16,
                Objective.NON_SATURATING, false, 2, 64, "adam", 1e-3, 0.5, 0.999, 1, 0, 0, "cpu", 1, 0,
                dir.toString(), 0, 0, 0, 0, 0);
        Trainer trainer = new Trainer(TrainingRun.create(config, "test"), ToyPoints.RING8.sample(640, 1), Device.CPU,
                StopSignal.manual(), new PrintStream(OutputStream.nullOutputStream()),
                new ToyQualityMonitor(ToyPoints.RING8, 1, new LatentCode(8, 0)));
        assertEquals(Trainer.Outcome.FINISHED, trainer.train());
        MetricsLog metrics = MetricsLog.load(dir.resolve("metrics.csv"));
        double[] modes = metrics.column(ToyQualityMonitor.MODES);
        assertEquals(20, modes.length);
        // Measured at the end of epochs 1 and 2 (steps 10 and 20), NaN in between.
        assertTrue(Double.isNaN(modes[0]) && Double.isFinite(modes[9]) && Double.isFinite(modes[19]),
                Arrays.toString(modes));
        assertTrue(modes[19] >= 0 && modes[19] <= 8);
        assertTrue(Files.size(dir.resolve("samples/epoch_001.png")) > 1000);
        assertTrue(Files.size(dir.resolve("samples/epoch_002.png")) > 1000);
        assertTrue(Files.size(dir.resolve("quality_curves.png")) > 1000);
    }

    private static float[] points(Dataset data) {
        return Images.of(data, data.size()).toFloatArray();
    }
}
