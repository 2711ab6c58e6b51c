package dev.gan4j.gan.train;

import dev.gan4j.gan.data.BatchIterator;
import dev.gan4j.gan.data.DataLoader;
import dev.gan4j.gan.data.Dataset;
import dev.gan4j.gan.model.Architecture;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.profile.Phase;
import dev.gan4j.tensor.profile.ProfileReport;
import dev.gan4j.tensor.profile.Profiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The profiler's accounting on real DCGAN training steps: the time it attributes to kernels must add up
 * to the wall-clock time of the same steps, measured outside it, within 10%. Not a speed test: both sides
 * are measured over the same steps, and summed over many steps so that one descheduling or one garbage
 * collection cannot move the ratio much.
 */
class ProfiledStepTest {

    private static final int WARM_UP_STEPS = 3;
    private static final int PROFILED_STEPS = 20;

    @Test
    void kernelTimeAddsUpToTheStepsWallClock(@TempDir Path dir) throws IOException {
        Dataset data = TrainFixtures.squares(16 * (WARM_UP_STEPS + PROFILED_STEPS), 4);
        TrainConfig config = TrainFixtures.config(Architecture.DCGAN, Objective.NON_SATURATING, 32, dir, 0);
        Trainer trainer = new Trainer(TrainingRun.create(config, "test"), data, Device.CPU, StopSignal.manual(),
                new PrintStream(OutputStream.nullOutputStream()));
        Profiler profiler = new Profiler("step");
        long wallNanos = 0;
        try (BatchIterator batches = new DataLoader(data, config.batchSize(), true, true, config.seed()).batches(0, 0)) {
            for (int i = 0; i < WARM_UP_STEPS; i++) trainer.step(batches.next());
            for (int i = 0; i < PROFILED_STEPS; i++) {
                var batch = batches.next();
                long started = System.nanoTime();
                try (Profiler.Recording ignored = profiler.start()) {
                    trainer.step(batch);
                }
                wallNanos += System.nanoTime() - started;
            }
        }
        ProfileReport report = profiler.report();
        double ratio = (double) report.kernelNanos() / wallNanos;
        System.out.print(report.table());
        System.out.printf("kernels / wall-clock = %.3f%n", ratio);
        assertTrue(ratio > 0.9 && ratio <= 1.0, "kernel time " + report.kernelNanos() + " ns against " + wallNanos
                + " ns of wall-clock time: ratio " + ratio + "\n" + report.table());
        for (Phase phase : Phase.values()) {
            assertTrue(report.kernelNanos(phase) > 0, phase + " has kernels");
        }
    }
}
