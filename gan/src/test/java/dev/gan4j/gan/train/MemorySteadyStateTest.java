package dev.gan4j.gan.train;

import dev.gan4j.gan.data.ImageBatch;
import dev.gan4j.gan.model.Architecture;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.MemoryScope;
import dev.gan4j.tensor.backend.AllocatorStats;
import dev.gan4j.tensor.backend.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 2 000 training steps (a DCGAN of width 2, batch 8: every layer kind, little arithmetic) release
 * everything they allocate: after warm-up every buffer comes from the cache, the step's working set is
 * the same at the end as at the start, and the heap after a full GC does not grow. About 20 s on 2
 * busy cores.
 */
class MemorySteadyStateTest {

    private static final int WARM_UP = 100;
    private static final int STEPS = 2000;

    @Test
    void twoThousandStepsKeepAFlatHeapAndAreServedFromTheCache(@TempDir Path dir) throws IOException {
        TrainConfig config = TrainFixtures.config(Architecture.DCGAN, Objective.NON_SATURATING, 2, dir, 0);
        Trainer trainer = new Trainer(TrainingRun.create(config, "test"), TrainFixtures.squares(16, 1), Device.CPU,
                StopSignal.manual(), new PrintStream(OutputStream.nullOutputStream()));
        ImageBatch batch = randomBatch(8);

        for (int i = 0; i < WARM_UP; i++) readAndRelease(trainer.step(batch));
        MemoryScope.resetPeak(Device.CPU);
        AllocatorStats start = Backends.cpu().allocatorStats();
        readAndRelease(trainer.step(batch));
        long peakStart = MemoryScope.peakBytes(Device.CPU);

        // The heap is compared between the middle and the end: what the JVM itself still sets up in the first
        // few hundred steps (compiled code's support objects, about 2 MiB seen) is not a leak, while a leak of
        // even 1 KiB a step adds up to 0.9 MiB over the second half.
        long heapMiddle = 0;
        for (int i = WARM_UP + 1; i < STEPS; i++) {
            assertTrue(readAndRelease(trainer.step(batch)).finite());
            if (i == (WARM_UP + STEPS) / 2) heapMiddle = heapAfterGc();
        }

        AllocatorStats steady = Backends.cpu().allocatorStats().since(start);
        long heapGrowth = heapAfterGc() - heapMiddle;
        assertEquals(0, MemoryScope.bytesInScopes(Device.CPU), "nothing left in scopes between steps");
        assertEquals(0, steady.misses(), "steady state: " + steady);
        assertTrue(steady.hits() > (STEPS - WARM_UP) * 100L, "steady state: " + steady);
        assertEquals(peakStart, MemoryScope.peakBytes(Device.CPU), "the step's working set did not grow");
        assertTrue(heapGrowth < 1 << 19, "heap after GC grew by " + heapGrowth + " bytes over the last "
                + (STEPS - WARM_UP) / 2 + " steps");
    }

    /** What the trainer's read-back does with a step's readings: one transfer, then the buffer goes back. */
    private static Trainer.StepResult readAndRelease(Trainer.StepReadings readings) {
        Trainer.StepResult result = readings.read(readings.values().toFloatArray(), 0);
        readings.release();
        return result;
    }

    private static ImageBatch randomBatch(int count) {
        Random random = new Random(3);
        float[] pixels = new float[count * 28 * 28];
        for (int i = 0; i < pixels.length; i++) pixels[i] = random.nextFloat() * 2 - 1;
        return ImageBatch.unlabelled(pixels, count, 1, 28, 28);
    }

    private static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
