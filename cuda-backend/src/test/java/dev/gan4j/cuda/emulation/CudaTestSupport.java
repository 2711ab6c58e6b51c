package dev.gan4j.cuda.emulation;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuGetErrorName;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;

/**
 * Device set-up and memory for the tests of the CUDA emulations (src/test/c). The tests call JCuda
 * directly and compare with naive loops, so they run unchanged against the real libraries
 * (-Dcuda.library.path=...), where they check that the reference loops match NVIDIA's.
 */
final class CudaTestSupport implements AutoCloseable {
    static final float[] ONE = {1f};
    static final float[] ZERO = {0f};

    private static CUcontext context;
    private static CUdevice device;
    private final List<CUdeviceptr> allocations = new ArrayList<>();

    /** Initializes the driver once and makes the primary context current on this thread. */
    CudaTestSupport() {
        synchronized (CudaTestSupport.class) {
            if (context == null) {
                check(cuInit(0), "cuInit");
                device = new CUdevice();
                check(cuDeviceGet(device, 0), "cuDeviceGet");
                context = new CUcontext();
                check(cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
                System.out.println("CUDA tests run on: " + deviceName()
                        + (emulated() ? " (the CPU emulation from src/test/c)" : ""));
            }
        }
        check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    static CUdevice device() {
        return device;
    }

    static String deviceName() {
        byte[] name = new byte[256];
        check(cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
        int end = 0;
        while (end < name.length && name[end] != 0) end++;
        return new String(name, 0, end, StandardCharsets.UTF_8);
    }

    /** Whether the libraries on the path are gan4j's emulations rather than NVIDIA's. */
    static boolean emulated() {
        return deviceName().contains("emulated");
    }

    static void check(int rc, String call) {
        if (rc != 0) {
            String[] name = {null};
            cuGetErrorName(rc, name);
            fail(call + " failed: " + rc + " " + name[0]);
        }
    }

    CUdeviceptr alloc(long bytes) {
        CUdeviceptr p = new CUdeviceptr();
        check(cuMemAlloc(p, Math.max(bytes, 1)), "cuMemAlloc");
        allocations.add(p);
        return p;
    }

    CUdeviceptr upload(float[] host) {
        CUdeviceptr p = alloc((long) host.length * Sizeof.FLOAT);
        check(cuMemcpyHtoD(p, Pointer.to(host), (long) host.length * Sizeof.FLOAT), "cuMemcpyHtoD");
        return p;
    }

    /** Device memory of n floats, all NaN: what beta == 0 must overwrite without reading. */
    CUdeviceptr nans(int n) {
        float[] host = new float[n];
        Arrays.fill(host, Float.NaN);
        return upload(host);
    }

    float[] download(Pointer p, int n) {
        float[] host = new float[n];
        check(cuMemcpyDtoH(Pointer.to(host), (CUdeviceptr) p, (long) n * Sizeof.FLOAT), "cuMemcpyDtoH");
        return host;
    }

    @Override
    public void close() {
        for (CUdeviceptr p : allocations) cuMemFree(p);
        allocations.clear();
    }

    static float[] random(Random rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = rng.nextFloat() * 2f - 1f;
        return a;
    }

    static Pointer scalar(float v) {
        return Pointer.to(new float[] {v});
    }

    /** Float32 results against a double reference: |expected - actual| <= 1e-4 * (1 + |expected|). */
    static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-4 * (1 + Math.abs(expected[i]));
            if (!(Math.abs(expected[i] - actual[i]) <= tol))
                fail(what + ": element " + i + " expected " + expected[i] + " but was " + actual[i]);
        }
    }
}
