package dev.gan4j.cuda;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnHandle;
import jcuda.nvrtc.JNvrtc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds out once per JVM whether CUDA is usable: each library (driver, cuBLAS, cuDNN, NVRTC) is tried
 * on its own, catching {@link LinkageError} (native library missing: JCuda's static initialisers fail
 * for the JVM's lifetime) and {@link RuntimeException}. The backend needs all four.
 */
final class CudaProbe {

    /** What the probe found: null reason = usable; details hold one line per library for {@code info}. */
    record Result(String unavailableReason, Map<String, String> details, int deviceCount) {}

    private static final Pattern MISSING_LIBRARY = Pattern.compile("([\\w.+-]+\\.so[\\w.]*): cannot open shared object file");

    private CudaProbe() {}

    static Result result() {
        return Holder.RESULT;
    }

    private static final class Holder {
        static final Result RESULT = run();
    }

    /** A library's probe: returns its version line, or throws with the reason it is unusable. */
    private interface Step {
        String run() throws Exception;
    }

    private static Result run() {
        Map<String, String> details = new LinkedHashMap<>();
        int[] devices = {0};
        String reason = step("driver", details, null, () -> driver(devices));
        String noDriver = reason == null ? null : "not tried (no usable driver)";
        reason = first(reason, step("cuBLAS", details, noDriver, CudaProbe::cublas));
        reason = first(reason, step("cuDNN", details, noDriver, CudaProbe::cudnn));
        reason = first(reason, step("NVRTC", details, null, CudaProbe::nvrtc));
        return new Result(reason, Collections.unmodifiableMap(details), devices[0]);
    }

    /** Runs a step unless {@code skipped} says why not; records its line and returns its failure reason. */
    private static String step(String library, Map<String, String> details, String skipped, Step step) {
        if (skipped != null) {
            details.put(library, skipped);
            return library + ": " + skipped;
        }
        try {
            details.put(library, step.run());
            return null;
        } catch (Exception | LinkageError e) {
            String why = reason(e);
            details.put(library, "unavailable: " + why);
            return library + ": " + why;
        }
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    private static String driver(int[] devices) {
        check(JCudaDriver.cuInit(0), "cuInit");
        int[] version = {0};
        check(JCudaDriver.cuDriverGetVersion(version), "cuDriverGetVersion");
        check(JCudaDriver.cuDeviceGetCount(devices), "cuDeviceGetCount");
        if (devices[0] == 0) throw new IllegalStateException("no CUDA device found");
        CUdevice device = new CUdevice();
        check(JCudaDriver.cuDeviceGet(device, 0), "cuDeviceGet");
        return "CUDA " + version[0] / 1000 + "." + version[0] % 1000 / 10 + ", " + devices[0] + " device(s), cuda:0 = "
                + deviceName(device);
    }

    static String deviceName(CUdevice device) {
        byte[] name = new byte[256];
        check(JCudaDriver.cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
        int length = 0;
        while (length < name.length && name[length] != 0) length++;
        return new String(name, 0, length, java.nio.charset.StandardCharsets.UTF_8) + " (sm_" + computeCapability(device) + ")";
    }

    /** Compute capability as digits, e.g. {@code 90} for sm_90. */
    static int computeCapability(CUdevice device) {
        int[] major = {0};
        int[] minor = {0};
        check(JCudaDriver.cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device),
                "cuDeviceGetAttribute");
        check(JCudaDriver.cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device),
                "cuDeviceGetAttribute");
        return major[0] * 10 + minor[0];
    }

    /** cuBLAS (and cuDNN) handles live in device 0's primary context, so the probe makes it current. */
    private static void enterDevice0() {
        CUdevice device = new CUdevice();
        check(JCudaDriver.cuDeviceGet(device, 0), "cuDeviceGet");
        CUcontext context = new CUcontext();
        check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
        check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    private static String cublas() {
        int[] major = {0};
        int[] minor = {0};
        CudaStatus.cublas(JCublas2.cublasGetProperty(0, major), "cublasGetProperty");
        CudaStatus.cublas(JCublas2.cublasGetProperty(1, minor), "cublasGetProperty");
        enterDevice0();
        cublasHandle handle = new cublasHandle();
        CudaStatus.cublas(JCublas2.cublasCreate(handle), "cublasCreate");
        JCublas2.cublasDestroy(handle);
        return major[0] + "." + minor[0];
    }

    private static String cudnn() {
        long version = JCudnn.cudnnGetVersion();
        if (version < 90000) {
            throw new IllegalStateException("cuDNN " + version + " found, cuDNN 9 for CUDA 12 needed");
        }
        enterDevice0();
        cudnnHandle handle = new cudnnHandle();
        CudaStatus.cudnn(JCudnn.cudnnCreate(handle), "cudnnCreate");
        JCudnn.cudnnDestroy(handle);
        return version / 10000 + "." + version % 10000 / 100 + "." + version % 100;
    }

    private static String nvrtc() {
        int[] major = {0};
        int[] minor = {0};
        CudaStatus.nvrtc(JNvrtc.nvrtcVersion(major, minor), "nvrtcVersion");
        return major[0] + "." + minor[0];
    }

    private static void check(int status, String call) {
        if (status != CUresult.CUDA_SUCCESS) throw new IllegalStateException(call + ": " + CUresult.stringFor(status));
    }

    /** One line saying why: the missing shared library when that is the cause, else the first line. */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            Matcher m = MISSING_LIBRARY.matcher(String.valueOf(t.getMessage()));
            if (m.find()) return m.group(1) + " not found (install it or add its folder to LD_LIBRARY_PATH)";
        }
        String text = e.getMessage() == null ? e.toString() : e.getClass().getSimpleName() + ": " + e.getMessage();
        return text.lines().findFirst().orElse(text).trim();
    }
}
