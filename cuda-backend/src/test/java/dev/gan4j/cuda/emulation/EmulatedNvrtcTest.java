package dev.gan4j.cuda.emulation;

import static dev.gan4j.cuda.emulation.CudaTestSupport.check;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;
import static jcuda.nvrtc.JNvrtc.nvrtcCompileProgram;
import static jcuda.nvrtc.JNvrtc.nvrtcCreateProgram;
import static jcuda.nvrtc.JNvrtc.nvrtcDestroyProgram;
import static jcuda.nvrtc.JNvrtc.nvrtcGetCUBIN;
import static jcuda.nvrtc.JNvrtc.nvrtcGetCUBINSize;
import static jcuda.nvrtc.JNvrtc.nvrtcGetProgramLog;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jcuda.Pointer;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.nvrtc.nvrtcProgram;
import jcuda.nvrtc.nvrtcResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** NVRTC compile, CUBIN load and launch, the way the CUDA backend runs its own kernels. */
@Tag("cuda")
class EmulatedNvrtcTest {
    private static final String SOURCE = """
            struct Affine { float scale; float shift; };

            // Grid-stride: any grid covers n.
            extern "C" __global__ void affine(float* __restrict__ out, const float* __restrict__ x,
                                              Affine f, long long n) {
                for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n;
                     i += (long long)blockDim.x * gridDim.x)
                    out[i] = fmaxf(f.scale * x[i] + f.shift, 0.0f);
            }

            // One row per blockIdx.y, grid-stride over columns: checks the 2-D launch indices.
            extern "C" __global__ void __launch_bounds__(128) coordinates(int* out, int rows, int cols) {
                int r = blockIdx.y;
                for (int c = blockIdx.x * blockDim.x + threadIdx.x; c < cols; c += blockDim.x * gridDim.x)
                    if (r < rows) out[r * cols + c] = r * 1000 + c;
            }
            """;

    private final CudaTestSupport gpu = new CudaTestSupport();

    @AfterEach
    void free() {
        gpu.close();
    }

    private static String arch() {
        int[] major = {0}, minor = {0};
        check(cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                CudaTestSupport.device()), "major");
        check(cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
                CudaTestSupport.device()), "minor");
        return "--gpu-architecture=sm_" + major[0] + minor[0];
    }

    private static String log(nvrtcProgram prog) {
        String[] log = {null};
        nvrtcGetProgramLog(prog, log);
        return log[0];
    }

    @Test
    void compilesLoadsAndLaunchesGridStrideKernels() {
        nvrtcProgram prog = new nvrtcProgram();
        assertEquals(0, nvrtcCreateProgram(prog, SOURCE, "test_kernels.cu", 0, null, null));
        int rc = nvrtcCompileProgram(prog, 2, new String[] {arch(), "-default-device"});
        assertEquals(nvrtcResult.NVRTC_SUCCESS, rc, () -> log(prog));
        long[] size = {0};
        assertEquals(0, nvrtcGetCUBINSize(prog, size));
        assertTrue(size[0] > 0);
        byte[] cubin = new byte[(int) size[0]];
        assertEquals(0, nvrtcGetCUBIN(prog, cubin));
        nvrtcDestroyProgram(prog);

        CUmodule module = new CUmodule();
        check(cuModuleLoadData(module, cubin), "cuModuleLoadData");
        CUfunction affine = new CUfunction(), coordinates = new CUfunction();
        check(cuModuleGetFunction(affine, module, "affine"), "cuModuleGetFunction affine");
        check(cuModuleGetFunction(coordinates, module, "coordinates"), "cuModuleGetFunction coordinates");
        assertEquals(CUresult.CUDA_ERROR_NOT_FOUND, cuModuleGetFunction(new CUfunction(), module, "missing"));

        int n = 1000;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = i - 300;
        CUdeviceptr xd = gpu.upload(x), out = gpu.nans(n);
        Pointer params = Pointer.to(Pointer.to(out), Pointer.to(xd), Pointer.to(new float[] {0.5f, 2f}),
                Pointer.to(new long[] {n}));
        check(cuLaunchKernel(affine, 3, 1, 1, 64, 1, 1, 0, new CUstream(), params, null), "launch affine");
        check(cuCtxSynchronize(), "cuCtxSynchronize");
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) expected[i] = Math.max(0.5f * x[i] + 2f, 0f);
        assertArrayEquals(expected, gpu.download(out, n));

        int rows = 5, cols = 300;
        CUdeviceptr grid = gpu.alloc(rows * cols * 4L);
        Pointer gridParams = Pointer.to(Pointer.to(grid), Pointer.to(new int[] {rows}), Pointer.to(new int[] {cols}));
        check(cuLaunchKernel(coordinates, 2, rows, 1, 128, 1, 1, 0, null, gridParams, null), "launch coordinates");
        check(cuCtxSynchronize(), "cuCtxSynchronize");
        int[] got = new int[rows * cols];
        check(jcuda.driver.JCudaDriver.cuMemcpyDtoH(Pointer.to(got), grid, got.length * 4L), "cuMemcpyDtoH");
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) assertEquals(r * 1000 + c, got[r * cols + c]);
        check(cuModuleUnload(module), "cuModuleUnload");
    }

    @Test
    void compileErrorsComeBackThroughTheLog() {
        nvrtcProgram prog = new nvrtcProgram();
        String bad = "extern \"C\" __global__ void broken(float* x) { x[0] = undefined_var; }\n";
        assertEquals(0, nvrtcCreateProgram(prog, bad, "broken.cu", 0, null, null));
        assertEquals(nvrtcResult.NVRTC_ERROR_COMPILATION, nvrtcCompileProgram(prog, 1, new String[] {arch()}));
        String log = log(prog);
        nvrtcDestroyProgram(prog);
        assertTrue(log.contains("undefined_var") && log.contains("broken.cu"), log);
    }
}
