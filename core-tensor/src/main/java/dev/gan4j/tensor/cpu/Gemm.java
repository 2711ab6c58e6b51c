package dev.gan4j.tensor.cpu;

/** Placeholder GEMM (naive loops) until the packed kernel lands; same signatures. */
public final class Gemm {
    private Gemm() {}

    static String kernelName() { return "naive gemm"; }

    public static void sgemmBatched(int batch, boolean transA, boolean transB, int m, int n, int k,
                                    float[] a, int aOffset, int lda, int strideA, float[] b, int bOffset, int ldb, int strideB,
                                    float[] c, int cOffset, int ldc, int strideC, boolean accumulate) {
        for (int q = 0; q < batch; q++) {
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOffset + q * strideA + p * lda + i] : a[aOffset + q * strideA + i * lda + p];
                    float bv = transB ? b[bOffset + q * strideB + j * ldb + p] : b[bOffset + q * strideB + p * ldb + j];
                    s += av * bv;
                }
                int at = cOffset + q * strideC + i * ldc + j;
                c[at] = (float) (accumulate ? c[at] + s : s);
            }
        }
    }

    public static void dgemmBatched(int batch, boolean transA, boolean transB, int m, int n, int k,
                                    double[] a, int aOffset, int lda, int strideA, double[] b, int bOffset, int ldb, int strideB,
                                    double[] c, int cOffset, int ldc, int strideC, boolean accumulate) {
        for (int q = 0; q < batch; q++) {
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[aOffset + q * strideA + p * lda + i] : a[aOffset + q * strideA + i * lda + p];
                    double bv = transB ? b[bOffset + q * strideB + j * ldb + p] : b[bOffset + q * strideB + p * ldb + j];
                    s += av * bv;
                }
                int at = cOffset + q * strideC + i * ldc + j;
                c[at] = accumulate ? c[at] + s : s;
            }
        }
    }
}
