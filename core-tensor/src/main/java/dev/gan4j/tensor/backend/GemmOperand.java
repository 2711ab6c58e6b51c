package dev.gan4j.tensor.backend;

import dev.gan4j.tensor.Layout;

/**
 * How a rank-3 view {@code [batch, rows, cols]} is handed to a BLAS-style GEMM: plain or transposed,
 * with a leading dimension and a batch stride. Each matrix must be dense along one of its dims and
 * have its other dim at least that long apart (BLAS's {@code lda >= n}); stride 0 is allowed only
 * across the batch.
 */
public record GemmOperand(boolean transposed, int leading, int batchStride) {

    /** The operand for a view, or null when GEMM cannot read it in place (copy it first). */
    public static GemmOperand of(Layout view) {
        int rows = view.size(1);
        int cols = view.size(2);
        int rowStride = view.stride(1);
        int colStride = view.stride(2);
        if ((colStride == 1 || cols == 1) && (rows == 1 || rowStride >= Math.max(1, cols))) {
            return new GemmOperand(false, rows == 1 ? Math.max(1, cols) : rowStride, view.stride(0));
        }
        if ((rowStride == 1 || rows == 1) && (cols == 1 || colStride >= Math.max(1, rows))) {
            return new GemmOperand(true, cols == 1 ? Math.max(1, rows) : colStride, view.stride(0));
        }
        return null;
    }

    /** {@link #of} for a backend's matmul, whose caller (the tensor layer) already copied unreadable views. */
    public static GemmOperand require(Layout view) {
        GemmOperand operand = of(view);
        if (operand == null) throw new IllegalArgumentException("matmul: GEMM cannot read the strided operand " + view);
        return operand;
    }
}
