package dev.gan4j.gan.train;

import dev.gan4j.autograd.Variable;
import dev.gan4j.gan.data.Dataset;
import dev.gan4j.gan.data.ImageBatch;
import dev.gan4j.gan.model.Architecture;
import dev.gan4j.gan.report.ImageGrid;
import dev.gan4j.gan.report.MetricsLog;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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
        Trainer second = continued(TrainFixtures.config(Architecture.DCGAN, Objective.NON_SATURATING, 8,
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
    void aClassConditionalRunResumesExactlyAndDrawsOneRowPerClass(@TempDir Path dir) throws IOException {
        Dataset data = TrainFixtures.squares(128, 2, 3);
        TrainConfig straightConfig = TrainFixtures.config(Architecture.DCGAN, Objective.NON_SATURATING, 8,
                dir.resolve("a"), 8).withClasses(3);
        Trainer straight = trainer(straightConfig, data, StopSignal.manual());
        straight.train();
        trainer(TrainFixtures.config(Architecture.DCGAN, Objective.NON_SATURATING, 8, dir.resolve("b"), 4).withClasses(3),
                data, StopSignal.manual()).train();
        Trainer second = continued(TrainFixtures.config(Architecture.DCGAN, Objective.NON_SATURATING, 8,
                dir.resolve("b"), 8).withClasses(3), data, StopSignal.manual());
        second.resume(dir.resolve("b/checkpoints/last.safetensors"));
        second.train();

        for (int row = 0; row < 8; row++) {
            for (String column : new String[] {"loss_D", "loss_G", "D_x", "D_G_z"}) {
                int c = Trainer.COLUMNS.indexOf(column);
                assertEquals(straight.metrics().row(row)[c], second.metrics().row(row)[c], column + " of step " + (row + 1));
            }
        }
        BufferedImage grid = ImageIO.read(dir.resolve("a/samples/final.png").toFile());
        assertEquals(grid.getWidth(), grid.getHeight());
        assertEquals(3 * (28 + ImageGrid.PADDING) + ImageGrid.PADDING, grid.getWidth(), "a 3x3 grid: one row per class");
    }

    @Test
    void aClassConditionalCriticTakesAGradientPenaltyOnTheImagesOfEachClass(@TempDir Path dir) throws IOException {
        Trainer t = trainer(TrainFixtures.config(Architecture.DCGAN, Objective.WGAN_GP, 8, dir, 4).withClasses(2),
                TrainFixtures.squares(64, 3, 2), StopSignal.manual());
        assertEquals(Trainer.Outcome.FINISHED, t.train());
        for (double p : t.metrics().column("gradient_penalty")) assertTrue(Double.isFinite(p) && p > 0, "penalty " + p);
    }

    @Test
    void theAverageOfTheGeneratorsWeightsResumesExactlyAndDrawsTheSamples(@TempDir Path dir) throws IOException {
        Dataset data = TrainFixtures.squares(128, 2);
        Trainer straight = trainer(TrainFixtures.config(Architecture.DCGAN, Objective.NON_SATURATING, 8,
                dir.resolve("a"), 8, 0.9), data, StopSignal.manual());
        straight.train();

        trainer(TrainFixtures.config(Architecture.DCGAN, Objective.NON_SATURATING, 8, dir.resolve("b"), 4, 0.9), data,
                StopSignal.manual()).train();
        Trainer second = continued(TrainFixtures.config(Architecture.DCGAN, Objective.NON_SATURATING, 8,
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
        Trainer averaging = continued(TrainFixtures.config(Architecture.MLP, Objective.NON_SATURATING, 8, dir, 4, 0.9),
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
        Trainer t = continued(config, poisoned, StopSignal.manual());
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        try {
            assertEquals(Trainer.Outcome.DIVERGED, t.train());
        } finally {
            System.setErr(stderr);
        }
        String error = errors.toString(StandardCharsets.UTF_8);
        assertTrue(error.startsWith("error: ") && error.contains("no longer finite at step 1"), "on stderr: " + error);
        assertEquals(1, error.strip().lines().count(), error);
        assertFalse(log.toString(StandardCharsets.UTF_8).contains("error:"), "not on stdout");
        assertArrayEquals(good, Files.readAllBytes(dir.resolve("checkpoints/last.safetensors")));
        assertFalse((log + error).contains("Exception"));
    }

    @Test
    void resumingAFinishedRunTrainsNoMoreSteps(@TempDir Path dir) throws IOException {
        TrainConfig config = TrainFixtures.config(Architecture.MLP, Objective.NON_SATURATING, 16, dir, 3);
        Dataset data = TrainFixtures.squares(64, 9);
        assertEquals(Trainer.Outcome.FINISHED, trainer(config, data, StopSignal.manual()).train());
        for (int again = 0; again < 2; again++) {
            Trainer t = continued(config, data, StopSignal.manual());
            t.resume(dir.resolve("checkpoints/last.safetensors"));
            assertEquals(Trainer.Outcome.FINISHED, t.train());
            assertEquals(3, t.state().step(), "--max-steps 3 is reached: no step after it");
            assertEquals(3, MetricsLog.load(dir.resolve("metrics.csv")).size());
        }
    }

    @Test
    void onlyTheNewestEpochCheckpointsAreKept(@TempDir Path dir) throws IOException {
        TrainConfig base = TrainFixtures.config(Architecture.MLP, Objective.NON_SATURATING, 8, dir, 0);
        TrainConfig keepTwo = base.resumedWith(null, 4, 0, "cpu", 0, 0, 2, dir.toString());
        Trainer t = trainer(keepTwo, TrainFixtures.squares(32, 10), StopSignal.manual()); // 2 steps per epoch
        assertEquals(Trainer.Outcome.FINISHED, t.train());
        try (var files = Files.list(dir.resolve("checkpoints"))) {
            assertEquals(List.of("epoch_003.safetensors", "epoch_004.safetensors", "last.safetensors"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    private Trainer continued(TrainConfig config, Dataset data, StopSignal stop) throws IOException {
        TrainingRun run = TrainingRun.continued(config);
        run.prepare("test");
        return new Trainer(run, data, Device.CPU, stop, out);
    }

    @Test
    void theArticlesGeneratorLearnsFromASaturatedSigmoidDiscriminator(@TempDir Path dir) throws IOException {
        // mnist-mlp-article: D ends in a sigmoid feeding BCE. Make D certain that everything is fake (a
        // logit near -29, sigmoid 2.5e-13): BCE of the sigmoid gives G exactly zero gradient there, the
        // loss computed from the logit gives the true one (-1 per sample), so G's weights must move.
        TrainConfig article = new TrainConfig("mnist-mlp-article", "squares", null, 28, Architecture.MLP, 16, 16,
                Objective.NON_SATURATING, true, 1, 16, "adam", 2e-4, 0.9, 0.999, 1, 0, 0, "cpu", 7, 0,
                dir.toString(), 0, 0, 0, 0, 0);
        Dataset data = TrainFixtures.squares(16, 8);
        Trainer t = trainer(article, data, StopSignal.manual());
        java.util.Map<String, dev.gan4j.tensor.Tensor> d = t.discriminator().stateDict();
        d.get("main.5.weight").assign(d.get("main.5.weight").mul(0.01));
        d.get("main.5.bias").fill(-29);
        java.util.List<float[]> before = t.generator().parameters().stream().map(p -> p.data().toFloatArray()).toList();

        float[] pixels = new float[16 * data.imageSize()];
        for (int i = 0; i < 16; i++) data.copyImage(i, pixels, i * data.imageSize());
        Trainer.StepReadings readings = t.step(ImageBatch.unlabelled(pixels, 16, 1, 28, 28));
        Trainer.StepResult r = readings.read(readings.values().toFloatArray(), 0);

        assertTrue(r.generatorStepped());
        assertTrue(r.dFake() < 1e-9, "the discriminator is saturated: D(G(z)) = " + r.dFake());
        assertEquals(29, r.lossG(), 0.5, "the generator's loss is -log sigmoid(-29)");
        List<Variable> after = t.generator().parameters();
        boolean moved = false;
        for (int i = 0; i < after.size(); i++) moved |= !java.util.Arrays.equals(before.get(i), after.get(i).data().toFloatArray());
        assertTrue(moved, "no gradient reached the generator through the saturated sigmoid");
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
