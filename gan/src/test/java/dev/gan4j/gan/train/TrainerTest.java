package dev.gan4j.gan.train;

import dev.gan4j.autograd.Variable;
import dev.gan4j.gan.data.Dataset;
import dev.gan4j.gan.model.Architecture;
import dev.gan4j.gan.report.MetricsLog;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);

    private Trainer trainer(TrainConfig config, Dataset data, StopSignal stop) throws IOException {
        return new Trainer(TrainingRun.create(config, "test"), data, Device.CPU, stop, out);
    }

    @Test
    void aRunWritesSamplesMetricsCurvesConfigAndCheckpoints(@TempDir Path dir) throws IOException {
        TrainConfig config = TrainFixtures.config(Architecture.MLP, Objective.NON_SATURATING, 16, dir, 0);
        Trainer t = trainer(config, TrainFixtures.squares(64, 1), StopSignal.manual());
        assertEquals(Trainer.Outcome.FINISHED, t.train());
        assertTrue(Files.exists(dir.resolve("samples/epoch_001.png")));
        assertTrue(Files.exists(dir.resolve("samples/final.png")));
        assertTrue(Files.exists(dir.resolve("checkpoints/epoch_001.safetensors")));
        assertTrue(Files.exists(dir.resolve("checkpoints/last.safetensors")));
        assertTrue(Files.exists(dir.resolve("loss_curves.png")));
        assertTrue(Files.readString(dir.resolve("config.json")).contains("\"objective\": \"NON_SATURATING\""));
        MetricsLog metrics = MetricsLog.load(dir.resolve("metrics.csv"));
        assertEquals(Trainer.COLUMNS, metrics.columns());
        assertEquals(4, metrics.size(), "64 images in batches of 16 = 4 steps");
    }

    @Test
    void resumingFromACheckpointGivesTheSameNextStepsAsAnUninterruptedRun(@TempDir Path dir) throws IOException {
        Dataset data = TrainFixtures.squares(128, 2);
        Trainer straight = trainer(TrainFixtures.config(Architecture.DCGAN, Objective.NON_SATURATING, 8,
                dir.resolve("a"), 8), data, StopSignal.manual());
        straight.train();

        Trainer first = trainer(TrainFixtures.config(Architecture.DCGAN, Objective.NON_SATURATING, 8,
                dir.resolve("b"), 4), data, StopSignal.manual());
        first.train();
        Trainer second = trainer(TrainFixtures.config(Architecture.DCGAN, Objective.NON_SATURATING, 8,
                dir.resolve("b"), 8), data, StopSignal.manual());
        second.resume(dir.resolve("b/checkpoints/last.safetensors"));
        second.train();

        MetricsLog a = straight.metrics();
        MetricsLog b = second.metrics();
        assertEquals(8, a.size());
        assertEquals(8, b.size(), "the resumed run keeps the first run's rows");
        for (int row = 0; row < 8; row++) {
            for (String column : new String[] {"step", "epoch", "loss_D", "loss_G", "D_x", "D_G_z"}) {
                int c = Trainer.COLUMNS.indexOf(column);
                assertEquals(a.row(row)[c], b.row(row)[c], column + " of step " + (row + 1));
            }
        }
    }

    @Test
    void theAverageOfTheGeneratorsWeightsResumesExactlyAndDrawsTheSamples(@TempDir Path dir) throws IOException {
        Dataset data = TrainFixtures.squares(128, 2);
        Trainer straight = trainer(TrainFixtures.config(Architecture.DCGAN, Objective.NON_SATURATING, 8,
                dir.resolve("a"), 8, 0.9), data, StopSignal.manual());
        straight.train();

        trainer(TrainFixtures.config(Architecture.DCGAN, Objective.NON_SATURATING, 8, dir.resolve("b"), 4, 0.9), data,
                StopSignal.manual()).train();
        Trainer second = trainer(TrainFixtures.config(Architecture.DCGAN, Objective.NON_SATURATING, 8,
                dir.resolve("b"), 8, 0.9), data, StopSignal.manual());
        second.resume(dir.resolve("b/checkpoints/last.safetensors"));
        second.train();

        Map<String, Tensor> expected = straight.sampler().stateDict();
        Map<String, Tensor> resumed = second.sampler().stateDict();
        assertEquals(expected.keySet(), resumed.keySet());
        expected.forEach((name, t) -> assertArrayEquals(t.toFloatArray(), resumed.get(name).toFloatArray(), name));
        assertNotSame(straight.generator(), straight.sampler(), "the average, not the live generator, draws samples");
        String weight = expected.keySet().iterator().next();
        assertFalse(Arrays.equals(expected.get(weight).toFloatArray(),
                straight.generator().stateDict().get(weight).toFloatArray()), "the average differs from the live weights");
    }

    @Test
    void resumingARunThatAveragesFromACheckpointWithoutAnAverageIsAClearError(@TempDir Path dir) throws IOException {
        Dataset data = TrainFixtures.squares(64, 2);
        trainer(TrainFixtures.config(Architecture.MLP, Objective.NON_SATURATING, 8, dir, 2), data,
                StopSignal.manual()).train();
        Trainer averaging = trainer(TrainFixtures.config(Architecture.MLP, Objective.NON_SATURATING, 8, dir, 4, 0.9),
                data, StopSignal.manual());
        IOException e = assertThrows(IOException.class,
                () -> averaging.resume(dir.resolve("checkpoints/last.safetensors")));
        assertTrue(e.getMessage().contains("holds no average ('generator_ema.*')"), e.getMessage());
    }

    @Test
    void wganGpTrainsWithAFiniteNonZeroPenalty(@TempDir Path dir) throws IOException {
        Trainer t = trainer(TrainFixtures.config(Architecture.DCGAN, Objective.WGAN_GP, 8, dir, 4),
                TrainFixtures.squares(64, 3), StopSignal.manual());
        assertEquals(Trainer.Outcome.FINISHED, t.train());
        double[] penalty = t.metrics().column("gradient_penalty");
        for (double p : penalty) assertTrue(Double.isFinite(p) && p > 0, "penalty " + p);
        for (double loss : t.metrics().column("loss_D")) assertTrue(Double.isFinite(loss));
    }

    @Test
    void wganClipsEveryCriticWeight(@TempDir Path dir) throws IOException {
        Trainer t = trainer(TrainFixtures.config(Architecture.MLP, Objective.WGAN, 16, dir, 3),
                TrainFixtures.squares(64, 4), StopSignal.manual());
        t.train();
        for (Variable p : t.discriminator().parameters()) {
            assertTrue(p.data().abs().max().item() <= 0.01 + 1e-7, "clipped to 0.01");
        }
    }

    @Test
    void aStopRequestSavesACheckpointAfterTheCurrentStep(@TempDir Path dir) throws IOException {
        StopSignal stop = StopSignal.manual();
        stop.request();
        Trainer t = trainer(TrainFixtures.config(Architecture.MLP, Objective.NON_SATURATING, 16, dir, 0),
                TrainFixtures.squares(64, 5), stop);
        assertEquals(Trainer.Outcome.INTERRUPTED, t.train());
        assertEquals(1, t.state().step());
        assertTrue(Files.exists(dir.resolve("checkpoints/last.safetensors")));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("checkpoint saved"));
    }

    @Test
    void nonFiniteLossesStopTheRunAndKeepTheLastGoodCheckpoint(@TempDir Path dir) throws IOException {
        TrainConfig config = TrainFixtures.config(Architecture.MLP, Objective.NON_SATURATING, 16, dir, 0);
        trainer(config, TrainFixtures.squares(64, 6), StopSignal.manual()).train();
        byte[] good = Files.readAllBytes(dir.resolve("checkpoints/last.safetensors"));

        Dataset poisoned = new NanDataset(TrainFixtures.squares(64, 6));
        Trainer t = trainer(config, poisoned, StopSignal.manual());
        assertEquals(Trainer.Outcome.DIVERGED, t.train());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("no longer finite at step 1"));
        assertArrayEquals(good, Files.readAllBytes(dir.resolve("checkpoints/last.safetensors")));
        assertFalse(log.toString(StandardCharsets.UTF_8).contains("Exception"));
    }

    /** A dataset whose pixels are NaN, to make the discriminator's loss NaN. */
    private record NanDataset(Dataset inner) implements Dataset {
        @Override public int size() { return inner.size(); }
        @Override public int channels() { return inner.channels(); }
        @Override public int height() { return inner.height(); }
        @Override public int width() { return inner.width(); }
        @Override public int numClasses() { return 1; }
        @Override public int label(int index) { return 0; }
        @Override public String name() { return "nan"; }

        @Override
        public void copyImage(int index, float[] dst, int dstOffset) {
            java.util.Arrays.fill(dst, dstOffset, dstOffset + imageSize(), Float.NaN);
        }
    }
}
