/*
 * libcublas.so.12 — the handful of cuBLAS entry points gan4j needs, as reference loops.
 *
 * Matrices are column-major: element (i, j) of a matrix with leading dimension ld is at
 * [i + j*ld]. op(X) is X or its transpose (CUBLAS_OP_C is the transpose for real numbers).
 * Products are accumulated in double. Scalars are read through their pointers; with device memory
 * being host memory, CUBLAS_POINTER_MODE_HOST and _DEVICE read them the same way.
 * The handle's stream, math mode and workspace are stored and otherwise ignored: every call has
 * finished when it returns, and there are no tensor cores to allow.
 */
#include "emu.h"

#include <stdlib.h>

typedef int cublasStatus_t;
enum {
    CUBLAS_STATUS_SUCCESS = 0,
    CUBLAS_STATUS_NOT_INITIALIZED = 1,
    CUBLAS_STATUS_ALLOC_FAILED = 3,
    CUBLAS_STATUS_INVALID_VALUE = 7,
    CUBLAS_STATUS_ARCH_MISMATCH = 8,
    CUBLAS_STATUS_MAPPING_ERROR = 11,
    CUBLAS_STATUS_EXECUTION_FAILED = 13,
    CUBLAS_STATUS_INTERNAL_ERROR = 14,
    CUBLAS_STATUS_NOT_SUPPORTED = 15,
    CUBLAS_STATUS_LICENSE_ERROR = 16,
};
enum { CUBLAS_OP_N = 0, CUBLAS_OP_T = 1, CUBLAS_OP_C = 2 };

typedef struct handle {
    void *stream;
    int math_mode, pointer_mode, atomics_mode;
} handle;

/* ---------------------------------------------------------------- status and versions */

EMU_API const char *cublasGetStatusName(cublasStatus_t s)
{
    switch (s) {
    case 0: return "CUBLAS_STATUS_SUCCESS";
    case 1: return "CUBLAS_STATUS_NOT_INITIALIZED";
    case 3: return "CUBLAS_STATUS_ALLOC_FAILED";
    case 7: return "CUBLAS_STATUS_INVALID_VALUE";
    case 8: return "CUBLAS_STATUS_ARCH_MISMATCH";
    case 11: return "CUBLAS_STATUS_MAPPING_ERROR";
    case 13: return "CUBLAS_STATUS_EXECUTION_FAILED";
    case 14: return "CUBLAS_STATUS_INTERNAL_ERROR";
    case 15: return "CUBLAS_STATUS_NOT_SUPPORTED";
    case 16: return "CUBLAS_STATUS_LICENSE_ERROR";
    default: return "CUBLAS_STATUS_UNKNOWN";
    }
}

EMU_API const char *cublasGetStatusString(cublasStatus_t s)
{
    switch (s) {
    case 0: return "the operation completed successfully";
    case 1: return "the library was not initialized";
    case 3: return "the resource allocation failed";
    case 7: return "an invalid numeric value was used as an argument";
    case 8: return "an absent device architectural feature is required";
    case 11: return "an access to GPU memory space failed";
    case 13: return "the GPU program failed to execute";
    case 14: return "an internal operation failed";
    case 15: return "the functionality requested is not supported";
    case 16: return "an error was detected when checking the current licensing";
    default: return "unknown error";
    }
}

EMU_API cublasStatus_t cublasGetVersion_v2(handle *h, int *version)
{
    (void)h;
    if (!version) return CUBLAS_STATUS_INVALID_VALUE;
    *version = 120600;      /* major*10000 + minor*100 + patch: cuBLAS 12.6.0 */
    return CUBLAS_STATUS_SUCCESS;
}

EMU_API cublasStatus_t cublasGetProperty(int type, int *value)
{
    static const int version[] = {12, 6, 0};   /* MAJOR_VERSION, MINOR_VERSION, PATCH_LEVEL */
    if (!value || type < 0 || type > 2) return CUBLAS_STATUS_INVALID_VALUE;
    *value = version[type];
    return CUBLAS_STATUS_SUCCESS;
}

EMU_API size_t cublasGetCudartVersion(void) { return 12060; }

/* ---------------------------------------------------------------- handle */

EMU_API cublasStatus_t cublasCreate_v2(handle **h)
{
    if (!h) return CUBLAS_STATUS_INVALID_VALUE;
    *h = calloc(1, sizeof **h);
    return *h ? CUBLAS_STATUS_SUCCESS : CUBLAS_STATUS_ALLOC_FAILED;
}

EMU_API cublasStatus_t cublasDestroy_v2(handle *h)
{
    if (!h) return CUBLAS_STATUS_NOT_INITIALIZED;
    free(h);
    return CUBLAS_STATUS_SUCCESS;
}

#define NEED_HANDLE(h) do { if (!(h)) return CUBLAS_STATUS_NOT_INITIALIZED; } while (0)

