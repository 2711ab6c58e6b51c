package dev.gan4j.cuda;

import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.gan4j.cuda.Differential.CUDA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The caching allocator: a training step leaves nothing behind once its temporaries are unreachable,
 * explicit release returns memory at once, and running out of device memory is a clear error after
 * which the device still works. (The emulated device has GAN4J_EMULATED_DEVICE_MEMORY bytes, 2 GiB by
 * default; a real GPU is filled with 8 GiB tensors until it runs out.)
 */
@Tag("cuda")
class MemoryTest {

    @Test
    void trainingStepReturnsTheAllocatorToItsBaseline() throws InterruptedException {
        CudaBackend backend = Differential.backend();
        TinyDcgan gan = new TinyDcgan(CUDA, 5);
        gan.step(); // creates the optimiser state and the convolution workspace
        long baseline = settledBytesInUse(backend, -1);
        gan.step();
        gan.step();
        assertEquals(baseline, settledBytesInUse(backend, baseline), "bytes in use after two more steps");
        assertTrue(backend.bytesCached() > 0, "freed blocks are cached for reuse");
    }

    /**
     * Bytes in use once the garbage collector has found the unreachable tensors (or {@code target} is reached).
     * Without a target, the count must hold for five readings: garbage of earlier tests in this JVM (a
     * whole model and its optimiser state) can take more than one collection to come back.
     */
    private static long settledBytesInUse(CudaBackend backend, long target) throws InterruptedException {
        long previous = -1;
        int unchanged = 0;
        for (int i = 0; i < 100; i++) {
            System.gc();
            Thread.sleep(20);
            long now = backend.bytesInUse();
            if (now == target) return now;
            unchanged = now == previous ? unchanged + 1 : 0;
            if (target < 0 && unchanged == 5) return now;
            previous = now;
        }
        return backend.bytesInUse();
    }

    @Test
    void explicitReleaseReturnsTheBlockAndForbidsFurtherUse() {
        CudaBackend backend = Differential.backend();
        Tensor t = Tensor.zeros(DType.F32, CUDA, 1000);
        long before = backend.bytesInUse();
        ((CudaStorage) t.storage()).release();
        assertEquals(before - DeviceAllocator.roundedSize(4000), backend.bytesInUse());
        IllegalStateException e = assertThrows(IllegalStateException.class, t::toFloatArray);
        assertTrue(e.getMessage().contains("was released"), e.getMessage());
    }

    @Test
    void outOfMemoryIsAClearErrorAndTheDeviceRecovers() {
        CudaBackend backend = Differential.backend();
        List<Tensor> hog = new ArrayList<>();
        CudaOutOfMemoryException e = assertThrows(CudaOutOfMemoryException.class, () -> {
            for (int i = 0; i < 256; i++) hog.add(Tensor.zeros(DType.F32, CUDA, Integer.MAX_VALUE - 1023));
        });
        assertTrue(e.getMessage().startsWith("cuda:0 out of memory: cannot allocate 8192.0 MiB"), e.getMessage());
        hog.forEach(t -> ((CudaStorage) t.storage()).release());
        backend.emptyCache();
        float[] values = Tensor.full(3, DType.F32, CUDA, 4).toFloatArray();
        assertEquals(3f, values[3], "the device works after the error");
    }
}
