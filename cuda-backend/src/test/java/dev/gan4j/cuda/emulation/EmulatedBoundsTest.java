package dev.gan4j.cuda.emulation;

import static dev.gan4j.cuda.emulation.CudaTestSupport.check;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.nvrtc.JNvrtc.nvrtcCompileProgram;
import static jcuda.nvrtc.JNvrtc.nvrtcCreateProgram;
import static jcuda.nvrtc.JNvrtc.nvrtcDestroyProgram;
import static jcuda.nvrtc.JNvrtc.nvrtcGetPTX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import jcuda.nvrtc.nvrtcProgram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Bounds-checked emulated device memory: every allocation ends flush against an inaccessible page, so a
 * kernel or copy that runs past the end fails at once with an error status, and a cuBLAS/cuDNN call that
 * does ends the process with a message naming the call (checked in a child JVM). Emulation only: a GPU
 * reports such faults asynchronously.
 */
@Tag("cuda")
class EmulatedBoundsTest {
    private static final String SOURCE = """
            extern "C" __global__ void ones(float* out, long n) {
                for (long i = blockIdx.x * (long) blockDim.x + threadIdx.x; i < n; i += (long) blockDim.x * gridDim.x)
                    out[i] = 1.0f;
            }
            """;

    private final CudaTestSupport gpu = new CudaTestSupport();

    @AfterEach
    void free() {
        gpu.close();
    }

    @Test
    void kernelWritingPastTheEndFailsAtItsLaunch() {
        assumeTrue(CudaTestSupport.emulated(), "bounds checks are the emulation's");
        CUfunction ones = compile();
        CUdeviceptr out = gpu.alloc(1024 * 4);
        assertEquals(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS, launch(ones, out, 1025));
        check(launch(ones, out, 1024), "the same kernel within bounds");
        assertEquals(1.0f, gpu.download(out, 1024)[1023]);
    }

    @Test
    void copyPastTheEndFails() {
        assumeTrue(CudaTestSupport.emulated(), "bounds checks are the emulation's");
        CUdeviceptr small = gpu.alloc(1024 * 4);
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, cuMemcpyHtoD(small, Pointer.to(new float[2048]), 2048 * 4));
    }

    @Test
    void libraryCallPastTheEndStopsTheProcessNamingTheCall() throws IOException, InterruptedException {
        assumeTrue(CudaTestSupport.emulated(), "bounds checks are the emulation's");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String tmp = System.getProperty("java.io.tmpdir");
        Process child = new ProcessBuilder(List.of(java, "-XX:-CreateCoredumpOnCrash",
                "-XX:ErrorFile=" + tmp + "/hs_err_bounds_%p.log", "-Djava.io.tmpdir=" + tmp,
                "-cp", System.getProperty("java.class.path"), GemmPastTheEnd.class.getName()))
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = child.waitFor();
        assertNotEquals(0, status, output);
        assertTrue(output.contains("gan4j CUDA emulation: cublasSgemm_v2 accessed device memory out of bounds"), output);
    }

    /** A 64x64 product into a 16-element C: run in a child JVM, which it ends. */
    static final class GemmPastTheEnd {
        public static void main(String[] args) {
            try (CudaTestSupport gpu = new CudaTestSupport()) {
                cublasHandle handle = new cublasHandle();
                JCublas2.cublasCreate(handle);
                CUdeviceptr a = gpu.alloc(64 * 64 * 4), c = gpu.alloc(16 * 4);
                Pointer one = Pointer.to(new float[] {1f}), zero = Pointer.to(new float[] {0f});
                int rc = JCublas2.cublasSgemm(handle, cublasOperation.CUBLAS_OP_N, cublasOperation.CUBLAS_OP_N, 64, 64, 64,
                        one, a, 64, a, 64, zero, c, 64);
                System.out.println("cublasSgemm returned " + rc + " instead of stopping the process");
            }
        }
    }

    private CUfunction compile() {
        nvrtcProgram prog = new nvrtcProgram();
        check(nvrtcCreateProgram(prog, SOURCE, "bounds.cu", 0, null, null), "nvrtcCreateProgram");
        check(nvrtcCompileProgram(prog, 0, null), "nvrtcCompileProgram");
        String[] ptx = {null};
        check(nvrtcGetPTX(prog, ptx), "nvrtcGetPTX");
        nvrtcDestroyProgram(prog);
        CUmodule module = new CUmodule();
        check(cuModuleLoadData(module, ptx[0]), "cuModuleLoadData");
        CUfunction f = new CUfunction();
        check(cuModuleGetFunction(f, module, "ones"), "cuModuleGetFunction");
        return f;
    }

    private static int launch(CUfunction f, CUdeviceptr out, long n) {
        return cuLaunchKernel(f, 4, 1, 1, 128, 1, 1, 0, null, Pointer.to(Pointer.to(out), Pointer.to(new long[] {n})), null);
    }
}