EMU_API cublasStatus_t cublasSetStream_v2(handle *h, void *stream) { NEED_HANDLE(h); h->stream = stream; return 0; }
EMU_API cublasStatus_t cublasGetStream_v2(handle *h, void **stream)
{
    NEED_HANDLE(h);
    if (!stream) return CUBLAS_STATUS_INVALID_VALUE;
    *stream = h->stream;
    return CUBLAS_STATUS_SUCCESS;
}

/* Modes: DEFAULT 0, TENSOR_OP 1, PEDANTIC 2, TF32_TENSOR_OP 3, optionally with
 * CUBLAS_MATH_DISALLOW_REDUCED_PRECISION_REDUCTION (16). */
EMU_API cublasStatus_t cublasSetMathMode(handle *h, int mode)
{
    NEED_HANDLE(h);
    if ((mode & ~16) < 0 || (mode & ~16) > 3) return CUBLAS_STATUS_INVALID_VALUE;
    h->math_mode = mode;
    return CUBLAS_STATUS_SUCCESS;
}

EMU_API cublasStatus_t cublasGetMathMode(handle *h, int *mode)
{
    NEED_HANDLE(h);
    if (!mode) return CUBLAS_STATUS_INVALID_VALUE;
    *mode = h->math_mode;
    return CUBLAS_STATUS_SUCCESS;
}

EMU_API cublasStatus_t cublasSetPointerMode_v2(handle *h, int mode)
{
    NEED_HANDLE(h);
    if (mode != 0 && mode != 1) return CUBLAS_STATUS_INVALID_VALUE;
    h->pointer_mode = mode;
    return CUBLAS_STATUS_SUCCESS;
}

EMU_API cublasStatus_t cublasGetPointerMode_v2(handle *h, int *mode)
{
    NEED_HANDLE(h);
    if (!mode) return CUBLAS_STATUS_INVALID_VALUE;
    *mode = h->pointer_mode;
    return CUBLAS_STATUS_SUCCESS;
}

EMU_API cublasStatus_t cublasSetAtomicsMode(handle *h, int mode) { NEED_HANDLE(h); h->atomics_mode = mode; return 0; }
EMU_API cublasStatus_t cublasGetAtomicsMode(handle *h, int *mode)
{
    NEED_HANDLE(h);
    if (!mode) return CUBLAS_STATUS_INVALID_VALUE;
    *mode = h->atomics_mode;
    return CUBLAS_STATUS_SUCCESS;
}

EMU_API cublasStatus_t cublasSetWorkspace_v2(handle *h, void *workspace, size_t bytes)
{
    (void)workspace; (void)bytes;
    NEED_HANDLE(h);
    return CUBLAS_STATUS_SUCCESS;
}

/* ---------------------------------------------------------------- GEMM */

static int valid_op(int op) { return op == CUBLAS_OP_N || op == CUBLAS_OP_T || op == CUBLAS_OP_C; }
static long max1(long x) { return x > 1 ? x : 1; }

/* op(X)(i, j) for a column-major X with leading dimension ld. */
static float at(const float *x, long ld, int op, long i, long j)
{
    return op == CUBLAS_OP_N ? x[i + j * ld] : x[j + i * ld];
}

/* C = alpha*op(A)*op(B) + beta*C with op(A) m x k, op(B) k x n, C m x n. When beta is 0, C is
 * not read; when alpha is 0 or k is 0, A and B are not read. */
static void gemm(int ta, int tb, long m, long n, long k, float alpha, const float *a, long lda,
                 const float *b, long ldb, float beta, float *c, long ldc)
{
    for (long j = 0; j < n; j++)
        for (long i = 0; i < m; i++) {
            double sum = 0.0;
            if (alpha != 0.0f)
                for (long p = 0; p < k; p++)
                    sum += (double)at(a, lda, ta, i, p) * (double)at(b, ldb, tb, p, j);
            float *out = &c[i + j * ldc];
            *out = emu_blend(alpha, sum, beta, out);
        }
}

/* The argument checks cuBLAS documents for gemm (CUBLAS_STATUS_INVALID_VALUE). */
static cublasStatus_t check_gemm(int ta, int tb, long m, long n, long k, const void *alpha,
                                 long lda, long ldb, const void *beta, long ldc)
{
    if (!valid_op(ta) || !valid_op(tb) || m < 0 || n < 0 || k < 0 || !alpha || !beta)
        return CUBLAS_STATUS_INVALID_VALUE;
    if (lda < max1(ta == CUBLAS_OP_N ? m : k) || ldb < max1(tb == CUBLAS_OP_N ? k : n) || ldc < max1(m))
        return CUBLAS_STATUS_INVALID_VALUE;
    return CUBLAS_STATUS_SUCCESS;
}

static cublasStatus_t sgemm(handle *h, int ta, int tb, long m, long n, long k, const float *alpha,
                            const float *a, long lda, const float *b, long ldb, const float *beta,
                            float *c, long ldc)
{
    NEED_HANDLE(h);
    cublasStatus_t s = check_gemm(ta, tb, m, n, k, alpha, lda, ldb, beta, ldc);
    if (s != CUBLAS_STATUS_SUCCESS) return s;
    gemm(ta, tb, m, n, k, *alpha, a, lda, b, ldb, *beta, c, ldc);
    return CUBLAS_STATUS_SUCCESS;
}

