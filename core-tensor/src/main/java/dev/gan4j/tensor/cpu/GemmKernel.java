package dev.gan4j.tensor.cpu;

/**
 * A float32 GEMM micro-kernel: multiplies one packed {@code mr x kc} panel of A by one packed
 * {@code kc x nr} panel of B into an {@code mr x nr} block of C.
 *
 * <p>Panel layouts (both start wherever {@code aOffset}/{@code bOffset} say, zero-padded to full
 * panels by the packer): A holds, for each {@code p}, the {@code mr} values of column {@code p};
 * B holds, for each {@code p}, the {@code nr} values of row {@code p}.
 */
interface GemmKernel {

    /** Rows of C one call produces. */
    int mr();

    /** Columns of C one call produces. */
    int nr();

    /**
     * Writes {@code Apanel * Bpanel} into the {@code mr x nr} block of {@code c} whose row
     * {@code r} starts at {@code c[cOffset + r * ldc]}. It only stores into C, never reads it:
     * adding to C is the caller's job.
     */
    void multiply(int kc, float[] a, int aOffset, float[] b, int bOffset, float[] c, int cOffset, int ldc);

    /**
     * {@link #multiply} for an edge tile of which only the first {@code columns} (at most {@code nr})
     * are wanted: writes at least those columns, the others maybe not. A kernel may compute a narrow
     * edge with fewer vectors instead of multiplying the zero padding of its B panel.
     */
    default void multiplyEdge(int columns, int kc, float[] a, int aOffset, float[] b, int bOffset,
                              float[] c, int cOffset, int ldc) {
        multiply(kc, a, aOffset, b, bOffset, c, cOffset, ldc);
    }

    /**
     * Adds a whole {@code mr x nr} tile, stored with rows {@code nr} apart from index 0, into the
     * block of {@code c} whose row {@code r} starts at {@code c[cOffset + r * ldc]}.
     */
    void addTile(float[] tile, float[] c, int cOffset, int ldc);
}
