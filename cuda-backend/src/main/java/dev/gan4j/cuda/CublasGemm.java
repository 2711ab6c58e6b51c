package dev.gan4j.cuda;

import dev.gan4j.tensor.Layout;
import dev.gan4j.tensor.backend.GemmOperand;
import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasMath;
import jcuda.jcublas.cublasOperation;

/**
 * Row-major batched matrix products on cuBLAS, which is column-major: a row-major matrix is, to cuBLAS,
 * its own transpose, so {@code C = A·B} is computed as {@code Cᵀ = Bᵀ·Aᵀ} by swapping the operands
 * (cuda-notes 3.4). Strided views are read in place through {@link GemmOperand}: a transposed view
 * becomes the transpose flag, its leading dimension the {@code ld}.
 */
final class CublasGemm {

    private static final Pointer ONE = Pointer.to(new float[] {1f});
    private static final Pointer ZERO = Pointer.to(new float[] {0f});

    private final cublasHandle handle = new cublasHandle();

    CublasGemm(CudaDevice device) {
        CudaStatus.cublas(JCublas2.cublasCreate(handle), "cublasCreate");
        CudaStatus.cublas(JCublas2.cublasSetStream(handle, device.runtimeStream()), "cublasSetStream");
        // Full float32 FMA, never TF32 tensor cores, in both of the backend's modes.
        CudaStatus.cublas(JCublas2.cublasSetMathMode(handle, cublasMath.CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
    }

    /** {@code out[b] = a[b] · b[b]} for {@code a [B, M, K]}, {@code b [B, K, N]}; out dense {@code [B, M, N]}. */
    void matmul(CudaStorage a, Layout aLayout, CudaStorage b, Layout bLayout, CudaStorage out) {
        GemmOperand left = GemmOperand.require(aLayout);
        GemmOperand right = GemmOperand.require(bLayout);
        int batch = aLayout.size(0);
        int m = aLayout.size(1);
        int k = aLayout.size(2);
        int n = bLayout.size(2);
        if (batch == 0 || m == 0 || n == 0) return;
        CudaStatus.cublas(JCublas2.cublasSgemmStridedBatched(handle,
                flag(right), flag(left), n, m, k, ONE,
                b.pointer(bLayout.offset()), right.leading(), right.batchStride(),
                a.pointer(aLayout.offset()), left.leading(), left.batchStride(),
                ZERO, out.pointer(0), n, (long) m * n, batch), "cublasSgemmStridedBatched");
    }

    private static int flag(GemmOperand operand) {
        return operand.transposed() ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
    }
}
