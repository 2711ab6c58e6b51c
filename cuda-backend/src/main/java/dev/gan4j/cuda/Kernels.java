package dev.gan4j.cuda;

import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;
import jcuda.nvrtc.JNvrtc;
import jcuda.nvrtc.nvrtcProgram;
import jcuda.nvrtc.nvrtcResult;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The custom kernels: every program of {@link KernelSources} compiled once with NVRTC for the device
 * (a CUBIN for its sm, or PTX for the newest architecture NVRTC knows when it does not know the device),
 * loaded into the primary context, and launched by name on the device's stream.
 */
final class Kernels {

    private static final Pattern KERNEL = Pattern.compile("extern \"C\" __global__ void (\\w+)\\(");
    private static final int BLOCK = 256;
    private static final int MAX_GRID = 65535;

    private final CudaDevice device;
    private final Map<String, CUfunction> functions = new HashMap<>();

    Kernels(CudaDevice device) {
        this.device = device;
        for (String program : KernelSources.PROGRAMS) load(program, KernelSources.program(program));
    }

    private void load(String program, String source) {
        CUmodule module = new CUmodule();
        Object image = compile(program + ".cu", source);
        int status = image instanceof byte[] cubin ? JCudaDriver.cuModuleLoadData(module, cubin)
                : JCudaDriver.cuModuleLoadData(module, (String) image);
        CudaStatus.driver(status, "cuModuleLoadData(" + program + ")");
        Matcher m = KERNEL.matcher(source);
        while (m.find()) {
            CUfunction function = new CUfunction();
            CudaStatus.driver(JCudaDriver.cuModuleGetFunction(function, module, m.group(1)),
                    "cuModuleGetFunction(" + m.group(1) + ")");
            functions.put(m.group(1), function);
        }
    }

    /** A CUBIN ({@code byte[]}) or, when NVRTC cannot target the device's sm directly, PTX ({@code String}). */
    private Object compile(String file, String source) {
        nvrtcProgram program = new nvrtcProgram();
        CudaStatus.nvrtc(JNvrtc.nvrtcCreateProgram(program, source, file, 0, null, null), "nvrtcCreateProgram(" + file + ")");
        try {
            int status = compile(program, "--gpu-architecture=sm_" + device.computeCapability);
            if (status == nvrtcResult.NVRTC_ERROR_INVALID_OPTION) {
                status = compile(program, "--gpu-architecture=compute_" + newestArchitecture());
            }
            if (status != nvrtcResult.NVRTC_SUCCESS) {
                String[] log = {""};
                JNvrtc.nvrtcGetProgramLog(program, log);
                throw new IllegalStateException("NVRTC: compiling " + file + " failed: " + nvrtcResult.stringFor(status)
                        + "\n" + log[0]);
            }
            long[] size = {0};
            CudaStatus.nvrtc(JNvrtc.nvrtcGetCUBINSize(program, size), "nvrtcGetCUBINSize");
            if (size[0] > 0) {
                byte[] cubin = new byte[Math.toIntExact(size[0])];
                CudaStatus.nvrtc(JNvrtc.nvrtcGetCUBIN(program, cubin), "nvrtcGetCUBIN");
                return cubin;
            }
            String[] ptx = {null};
            CudaStatus.nvrtc(JNvrtc.nvrtcGetPTX(program, ptx), "nvrtcGetPTX");
            return ptx[0];
        } finally {
            JNvrtc.nvrtcDestroyProgram(program);
        }
    }

    /** No fused multiply-add contraction: the kernels round like the CPU backend does. */
    private static int compile(nvrtcProgram program, String architecture) {
        return JNvrtc.nvrtcCompileProgram(program, 2, new String[] {architecture, "--fmad=false"});
    }

    private static int newestArchitecture() {
        int[] count = {0};
        CudaStatus.nvrtc(JNvrtc.nvrtcGetNumSupportedArchs(count), "nvrtcGetNumSupportedArchs");
        int[] archs = new int[count[0]];
        CudaStatus.nvrtc(JNvrtc.nvrtcGetSupportedArchs(archs), "nvrtcGetSupportedArchs");
        return archs[archs.length - 1];
    }

    /**
     * Launches a kernel with enough threads for {@code n} elements (its grid-stride loop covers the rest).
     * Arguments: device pointers ({@link Pointer}), {@code Integer}, {@code Long}, {@code Float}, {@code Double},
     * or {@code int[]} for a struct passed by value.
     */
    void launch(String kernel, long n, Object... args) {
        if (n == 0) return;
        CUfunction function = functions.get(kernel);
        if (function == null) throw new IllegalArgumentException("cuda: no kernel named " + kernel);
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) params[i] = parameter(args[i]);
        int grid = (int) Math.min((n + BLOCK - 1) / BLOCK, MAX_GRID);
        CudaStatus.driver(JCudaDriver.cuLaunchKernel(function, grid, 1, 1, BLOCK, 1, 1, 0, device.stream,
                Pointer.to(params), null), "cuLaunchKernel(" + kernel + ")");
    }

    private static Pointer parameter(Object arg) {
        if (arg instanceof Pointer p) return Pointer.to(p);
        if (arg instanceof Integer v) return Pointer.to(new int[] {v});
        if (arg instanceof Long v) return Pointer.to(new long[] {v});
        if (arg instanceof Float v) return Pointer.to(new float[] {v});
        if (arg instanceof Double v) return Pointer.to(new double[] {v});
        if (arg instanceof int[] struct) return Pointer.to(struct);
        throw new IllegalArgumentException("cuda: unsupported kernel argument " + arg);
    }
}
