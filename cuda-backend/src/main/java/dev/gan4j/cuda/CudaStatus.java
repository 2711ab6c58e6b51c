package dev.gan4j.cuda;

import jcuda.driver.CUresult;
import jcuda.jcublas.cublasStatus;
import jcuda.jcudnn.JCudnn;
import jcuda.nvrtc.nvrtcResult;

/**
 * Turns the status codes of the four libraries into exceptions that name the call. JCuda's own
 * exceptions stay disabled: cuDNN 9 renumbered its codes, so only {@code cudnnGetErrorString} names
 * them correctly (cuda-notes 3.5).
 */
final class CudaStatus {

    private CudaStatus() {}

    static void driver(int status, String call) {
        if (status == CUresult.CUDA_SUCCESS) return;
        if (status == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
            throw new CudaOutOfMemoryException("cuda: " + call + " failed: out of device memory");
        }
        throw new IllegalStateException("cuda: " + call + " failed: " + CUresult.stringFor(status));
    }

    static void cublas(int status, String call) {
        if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new IllegalStateException("cuBLAS: " + call + " failed: " + cublasStatus.stringFor(status));
        }
    }

    static void cudnn(int status, String call) {
        if (status != 0) {
            throw new IllegalStateException("cuDNN: " + call + " failed: " + JCudnn.cudnnGetErrorString(status)
                    + " (status " + status + ")");
        }
    }

    static void nvrtc(int status, String call) {
        if (status != nvrtcResult.NVRTC_SUCCESS) {
            throw new IllegalStateException("NVRTC: " + call + " failed: " + nvrtcResult.stringFor(status));
        }
    }
}
