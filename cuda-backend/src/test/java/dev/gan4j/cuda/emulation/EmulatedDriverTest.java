package dev.gan4j.cuda.emulation;

import static dev.gan4j.cuda.emulation.CudaTestSupport.check;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuGetErrorName;
import static jcuda.driver.JCudaDriver.cuGetErrorString;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The driver API as the CUDA backend uses it: device queries, memory, offsets, limits, contexts. */
@Tag("cuda")
class EmulatedDriverTest {
    private final CudaTestSupport gpu = new CudaTestSupport();

    @AfterEach
    void free() {
        gpu.close();
    }

    @Test
    void reportsADeviceAndVersions() {
        int[] count = {0}, version = {0}, major = {0};
        check(cuDeviceGetCount(count), "cuDeviceGetCount");
        check(cuDriverGetVersion(version), "cuDriverGetVersion");
        check(cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                CudaTestSupport.device()), "cuDeviceGetAttribute");
        assertTrue(count[0] >= 1);
        assertTrue(version[0] >= 12000, "driver version " + version[0]);
        assertTrue(major[0] >= 5, "compute capability " + major[0]);
        assertFalse(CudaTestSupport.deviceName().isBlank());
        String[] text = {null}, name = {null};
        check(cuGetErrorString(CUresult.CUDA_ERROR_OUT_OF_MEMORY, text), "cuGetErrorString");
        check(cuGetErrorName(CUresult.CUDA_ERROR_OUT_OF_MEMORY, name), "cuGetErrorName");
        assertEquals("out of memory", text[0]);
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", name[0]);
    }

    @Test
    void copiesAndFillsThroughOffsetPointers() {
        float[] data = new float[64];
        for (int i = 0; i < data.length; i++) data[i] = i;
        CUdeviceptr src = gpu.upload(data);
        CUdeviceptr dst = gpu.upload(new float[64]);
        // dst[8..24) = src[40..56), then dst[30..34) = 2.5f
        check(cuMemcpyDtoD(dst.withByteOffset(8 * 4), src.withByteOffset(40 * 4), 16 * 4), "cuMemcpyDtoD");
        check(cuMemsetD32(dst.withByteOffset(30 * 4), Float.floatToIntBits(2.5f), 4), "cuMemsetD32");
        float[] expected = new float[64];
        for (int i = 0; i < 16; i++) expected[8 + i] = 40 + i;
        for (int i = 30; i < 34; i++) expected[i] = 2.5f;
        assertArrayEquals(expected, gpu.download(dst, 64));
    }

    @Test
    void allocatingMoreThanTheDeviceHasIsOutOfMemoryAndNotSticky() {
        long[] free = {0}, total = {0};
        check(cuMemGetInfo(free, total), "cuMemGetInfo");
        assertTrue(total[0] > 0 && free[0] <= total[0], free[0] + " free of " + total[0]);
        CUdeviceptr p = new CUdeviceptr();
        assertEquals(CUresult.CUDA_ERROR_OUT_OF_MEMORY, cuMemAlloc(p, total[0] + (1L << 20)));
        // A failed allocation leaves the context usable.
        check(cuMemAlloc(p, 1 << 20), "cuMemAlloc after an out-of-memory failure");
        check(cuMemFree(p), "cuMemFree");
    }

    @Test
    void aThreadWithoutACurrentContextIsRefused() throws InterruptedException {
        AtomicInteger rc = new AtomicInteger(-1);
        Thread t = new Thread(() -> rc.set(cuMemAlloc(new CUdeviceptr(), 256)));
        t.start();
        t.join();
        assertEquals(CUresult.CUDA_ERROR_INVALID_CONTEXT, rc.get());
    }
}
