package dev.gan4j.cuda.emulation;

import static dev.gan4j.cuda.emulation.CudaTestSupport.assertClose;
import static dev.gan4j.cuda.emulation.CudaTestSupport.random;
import static dev.gan4j.cuda.emulation.CudaTestSupport.scalar;
import static jcuda.jcublas.JCublas2.cublasCreate;
import static jcuda.jcublas.JCublas2.cublasDestroy;
import static jcuda.jcublas.JCublas2.cublasGetVersion;
import static jcuda.jcublas.JCublas2.cublasSgeam;
import static jcuda.jcublas.JCublas2.cublasSgemm;
import static jcuda.jcublas.JCublas2.cublasSgemmStridedBatched;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import jcuda.driver.CUdeviceptr;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** cuBLAS GEMMs against a column-major reference: transposes, leading dimensions, alpha/beta. */
@Tag("cuda")
class EmulatedCublasTest {
    private final CudaTestSupport gpu = new CudaTestSupport();
    private final cublasHandle handle = new cublasHandle();
    private final Random rng = new Random(6);

    EmulatedCublasTest() {
        assertEquals(0, cublasCreate(handle));
    }

    @AfterEach
    void free() {
        cublasDestroy(handle);
        gpu.close();
    }

    /** op(X)(i, j) of a column-major X with leading dimension ld. */
    private static double at(float[] x, int offset, int ld, boolean trans, int i, int j) {
        return trans ? x[offset + j + i * ld] : x[offset + i + j * ld];
    }

    /** C = alpha*op(A)*op(B) + beta*C in double; beta == 0 ignores C. */
    private static double[] gemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int aOff,
                                 int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        double[] out = new double[c.length];
        for (int i = 0; i < c.length; i++) out[i] = c[i];
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++) {
                double sum = 0;
                for (int p = 0; p < k; p++) sum += at(a, aOff, lda, ta, i, p) * at(b, bOff, ldb, tb, p, j);
                double old = beta == 0 ? 0 : beta * (double) c[cOff + i + j * ldc];
                out[cOff + i + j * ldc] = alpha * sum + old;
            }
        return out;
    }

    @Test
    void versionIsCuda12() {
        int[] version = {0};
        assertEquals(0, cublasGetVersion(handle, version));
        assertTrue(version[0] >= 12_0000, "cuBLAS version " + version[0]);
    }

    @Test
    void sgemmWithEveryTransposeLeadingDimensionAndBeta() {
        int m = 5, n = 4, k = 3;
        for (boolean ta : new boolean[] {false, true})
            for (boolean tb : new boolean[] {false, true})
                for (float beta : new float[] {0f, 0.5f}) {
                    int lda = (ta ? k : m) + 2, ldb = (tb ? n : k) + 1, ldc = m + 3;
                    float[] a = random(rng, lda * (ta ? m : k)), b = random(rng, ldb * (tb ? k : n));
                    float[] c = random(rng, ldc * n);
                    if (beta == 0) java.util.Arrays.fill(c, Float.NaN);
                    CUdeviceptr cd = gpu.upload(c);
                    int rc = cublasSgemm(handle, ta ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N,
                            tb ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N, m, n, k, scalar(1.5f),
                            gpu.upload(a), lda, gpu.upload(b), ldb, scalar(beta), cd, ldc);
                    assertEquals(0, rc);
                    double[] expected = gemm(ta, tb, m, n, k, 1.5f, a, 0, lda, b, 0, ldb, beta, c, 0, ldc);
                    // Rows m..ldc-1 of C are padding: cuBLAS leaves them alone (NaN stays NaN).
                    float[] got = gpu.download(cd, c.length);
                    for (int j = 0; j < n; j++)
                        for (int i = m; i < ldc; i++) {
                            assertEquals(c[i + j * ldc], got[i + j * ldc], 0f, "padding");
                            expected[i + j * ldc] = got[i + j * ldc] = 0;
                        }
                    assertClose(expected, got, "sgemm ta=" + ta + " tb=" + tb + " beta=" + beta);
                }
    }

    @Test
    void stridedBatchedSgemmAppliesEachBatchAtItsStride() {
        int m = 3, n = 2, k = 4, batch = 3;
        int lda = m, ldb = n, ldc = m;                   // A: N, B: T
        long sa = (long) lda * k + 5, sb = (long) ldb * k + 2, sc = (long) ldc * n + 1;
        float[] a = random(rng, (int) sa * batch), b = random(rng, (int) sb * batch), c = random(rng, (int) sc * batch);
        CUdeviceptr cd = gpu.upload(c);
        assertEquals(0, cublasSgemmStridedBatched(handle, cublasOperation.CUBLAS_OP_N, cublasOperation.CUBLAS_OP_T,
                m, n, k, scalar(-1f), gpu.upload(a), lda, sa, gpu.upload(b), ldb, sb, scalar(1f), cd, ldc, sc,
                batch));
        double[] expected = new double[c.length];
        for (int i = 0; i < c.length; i++) expected[i] = c[i];
        for (int i = 0; i < batch; i++) {
            double[] one = gemm(false, true, m, n, k, -1f, a, (int) (i * sa), lda, b, (int) (i * sb), ldb, 1f, c,
                    (int) (i * sc), ldc);
            for (int j = 0; j < n; j++)
                for (int r = 0; r < m; r++) {
                    int at = (int) (i * sc) + r + j * ldc;
                    expected[at] = one[at];
                }
        }
        assertClose(expected, gpu.download(cd, c.length), "strided batched sgemm");
    }

    @Test
    void sgeamAddsTransposedMatrices() {
        int m = 3, n = 4;
        float[] a = random(rng, n * m), b = random(rng, m * n);   // A stored n x m (transposed), B m x n
        CUdeviceptr cd = gpu.nans(m * n);
        assertEquals(0, cublasSgeam(handle, cublasOperation.CUBLAS_OP_T, cublasOperation.CUBLAS_OP_N, m, n,
                scalar(2f), gpu.upload(a), n, scalar(-1f), gpu.upload(b), m, cd, m));
        double[] expected = new double[m * n];
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++) expected[i + j * m] = 2.0 * a[j + i * n] - b[i + j * m];
        assertClose(expected, gpu.download(cd, m * n), "sgeam");
    }
}
