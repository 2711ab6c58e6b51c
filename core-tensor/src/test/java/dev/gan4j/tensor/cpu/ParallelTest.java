package dev.gan4j.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** {@link Parallel#forRange} visits every index exactly once, whatever the split, and passes failures on. */
class ParallelTest {

    @Test void everyIndexIsVisitedExactlyOnce() {
        int before = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2, 3, 7}) {
                Parallel.setThreads(threads);
                for (int count : new int[] {0, 1, 5, 31, 1000}) {
                    for (int grain : new int[] {1, 3, 64}) {
                        AtomicIntegerArray visits = new AtomicIntegerArray(count);
                        Parallel.forRange(count, grain, (from, to) -> {
                            assertTrue(from < to, "empty chunk [" + from + ", " + to + ")");
                            for (int i = from; i < to; i++) visits.incrementAndGet(i);
                        });
                        for (int i = 0; i < count; i++) {
                            assertEquals(1, visits.get(i), "index " + i + " of " + count + ", grain " + grain + ", "
                                    + threads + " threads");
                        }
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test void aFailingChunkFailsTheCallAfterTheOthersFinished() {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                    Parallel.forRange(100, 1, (from, to) -> {
                        if (from <= 50 && 50 < to) throw new IllegalArgumentException("chunk with 50");
                    }));
            assertEquals("chunk with 50", e.getMessage());
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test void backendsNeverSizeThePoolBeyondTheCores() {
        int before = Parallel.threads();
        int cores = Runtime.getRuntime().availableProcessors();
        try {
            assertEquals(cores, dev.gan4j.tensor.backend.Backends.setCpuThreads(cores + 3));
            assertEquals(cores, Parallel.threads());
            assertEquals(1, dev.gan4j.tensor.backend.Backends.setCpuThreads(1));
            assertEquals(1, Parallel.threads());
            assertThrows(IllegalArgumentException.class, () -> dev.gan4j.tensor.backend.Backends.setCpuThreads(0));
        } finally {
            Parallel.setThreads(before);
        }
    }
}