EMU_API cublasStatus_t cublasSgemm_v2(handle *h, int ta, int tb, int m, int n, int k,
                                      const float *alpha, const float *a, int lda, const float *b,
                                      int ldb, const float *beta, float *c, int ldc)
{
    return sgemm(h, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

EMU_API cublasStatus_t cublasSgemm_v2_64(handle *h, int ta, int tb, int64_t m, int64_t n, int64_t k,
                                         const float *alpha, const float *a, int64_t lda,
                                         const float *b, int64_t ldb, const float *beta, float *c,
                                         int64_t ldc)
{
    return sgemm(h, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

static cublasStatus_t sgemm_strided(handle *h, int ta, int tb, long m, long n, long k,
                                    const float *alpha, const float *a, long lda, long long sa,
                                    const float *b, long ldb, long long sb, const float *beta,
                                    float *c, long ldc, long long sc, long batch)
{
    NEED_HANDLE(h);
    cublasStatus_t s = check_gemm(ta, tb, m, n, k, alpha, lda, ldb, beta, ldc);
    if (s != CUBLAS_STATUS_SUCCESS) return s;
    if (batch < 0) return CUBLAS_STATUS_INVALID_VALUE;
    for (long i = 0; i < batch; i++)
        gemm(ta, tb, m, n, k, *alpha, a + i * sa, lda, b + i * sb, ldb, *beta, c + i * sc, ldc);
    return CUBLAS_STATUS_SUCCESS;
}

EMU_API cublasStatus_t cublasSgemmStridedBatched(handle *h, int ta, int tb, int m, int n, int k,
                                                 const float *alpha, const float *a, int lda,
                                                 long long sa, const float *b, int ldb, long long sb,
                                                 const float *beta, float *c, int ldc, long long sc,
                                                 int batch)
{
    return sgemm_strided(h, ta, tb, m, n, k, alpha, a, lda, sa, b, ldb, sb, beta, c, ldc, sc, batch);
}

EMU_API cublasStatus_t cublasSgemmStridedBatched_64(handle *h, int ta, int tb, int64_t m, int64_t n,
                                                    int64_t k, const float *alpha, const float *a,
                                                    int64_t lda, long long sa, const float *b,
                                                    int64_t ldb, long long sb, const float *beta,
                                                    float *c, int64_t ldc, long long sc, int64_t batch)
{
    return sgemm_strided(h, ta, tb, m, n, k, alpha, a, lda, sa, b, ldb, sb, beta, c, ldc, sc, batch);
}

/* ---------------------------------------------------------------- GEAM */

/* C = alpha*op(A) + beta*op(B), m x n. A term whose scalar is 0 is not read. Computed element by
 * element, so the in-place forms cuBLAS allows (C == A with lda == ldc and transa == N, likewise
 * for B) work. */
static cublasStatus_t sgeam(handle *h, int ta, int tb, long m, long n, const float *alpha,
                            const float *a, long lda, const float *beta, const float *b, long ldb,
                            float *c, long ldc)
{
    NEED_HANDLE(h);
    if (!valid_op(ta) || !valid_op(tb) || m < 0 || n < 0 || !alpha || !beta)
        return CUBLAS_STATUS_INVALID_VALUE;
    if (lda < max1(ta == CUBLAS_OP_N ? m : n) || ldb < max1(tb == CUBLAS_OP_N ? m : n) || ldc < max1(m))
        return CUBLAS_STATUS_INVALID_VALUE;
    if ((c == a && (ta != CUBLAS_OP_N || lda != ldc)) || (c == b && (tb != CUBLAS_OP_N || ldb != ldc)))
        return CUBLAS_STATUS_INVALID_VALUE;
    for (long j = 0; j < n; j++)
        for (long i = 0; i < m; i++) {
            double v = 0.0;
            if (*alpha != 0.0f) v += (double)*alpha * at(a, lda, ta, i, j);
            if (*beta != 0.0f) v += (double)*beta * at(b, ldb, tb, i, j);
            c[i + j * ldc] = (float)v;
        }
    return CUBLAS_STATUS_SUCCESS;
}

EMU_API cublasStatus_t cublasSgeam(handle *h, int ta, int tb, int m, int n, const float *alpha,
                                   const float *a, int lda, const float *beta, const float *b,
                                   int ldb, float *c, int ldc)
{
    return sgeam(h, ta, tb, m, n, alpha, a, lda, beta, b, ldb, c, ldc);
}

EMU_API cublasStatus_t cublasSgeam_64(handle *h, int ta, int tb, int64_t m, int64_t n,
                                      const float *alpha, const float *a, int64_t lda,
                                      const float *beta, const float *b, int64_t ldb, float *c,
                                      int64_t ldc)
{
    return sgeam(h, ta, tb, m, n, alpha, a, lda, beta, b, ldb, c, ldc);
}
