package dev.gan4j.cuda;

import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.MemoryScope;
import dev.gan4j.tensor.Tensor;
import dev.gan4j.tensor.backend.AllocatorStats;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static dev.gan4j.cuda.Differential.CUDA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Device memory released by {@link MemoryScope}, not by the garbage collector: training steps run in
 * scopes reach a steady state in which the device's peak does not move and nearly every block comes from
 * the allocator's cache; a storage used after its scope closed fails loudly; a kept one survives.
 * (1 000 steps of the tiny DCGAN: about 10 s on the emulation.)
 */
@Tag("cuda")
class ScopedMemoryTest {

    private static final int WARM_UP = 100;
    private static final int STEPS = 1000;

    @Test
    void aThousandScopedStepsKeepAFlatPeakAndAreServedFromTheCache() {
        CudaBackend backend = Differential.backend();
        TinyDcgan gan = new TinyDcgan(CUDA, 9);
        backend.resetPeak();
        MemoryScope.resetPeak(CUDA);
        for (int i = 0; i < WARM_UP; i++) scopedStep(gan);
        long devicePeak = backend.peakBytesInUse();
        long scopePeak = MemoryScope.peakBytes(CUDA);
        AllocatorStats start = backend.allocatorStats();

        for (int i = WARM_UP; i < STEPS; i++) {
            scopedStep(gan);
            assertEquals(0, MemoryScope.bytesInScopes(CUDA), "nothing is left in scopes after step " + (i + 1));
        }

        AllocatorStats steady = backend.allocatorStats().since(start);
        assertEquals(devicePeak, backend.peakBytesInUse(), "device bytes in use: peak after step 100 vs step 1000");
        assertEquals(scopePeak, MemoryScope.peakBytes(CUDA), "a step's working set: peak after step 100 vs 1000");
        assertTrue(steady.hits() > (STEPS - WARM_UP) * 100L, "steps 101-1000 allocate: " + steady);
        assertTrue(steady.hitRate() >= 0.99, "steps 101-1000: " + steady);
    }

    private static void scopedStep(TinyDcgan gan) {
        try (MemoryScope ignored = MemoryScope.open()) {
            double[] losses = gan.step();
            assertTrue(Double.isFinite(losses[0]) && Double.isFinite(losses[1]), "losses " + losses[0] + ", " + losses[1]);
        }
    }

    @Test
    void aClosedScopesBlockIsReusedAtOnceAndItsStaleTensorFails() {
        CudaBackend backend = Differential.backend();
        Tensor stale;
        long inUse;
        try (MemoryScope ignored = MemoryScope.open()) {
            stale = Tensor.full(2, DType.F32, CUDA, 1000);
            inUse = backend.bytesInUse();
        }
        assertEquals(inUse - DeviceAllocator.roundedSize(4000), backend.bytesInUse(), "the block is back at close");

        AllocatorStats before = backend.allocatorStats();
        Tensor.zeros(DType.F32, CUDA, 1000);
        AllocatorStats reuse = backend.allocatorStats().since(before);
        assertEquals(1, reuse.hits(), "the released block serves the next allocation of its size: " + reuse);
        assertEquals(0, reuse.misses(), reuse.toString());

        IllegalStateException read = assertThrows(IllegalStateException.class, stale::toFloatArray);
        assertTrue(read.getMessage().contains("was used after it was released"), read.getMessage());
        assertThrows(IllegalStateException.class, () -> stale.add(1));
    }

    @Test
    void aKeptTensorSurvivesItsScope() {
        Tensor kept;
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor temporary = Tensor.full(3, DType.F32, CUDA, 4);
            kept = scope.keep(temporary.mul(2));
        }
        assertArrayEquals(new float[] {6, 6, 6, 6}, kept.toFloatArray());
        assertArrayEquals(new float[] {7, 7, 7, 7}, kept.add(1).toFloatArray(), "still usable in later ops");
    }
}
