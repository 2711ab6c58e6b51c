/*
 * libcudnn.so.9 — the legacy cuDNN API gan4j uses, as reference loops over strided tensors.
 *
 * Descriptors are plain structs. Every computing call follows cuDNN's blending rule
 *     out = alpha * result + beta * out,   where beta == 0 means out is not read,
 * and accumulates in double. Only CUDNN_DATA_FLOAT tensors are computed on
 * (CUDNN_STATUS_NOT_SUPPORTED otherwise); float tensors take float alpha/beta.
 * Status numbers are cuDNN 9's (BAD_PARAM 2000, NOT_SUPPORTED 3000).
 */
#include "emu.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef int cudnnStatus_t;
enum {
    CUDNN_STATUS_SUCCESS = 0,
    CUDNN_STATUS_BAD_PARAM = 2000,
    CUDNN_STATUS_NOT_SUPPORTED = 3000,
    CUDNN_STATUS_EXECUTION_FAILED = 5000,
};
enum { CUDNN_DATA_FLOAT = 0 };
enum { CUDNN_TENSOR_NCHW = 0, CUDNN_TENSOR_NHWC = 1 };
enum { CUDNN_CONVOLUTION = 0, CUDNN_CROSS_CORRELATION = 1 };
enum { CUDNN_NOT_PROPAGATE_NAN = 0, CUDNN_PROPAGATE_NAN = 1 };
enum { CUDNN_NON_DETERMINISTIC = 0, CUDNN_DETERMINISTIC = 1 };
enum { CUDNN_DEFAULT_MATH = 0, CUDNN_TENSOR_OP_MATH = 1, CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION = 2, CUDNN_FMA_MATH = 3 };
enum { CUDNN_BATCHNORM_PER_ACTIVATION = 0, CUDNN_BATCHNORM_SPATIAL = 1, CUDNN_BATCHNORM_SPATIAL_PERSISTENT = 2 };
enum {
    CUDNN_ACTIVATION_SIGMOID = 0, CUDNN_ACTIVATION_RELU = 1, CUDNN_ACTIVATION_TANH = 2,
    CUDNN_ACTIVATION_CLIPPED_RELU = 3, CUDNN_ACTIVATION_ELU = 4, CUDNN_ACTIVATION_IDENTITY = 5,
    CUDNN_ACTIVATION_SWISH = 6,
};
enum {
    CUDNN_OP_TENSOR_ADD = 0, CUDNN_OP_TENSOR_MUL = 1, CUDNN_OP_TENSOR_MIN = 2,
    CUDNN_OP_TENSOR_MAX = 3, CUDNN_OP_TENSOR_SQRT = 4, CUDNN_OP_TENSOR_NOT = 5,
};
enum {
    CUDNN_REDUCE_TENSOR_ADD = 0, CUDNN_REDUCE_TENSOR_MUL = 1, CUDNN_REDUCE_TENSOR_MIN = 2,
    CUDNN_REDUCE_TENSOR_MAX = 3, CUDNN_REDUCE_TENSOR_AMAX = 4, CUDNN_REDUCE_TENSOR_AVG = 5,
    CUDNN_REDUCE_TENSOR_NORM1 = 6, CUDNN_REDUCE_TENSOR_NORM2 = 7, CUDNN_REDUCE_TENSOR_MUL_NO_ZEROS = 8,
};
enum { CUDNN_REDUCE_TENSOR_NO_INDICES = 0, CUDNN_REDUCE_TENSOR_FLATTENED_INDICES = 1 };

#define MAX_DIMS 8

typedef struct handle { void *stream; } handle;
typedef struct tensor { int type, rank, dims[MAX_DIMS], strides[MAX_DIMS]; } tensor;
typedef struct filter { int type, format, rank, dims[MAX_DIMS]; } filter;
typedef struct convolution {
    int spatial, pad[3], stride[3], dilation[3], mode, type, groups, math, reorder;
} convolution;
typedef struct activation { int mode, nan; double coef, swish_beta; } activation;
typedef struct op_tensor { int op, type, nan; } op_tensor;
typedef struct reduce_tensor { int op, type, nan, indices, index_type; } reduce_tensor;

/* cudnnConvolution*AlgoPerf_t, laid out as in cuDNN 9 (cudnn_cnn.h). */
typedef struct algo_perf {
    int algo, status;
    float time;
    size_t memory;
    int determinism, math_type, reserved[3];
} algo_perf;

#define CHECK(cond, status) do { if (!(cond)) return (status); } while (0)
#define BAD(cond) CHECK(!(cond), CUDNN_STATUS_BAD_PARAM)

/* ---------------------------------------------------------------- versions and errors */

EMU_API size_t cudnnGetVersion(void) { return 90500; }           /* 9.5.0 */
EMU_API size_t cudnnGetMaxDeviceVersion(void) { return 900; }    /* sm_90 */
EMU_API size_t cudnnGetCudartVersion(void) { return 12060; }

EMU_API cudnnStatus_t cudnnGetProperty(int type, int *value)
{
    static const int version[] = {9, 5, 0};     /* MAJOR_VERSION, MINOR_VERSION, PATCH_LEVEL */
    BAD(!value || type < 0 || type > 2);
    *value = version[type];
    return CUDNN_STATUS_SUCCESS;
}

EMU_API const char *cudnnGetErrorString(cudnnStatus_t s)
{
    switch (s) {
    case 0: return "CUDNN_STATUS_SUCCESS";
    case 1001: return "CUDNN_STATUS_NOT_INITIALIZED";
    case 2000: return "CUDNN_STATUS_BAD_PARAM";
    case 2002: return "CUDNN_STATUS_BAD_PARAM_NULL_POINTER";
    case 2003: return "CUDNN_STATUS_BAD_PARAM_MISALIGNED_POINTER";
    case 3000: return "CUDNN_STATUS_NOT_SUPPORTED";
    case 4000: return "CUDNN_STATUS_INTERNAL_ERROR";
    case 5000: return "CUDNN_STATUS_EXECUTION_FAILED";
    default: return "CUDNN_UNKNOWN_STATUS";
    }
}

/* ---------------------------------------------------------------- handle */

EMU_API cudnnStatus_t cudnnCreate(handle **h)
{
    BAD(!h);
    *h = calloc(1, sizeof **h);
    return CUDNN_STATUS_SUCCESS;
}

EMU_API cudnnStatus_t cudnnDestroy(handle *h) { BAD(!h); free(h); return CUDNN_STATUS_SUCCESS; }
EMU_API cudnnStatus_t cudnnSetStream(handle *h, void *s) { BAD(!h); h->stream = s; return CUDNN_STATUS_SUCCESS; }
EMU_API cudnnStatus_t cudnnGetStream(handle *h, void **s)
{
    BAD(!h || !s);
    *s = h->stream;
    return CUDNN_STATUS_SUCCESS;
}

/* Descriptors: create/destroy pairs. */
#define DESCRIPTOR(Name, type)                                                         \
    EMU_API cudnnStatus_t cudnnCreate##Name##Descriptor(type **d)                      \
    {                                                                                  \
        BAD(!d);                                                                       \
        *d = calloc(1, sizeof **d);                                                    \
        return CUDNN_STATUS_SUCCESS;                                                   \
    }                                                                                  \
    EMU_API cudnnStatus_t cudnnDestroy##Name##Descriptor(type *d)                      \
    {                                                                                  \
        free(d);                                                                       \
        return CUDNN_STATUS_SUCCESS;                                                   \
    }
DESCRIPTOR(Tensor, tensor)
DESCRIPTOR(Filter, filter)
DESCRIPTOR(Convolution, convolution)
DESCRIPTOR(Activation, activation)
DESCRIPTOR(OpTensor, op_tensor)
DESCRIPTOR(ReduceTensor, reduce_tensor)

/* ---------------------------------------------------------------- tensor descriptors */

static size_t type_size(int type)
{
    switch (type) {
    case 0: return 4;   /* FLOAT */
    case 1: return 8;   /* DOUBLE */
    case 2: return 2;   /* HALF */
    case 3: return 1;   /* INT8 */
    case 4: return 4;   /* INT32 */
    case 5: return 4;   /* INT8x4 */
    case 6: return 1;   /* UINT8 */
    case 7: return 4;   /* UINT8x4 */
    case 8: return 32;  /* INT8x32 */
    case 9: return 2;   /* BFLOAT16 */
    case 10: return 8;  /* INT64 */
    default: return 0;
    }
}

static long numel(const tensor *t)
{
    long n = 1;
    for (int d = 0; d < t->rank; d++) n *= t->dims[d];
    return n;
}

/* idx = the row-major multi-index of linear position i in dims. */
static void unravel(long i, int rank, const int *dims, int *idx)
{
    for (int d = rank - 1; d >= 0; d--) {
        idx[d] = (int)(i % dims[d]);
        i /= dims[d];
    }
}

static long offset(const tensor *t, const int *idx)
{
    long o = 0;
    for (int d = 0; d < t->rank; d++) o += (long)idx[d] * t->strides[d];
    return o;
}

/* Packed strides for dims in NCHW order, stored as NCHW (C-contiguous) or NHWC (channels last). */
static void packed_strides(int format, int rank, const int *dims, int *strides)
{
    int s = 1;
    if (format == CUDNN_TENSOR_NHWC && rank >= 3) {
        strides[1] = s;
        s *= dims[1];
        for (int d = rank - 1; d >= 2; d--) { strides[d] = s; s *= dims[d]; }
        strides[0] = s;
    } else {
        for (int d = rank - 1; d >= 0; d--) { strides[d] = s; s *= dims[d]; }
    }
}

static cudnnStatus_t set_tensor(tensor *t, int type, int rank, const int *dims, const int *strides)
{
    BAD(!t || !dims || !strides || type_size(type) == 0);
    CHECK(rank >= 3 && rank <= MAX_DIMS, CUDNN_STATUS_NOT_SUPPORTED);
    for (int d = 0; d < rank; d++) BAD(dims[d] <= 0 || strides[d] <= 0);
    t->type = type;
    t->rank = rank;
    memcpy(t->dims, dims, (size_t)rank * sizeof *dims);
    memcpy(t->strides, strides, (size_t)rank * sizeof *strides);
    return CUDNN_STATUS_SUCCESS;
}

EMU_API cudnnStatus_t cudnnSetTensor4dDescriptorEx(tensor *t, int type, int n, int c, int h, int w,
                                                   int ns, int cs, int hs, int ws)
{
    int dims[] = {n, c, h, w}, strides[] = {ns, cs, hs, ws};
    return set_tensor(t, type, 4, dims, strides);
}

EMU_API cudnnStatus_t cudnnSetTensor4dDescriptor(tensor *t, int format, int type, int n, int c, int h, int w)
{
    int dims[] = {n, c, h, w}, strides[4];
    CHECK(format == CUDNN_TENSOR_NCHW || format == CUDNN_TENSOR_NHWC, CUDNN_STATUS_NOT_SUPPORTED);
    packed_strides(format, 4, dims, strides);
    return set_tensor(t, type, 4, dims, strides);
}

EMU_API cudnnStatus_t cudnnSetTensorNdDescriptor(tensor *t, int type, int rank, const int *dims, const int *strides)
{
    return set_tensor(t, type, rank, dims, strides);
}

EMU_API cudnnStatus_t cudnnSetTensorNdDescriptorEx(tensor *t, int format, int type, int rank, const int *dims)
{
    int strides[MAX_DIMS];
    BAD(!dims);
    CHECK(rank >= 3 && rank <= MAX_DIMS, CUDNN_STATUS_NOT_SUPPORTED);
    CHECK(format == CUDNN_TENSOR_NCHW || format == CUDNN_TENSOR_NHWC, CUDNN_STATUS_NOT_SUPPORTED);
    packed_strides(format, rank, dims, strides);
    return set_tensor(t, type, rank, dims, strides);
}

EMU_API cudnnStatus_t cudnnGetTensor4dDescriptor(const tensor *t, int *type, int *n, int *c, int *h, int *w,
                                                 int *ns, int *cs, int *hs, int *ws)
{
    BAD(!t || t->rank != 4 || !type || !n || !c || !h || !w || !ns || !cs || !hs || !ws);
    *type = t->type;
    *n = t->dims[0]; *c = t->dims[1]; *h = t->dims[2]; *w = t->dims[3];
    *ns = t->strides[0]; *cs = t->strides[1]; *hs = t->strides[2]; *ws = t->strides[3];
    return CUDNN_STATUS_SUCCESS;
}

EMU_API cudnnStatus_t cudnnGetTensorNdDescriptor(const tensor *t, int requested, int *type, int *rank,
                                                 int *dims, int *strides)
{
    BAD(!t || !type || !rank || requested < 0 || (requested > 0 && (!dims || !strides)));
    *type = t->type;
    *rank = t->rank;
    for (int d = 0; d < requested && d < t->rank; d++) {
        dims[d] = t->dims[d];
        strides[d] = t->strides[d];
    }
    return CUDNN_STATUS_SUCCESS;
}

/* Bytes spanned by the tensor: one past its furthest element. */
EMU_API cudnnStatus_t cudnnGetTensorSizeInBytes(const tensor *t, size_t *size)
{
    BAD(!t || !size || t->rank == 0);
    long last = 0;
    for (int d = 0; d < t->rank; d++) last += (long)(t->dims[d] - 1) * t->strides[d];
    *size = (size_t)(last + 1) * type_size(t->type);
    return CUDNN_STATUS_SUCCESS;
}

/* ---------------------------------------------------------------- filter descriptors */

static cudnnStatus_t set_filter(filter *f, int type, int format, int rank, const int *dims)
{
    BAD(!f || !dims || type_size(type) == 0);
    CHECK(rank >= 3 && rank <= MAX_DIMS, CUDNN_STATUS_NOT_SUPPORTED);
    CHECK(format == CUDNN_TENSOR_NCHW || format == CUDNN_TENSOR_NHWC, CUDNN_STATUS_NOT_SUPPORTED);
    for (int d = 0; d < rank; d++) BAD(dims[d] <= 0);
    f->type = type;
    f->format = format;
    f->rank = rank;
    memcpy(f->dims, dims, (size_t)rank * sizeof *dims);
    return CUDNN_STATUS_SUCCESS;
}

EMU_API cudnnStatus_t cudnnSetFilter4dDescriptor(filter *f, int type, int format, int k, int c, int h, int w)
{
    int dims[] = {k, c, h, w};
    return set_filter(f, type, format, 4, dims);
}

EMU_API cudnnStatus_t cudnnSetFilterNdDescriptor(filter *f, int type, int format, int rank, const int *dims)
{
    return set_filter(f, type, format, rank, dims);
}

EMU_API cudnnStatus_t cudnnGetFilter4dDescriptor(const filter *f, int *type, int *format, int *k, int *c,
                                                 int *h, int *w)
{
    BAD(!f || f->rank != 4 || !type || !format || !k || !c || !h || !w);
    *type = f->type;
    *format = f->format;
    *k = f->dims[0]; *c = f->dims[1]; *h = f->dims[2]; *w = f->dims[3];
    return CUDNN_STATUS_SUCCESS;
}

EMU_API cudnnStatus_t cudnnGetFilterNdDescriptor(const filter *f, int requested, int *type, int *format,
                                                 int *rank, int *dims)
{
    BAD(!f || !type || !format || !rank || requested < 0 || (requested > 0 && !dims));
    *type = f->type;
    *format = f->format;
    *rank = f->rank;
    for (int d = 0; d < requested && d < f->rank; d++) dims[d] = f->dims[d];
    return CUDNN_STATUS_SUCCESS;
}

EMU_API cudnnStatus_t cudnnGetFilterSizeInBytes(const filter *f, size_t *size)
{
    BAD(!f || !size);
    size_t n = type_size(f->type);
    for (int d = 0; d < f->rank; d++) n *= (size_t)f->dims[d];
    *size = n;
    return CUDNN_STATUS_SUCCESS;
}

/* The filter as a strided tensor: NCHW is [K, C, spatial...] packed, NHWC is channels last. */
static tensor filter_tensor(const filter *f)
{
    tensor t = {.type = f->type, .rank = f->rank};
    memcpy(t.dims, f->dims, sizeof t.dims);
    packed_strides(f->format, f->rank, f->dims, t.strides);
    return t;
}

/* ---------------------------------------------------------------- convolution descriptors */

static cudnnStatus_t set_convolution(convolution *c, int spatial, const int *pad, const int *stride,
                                     const int *dilation, int mode, int type)
{
    BAD(!c || !pad || !stride || !dilation || type_size(type) == 0);
    BAD(mode != CUDNN_CONVOLUTION && mode != CUDNN_CROSS_CORRELATION);
    CHECK(spatial >= 1 && spatial <= 3, CUDNN_STATUS_NOT_SUPPORTED);
    for (int d = 0; d < spatial; d++) BAD(pad[d] < 0 || stride[d] <= 0 || dilation[d] <= 0);
    c->spatial = spatial;
    for (int d = 0; d < spatial; d++) {
        c->pad[d] = pad[d];
        c->stride[d] = stride[d];
        c->dilation[d] = dilation[d];
    }
    c->mode = mode;
    c->type = type;
    if (c->groups == 0) c->groups = 1;
    return CUDNN_STATUS_SUCCESS;
}

EMU_API cudnnStatus_t cudnnSetConvolution2dDescriptor(convolution *c, int ph, int pw, int sh, int sw,
                                                      int dh, int dw, int mode, int type)
{
    int pad[] = {ph, pw}, stride[] = {sh, sw}, dilation[] = {dh, dw};
    return set_convolution(c, 2, pad, stride, dilation, mode, type);
}

EMU_API cudnnStatus_t cudnnSetConvolutionNdDescriptor(convolution *c, int n, const int *pad, const int *stride,
                                                      const int *dilation, int mode, int type)
{
    return set_convolution(c, n, pad, stride, dilation, mode, type);
}

EMU_API cudnnStatus_t cudnnGetConvolution2dDescriptor(const convolution *c, int *ph, int *pw, int *sh, int *sw,
                                                      int *dh, int *dw, int *mode, int *type)
{
    BAD(!c || c->spatial != 2 || !ph || !pw || !sh || !sw || !dh || !dw || !mode || !type);
    *ph = c->pad[0]; *pw = c->pad[1];
    *sh = c->stride[0]; *sw = c->stride[1];
    *dh = c->dilation[0]; *dw = c->dilation[1];
    *mode = c->mode;
    *type = c->type;
    return CUDNN_STATUS_SUCCESS;
}

EMU_API cudnnStatus_t cudnnGetConvolutionNdDescriptor(const convolution *c, int requested, int *n, int *pad,
                                                      int *stride, int *dilation, int *mode, int *type)
{
    BAD(!c || !n || !mode || !type || requested < 0);
    *n = c->spatial;
    for (int d = 0; d < requested && d < c->spatial; d++) {
        pad[d] = c->pad[d];
        stride[d] = c->stride[d];
        dilation[d] = c->dilation[d];
    }
    *mode = c->mode;
    *type = c->type;
    return CUDNN_STATUS_SUCCESS;
}

EMU_API cudnnStatus_t cudnnSetConvolutionGroupCount(convolution *c, int groups)
{
    BAD(!c || groups < 1);
    c->groups = groups;
    return CUDNN_STATUS_SUCCESS;
}

EMU_API cudnnStatus_t cudnnGetConvolutionGroupCount(const convolution *c, int *groups)
{
    BAD(!c || !groups);
    *groups = c->groups ? c->groups : 1;
    return CUDNN_STATUS_SUCCESS;
}

/* DEFAULT 0, TENSOR_OP 1, TENSOR_OP_ALLOW_CONVERSION 2, FMA 3: all compute the same here. */
EMU_API cudnnStatus_t cudnnSetConvolutionMathType(convolution *c, int math)
{
    BAD(!c || math < 0 || math > 3);
    c->math = math;
    return CUDNN_STATUS_SUCCESS;
}

EMU_API cudnnStatus_t cudnnGetConvolutionMathType(const convolution *c, int *math)
{
    BAD(!c || !math);
    *math = c->math;
    return CUDNN_STATUS_SUCCESS;
}

EMU_API cudnnStatus_t cudnnSetConvolutionReorderType(convolution *c, int reorder)
{
    BAD(!c);
    c->reorder = reorder;
    return CUDNN_STATUS_SUCCESS;
}

EMU_API cudnnStatus_t cudnnGetConvolutionReorderType(const convolution *c, int *reorder)
{
    BAD(!c || !reorder);
    *reorder = c->reorder;
    return CUDNN_STATUS_SUCCESS;
}

/* ---------------------------------------------------------------- convolution geometry */

/*
 * A convolution as loops: x [N, C, in...], w [K, C/groups, k...], y [N, K, out...], with 1 to 3
 * spatial dimensions padded to 3 (leading extents of 1), and
 *     out = (in + 2*pad - dilation*(k - 1) - 1) / stride + 1.
 */
typedef struct geometry {
    int n, c, k, groups, in[3], out[3], kernel[3], pad[3], stride[3], dilation[3];
    long x_stride[5], y_stride[5], w_stride[5];     /* n/k, c, three spatial */
} geometry;

static void spatial_strides(const tensor *t, int spatial, long *out)
{
    out[0] = t->strides[0];
    out[1] = t->strides[1];
    for (int d = 0; d < 3; d++) {
        int src = d - (3 - spatial);
        out[2 + d] = src < 0 ? 0 : t->strides[2 + src];
    }
}

/* Fills g from the descriptors; y may be NULL (only the output size is wanted). */
static cudnnStatus_t make_geometry(const convolution *c, const tensor *x, const filter *w, const tensor *y,
                                   geometry *g)
{
    BAD(!c || !x || !w || c->spatial == 0);
    int spatial = c->spatial;
    BAD(x->rank != spatial + 2 || w->rank != spatial + 2);
    memset(g, 0, sizeof *g);
    g->n = x->dims[0];
    g->c = x->dims[1];
    g->k = w->dims[0];
    g->groups = c->groups ? c->groups : 1;
    BAD(g->c != w->dims[1] * g->groups || g->k % g->groups != 0);
    for (int d = 0; d < 3; d++) {
        int src = d - (3 - spatial);
        g->in[d] = src < 0 ? 1 : x->dims[2 + src];
        g->kernel[d] = src < 0 ? 1 : w->dims[2 + src];
        g->pad[d] = src < 0 ? 0 : c->pad[src];
        g->stride[d] = src < 0 ? 1 : c->stride[src];
        g->dilation[d] = src < 0 ? 1 : c->dilation[src];
        int span = g->in[d] + 2 * g->pad[d] - g->dilation[d] * (g->kernel[d] - 1) - 1;
        BAD(span < 0);
        g->out[d] = span / g->stride[d] + 1;
    }
    tensor wt = filter_tensor(w);
    spatial_strides(x, spatial, g->x_stride);
    spatial_strides(&wt, spatial, g->w_stride);
    if (y) {
        BAD(y->rank != spatial + 2 || y->dims[0] != g->n || y->dims[1] != g->k);
        for (int d = 0; d < spatial; d++) BAD(y->dims[2 + d] != g->out[3 - spatial + d]);
        spatial_strides(y, spatial, g->y_stride);
    }
    return CUDNN_STATUS_SUCCESS;
}

static int is_float(const tensor *t) { return t->type == CUDNN_DATA_FLOAT; }

EMU_API cudnnStatus_t cudnnGetConvolution2dForwardOutputDim(const convolution *c, const tensor *x,
                                                            const filter *w, int *n, int *k, int *h, int *wo)
{
    geometry g;
    BAD(!n || !k || !h || !wo || !c || c->spatial != 2);
    cudnnStatus_t s = make_geometry(c, x, w, NULL, &g);
    if (s) return s;
    *n = g.n; *k = g.k; *h = g.out[1]; *wo = g.out[2];
    return CUDNN_STATUS_SUCCESS;
}

EMU_API cudnnStatus_t cudnnGetConvolutionNdForwardOutputDim(const convolution *c, const tensor *x,
                                                            const filter *w, int rank, int *dims)
{
    geometry g;
    BAD(!dims || !c || rank != c->spatial + 2);
    cudnnStatus_t s = make_geometry(c, x, w, NULL, &g);
    if (s) return s;
    dims[0] = g.n;
    dims[1] = g.k;
    for (int d = 0; d < c->spatial; d++) dims[2 + d] = g.out[3 - c->spatial + d];
    return CUDNN_STATUS_SUCCESS;
}

/* ---------------------------------------------------------------- algorithms and workspaces */

/*
 * The emulation runs every supported algorithm the same way; which ones it accepts mirrors what
 * cuDNN supports for any geometry (FFT, Winograd and DIRECT are reported NOT_SUPPORTED). Some of
 * them ask for a workspace, so a backend's workspace handling is exercised: a call checks that
 * the workspace it gets is big enough and scribbles over it.
 */
enum pass { FORWARD, BACKWARD_DATA, BACKWARD_FILTER };
static const int algo_count[] = {8, 6, 7};
static const int supported[3][4] = {{1, 0, 2, -1}, {1, 0, -1}, {1, 0, 3, -1}};   /* best first */
static const char *const pass_call[] = {"cudnnConvolutionForward", "cudnnConvolutionBackwardData",
                                        "cudnnConvolutionBackwardFilter"};

static int is_supported(enum pass p, int algo)
{
    for (const int *a = supported[p]; *a >= 0; a++)
        if (*a == algo) return 1;
    return 0;
}

static int deterministic(enum pass p, int algo)
{
    return p == FORWARD || algo == 1;   /* backward ALGO_0 (and filter ALGO_3) use atomics on a GPU */
}

static size_t workspace(enum pass p, int algo, const geometry *g)
{
    size_t kernel = (size_t)g->kernel[0] * g->kernel[1] * g->kernel[2];
    size_t out = (size_t)g->out[0] * g->out[1] * g->out[2];
    size_t group_c = (size_t)(g->c / g->groups);
    if (p == FORWARD && algo == 1) return group_c * kernel * sizeof(int);          /* index table */
    if (p == FORWARD && algo == 2) return group_c * kernel * out * sizeof(float);  /* im2col of one image */
    if (p == BACKWARD_FILTER && algo == 1) return group_c * kernel * out * sizeof(float);
    return 0;
}

/* The math type a _v7 candidate reports: with DEFAULT_MATH on the descriptor the best one is a tensor-op
 * kernel (as cuDNN proposes on tensor-core GPUs), so a backend must apply each candidate's math type;
 * otherwise the descriptor's. */
static int candidate_math(const convolution *c, int rank)
{
    return c->math == CUDNN_DEFAULT_MATH && rank == 0 ? CUDNN_TENSOR_OP_MATH : c->math;
}

/* The _v7 algorithm list of pass p for the geometry the descriptors give: supported algorithms best first, then
 * the unsupported ones. */
static cudnnStatus_t algo_list(enum pass p, handle *h, const convolution *c, const tensor *x, const filter *w,
                               const tensor *y, int requested, int *returned, algo_perf *perf)
{
    geometry g;
    BAD(!h);
    cudnnStatus_t s = make_geometry(c, x, w, y, &g);
    if (s) return s;
    BAD(!returned || !perf || requested <= 0);
    int n = 0;
    for (const int *a = supported[p]; *a >= 0 && n < requested; a++, n++)
        perf[n] = (algo_perf){*a, CUDNN_STATUS_SUCCESS, -1.0f, workspace(p, *a, &g),
                              deterministic(p, *a) ? CUDNN_DETERMINISTIC : CUDNN_NON_DETERMINISTIC,
                              candidate_math(c, n), {0, 0, 0}};
    for (int a = 0; a < algo_count[p] && n < requested; a++)
        if (!is_supported(p, a))
            perf[n++] = (algo_perf){a, CUDNN_STATUS_NOT_SUPPORTED, -1.0f, 0, CUDNN_NON_DETERMINISTIC,
                                    c->math, {0, 0, 0}};
    *returned = n;
    return CUDNN_STATUS_SUCCESS;
}

EMU_API cudnnStatus_t cudnnGetConvolutionForwardAlgorithmMaxCount(handle *h, int *n)
{ BAD(!h || !n); *n = algo_count[FORWARD]; return CUDNN_STATUS_SUCCESS; }
EMU_API cudnnStatus_t cudnnGetConvolutionBackwardDataAlgorithmMaxCount(handle *h, int *n)
{ BAD(!h || !n); *n = algo_count[BACKWARD_DATA]; return CUDNN_STATUS_SUCCESS; }
EMU_API cudnnStatus_t cudnnGetConvolutionBackwardFilterAlgorithmMaxCount(handle *h, int *n)
{ BAD(!h || !n); *n = algo_count[BACKWARD_FILTER]; return CUDNN_STATUS_SUCCESS; }

EMU_API cudnnStatus_t cudnnGetConvolutionForwardAlgorithm_v7(handle *h, const tensor *x, const filter *w,
                                                             const convolution *c, const tensor *y,
                                                             int requested, int *returned, algo_perf *perf)
{ return algo_list(FORWARD, h, c, x, w, y, requested, returned, perf); }
EMU_API cudnnStatus_t cudnnGetConvolutionBackwardDataAlgorithm_v7(handle *h, const filter *w, const tensor *dy,
                                                                  const convolution *c, const tensor *dx,
                                                                  int requested, int *returned, algo_perf *perf)
{ return algo_list(BACKWARD_DATA, h, c, dx, w, dy, requested, returned, perf); }
EMU_API cudnnStatus_t cudnnGetConvolutionBackwardFilterAlgorithm_v7(handle *h, const tensor *x, const tensor *dy,
                                                                    const convolution *c, const filter *dw,
                                                                    int requested, int *returned, algo_perf *perf)
{ return algo_list(BACKWARD_FILTER, h, c, x, dw, dy, requested, returned, perf); }

/* The workspace that algorithm algo of pass p needs, for the geometry the descriptors give. */
static cudnnStatus_t workspace_size(enum pass p, handle *h, const convolution *c, const tensor *x, const filter *w,
                                    const tensor *y, int algo, size_t *size)
{
    geometry g;
    BAD(!h);
    cudnnStatus_t s = make_geometry(c, x, w, y, &g);
    if (s) return s;
    BAD(!size || algo < 0 || algo >= algo_count[p]);
    CHECK(is_supported(p, algo), CUDNN_STATUS_NOT_SUPPORTED);
    *size = workspace(p, algo, &g);
    return CUDNN_STATUS_SUCCESS;
}

EMU_API cudnnStatus_t cudnnGetConvolutionForwardWorkspaceSize(handle *h, const tensor *x, const filter *w,
                                                              const convolution *c, const tensor *y,
                                                              int algo, size_t *size)
{ return workspace_size(FORWARD, h, c, x, w, y, algo, size); }
EMU_API cudnnStatus_t cudnnGetConvolutionBackwardDataWorkspaceSize(handle *h, const filter *w, const tensor *dy,
                                                                   const convolution *c, const tensor *dx,
                                                                   int algo, size_t *size)
{ return workspace_size(BACKWARD_DATA, h, c, dx, w, dy, algo, size); }
EMU_API cudnnStatus_t cudnnGetConvolutionBackwardFilterWorkspaceSize(handle *h, const tensor *x, const tensor *dy,
                                                                     const convolution *c, const filter *dw,
                                                                     int algo, size_t *size)
{ return workspace_size(BACKWARD_FILTER, h, c, x, dw, dy, algo, size); }

/* Everything a convolution call checks before computing. */
static cudnnStatus_t prepare(enum pass p, handle *h, const convolution *c, const tensor *x, const filter *w,
                             const tensor *y, int algo, void *ws, size_t ws_bytes, const void *alpha,
                             const void *beta, geometry *g)
{
    BAD(!h || !alpha || !beta);
    cudnnStatus_t s = make_geometry(c, x, w, y, g);
    if (s) return s;
    CHECK(is_float(x) && is_float(y) && w->type == CUDNN_DATA_FLOAT, CUDNN_STATUS_NOT_SUPPORTED);
    /* The backend only asks for cross-correlation; CUDNN_CONVOLUTION (mirrored kernel) is stored, not computed. */
    CHECK(c->mode == CUDNN_CROSS_CORRELATION, CUDNN_STATUS_NOT_SUPPORTED);
    BAD(algo < 0 || algo >= algo_count[p]);
    CHECK(is_supported(p, algo), CUDNN_STATUS_NOT_SUPPORTED);
    /* A heuristics candidate that then fails, as happens on GPUs (see emu_fault). */
    CHECK(!emu_fault(pass_call[p], "algo", algo), CUDNN_STATUS_EXECUTION_FAILED);
    CHECK(!emu_fault(pass_call[p], "math", c->math), CUDNN_STATUS_NOT_SUPPORTED);
    size_t need = workspace(p, algo, g);
    BAD(ws_bytes < need || (need > 0 && !ws));
    if (ws) memset(ws, 0xFF, ws_bytes);
    return CUDNN_STATUS_SUCCESS;
}

/* Sets i to the input position that output position o reads through kernel tap t; 0 when that
 * position lies in the padding. */
static int input_at(const geometry *g, const int *o, const int *t, int *i)
{
    for (int d = 0; d < 3; d++) {
        i[d] = o[d] * g->stride[d] - g->pad[d] + t[d] * g->dilation[d];
        if (i[d] < 0 || i[d] >= g->in[d]) return 0;
    }
    return 1;
}

#define FOR3(v, ext) for (int v##0 = 0; v##0 < (ext)[0]; v##0++) \
                     for (int v##1 = 0; v##1 < (ext)[1]; v##1++) \
                     for (int v##2 = 0; v##2 < (ext)[2]; v##2++)

static long at3(const long *s, long a, long b, int i0, int i1, int i2)
{
    return a * s[0] + b * s[1] + i0 * s[2] + i1 * s[3] + i2 * s[4];
}

/* Sum over the channels of k's group and the kernel taps of x[n, ...] * w[k, ...] at output o. */
static double correlate(const geometry *g, const float *x, const float *w, int n, int k, const int *o)
{
    int group_c = g->c / g->groups, group = k / (g->k / g->groups);
    double sum = 0.0;
    for (int c = 0; c < group_c; c++)
        FOR3(t, g->kernel) {
            int taps[3] = {t0, t1, t2}, i[3];
            if (!input_at(g, o, taps, i)) continue;
            sum += (double)x[at3(g->x_stride, n, group * group_c + c, i[0], i[1], i[2])]
                   * w[at3(g->w_stride, k, c, t0, t1, t2)];
        }
    return sum;
}

EMU_API cudnnStatus_t cudnnConvolutionForward(handle *h, const float *alpha, const tensor *xd, const float *x,
                                              const filter *wd, const float *w, const convolution *c, int algo,
                                              void *ws, size_t ws_bytes, const float *beta, const tensor *yd,
                                              float *y)
{
    geometry g;
    cudnnStatus_t s = prepare(FORWARD, h, c, xd, wd, yd, algo, ws, ws_bytes, alpha, beta, &g);
    if (s) return s;
    for (int n = 0; n < g.n; n++)
        for (int k = 0; k < g.k; k++)
            FOR3(o, g.out) {
                int pos[3] = {o0, o1, o2};
                float *out = &y[at3(g.y_stride, n, k, o0, o1, o2)];
                *out = emu_blend(*alpha, correlate(&g, x, w, n, k, pos), *beta, out);
            }
    return CUDNN_STATUS_SUCCESS;
}

/* dx[n, c, i] = sum of w[k, c', t] * dy[n, k, o] over every (k, t, o) whose tap t at output o reads
 * input position i: the transposed convolution. */
EMU_API cudnnStatus_t cudnnConvolutionBackwardData(handle *h, const float *alpha, const filter *wd, const float *w,
                                                   const tensor *dyd, const float *dy, const convolution *c,
                                                   int algo, void *ws, size_t ws_bytes, const float *beta,
                                                   const tensor *dxd, float *dx)
{
    geometry g;
    cudnnStatus_t s = prepare(BACKWARD_DATA, h, c, dxd, wd, dyd, algo, ws, ws_bytes, alpha, beta, &g);
    if (s) return s;
    int group_c = g.c / g.groups, group_k = g.k / g.groups;
    for (int n = 0; n < g.n; n++)
        for (int ci = 0; ci < g.c; ci++)
            FOR3(i, g.in) {
                int group = ci / group_c, cw = ci % group_c, pos[3] = {i0, i1, i2};
                double sum = 0.0;
                for (int k = group * group_k; k < (group + 1) * group_k; k++)
                    FOR3(t, g.kernel) {
                        int taps[3] = {t0, t1, t2}, o[3], ok = 1;
                        for (int d = 0; d < 3 && ok; d++) {
                            int num = pos[d] + g.pad[d] - taps[d] * g.dilation[d];
                            ok = num >= 0 && num % g.stride[d] == 0 && num / g.stride[d] < g.out[d];
                            o[d] = ok ? num / g.stride[d] : 0;
                        }
                        if (ok)
                            sum += (double)w[at3(g.w_stride, k, cw, t0, t1, t2)]
                                   * dy[at3(g.y_stride, n, k, o[0], o[1], o[2])];
                    }
                float *out = &dx[at3(g.x_stride, n, ci, i0, i1, i2)];
                *out = emu_blend(*alpha, sum, *beta, out);
            }
    return CUDNN_STATUS_SUCCESS;
}

/* dw[k, c, t] = sum over n and outputs o of x[n, group*C/G + c, input_at(o, t)] * dy[n, k, o]. */
EMU_API cudnnStatus_t cudnnConvolutionBackwardFilter(handle *h, const float *alpha, const tensor *xd, const float *x,
                                                     const tensor *dyd, const float *dy, const convolution *c,
                                                     int algo, void *ws, size_t ws_bytes, const float *beta,
                                                     const filter *dwd, float *dw)
{
    geometry g;
    cudnnStatus_t s = prepare(BACKWARD_FILTER, h, c, xd, dwd, dyd, algo, ws, ws_bytes, alpha, beta, &g);
    if (s) return s;
    int group_c = g.c / g.groups, group_k = g.k / g.groups;
    for (int k = 0; k < g.k; k++)
        for (int c = 0; c < group_c; c++)
            FOR3(t, g.kernel) {
                double sum = 0.0;
                int ci = (k / group_k) * group_c + c, taps[3] = {t0, t1, t2};
                for (int n = 0; n < g.n; n++)
                    FOR3(o, g.out) {
                        int pos[3] = {o0, o1, o2}, i[3];
                        if (!input_at(&g, pos, taps, i)) continue;
                        sum += (double)x[at3(g.x_stride, n, ci, i[0], i[1], i[2])] * dy[at3(g.y_stride, n, k, o0, o1, o2)];
                    }
                float *out = &dw[at3(g.w_stride, k, c, t0, t1, t2)];
                *out = emu_blend(*alpha, sum, *beta, out);
            }
    return CUDNN_STATUS_SUCCESS;
}

/* ---------------------------------------------------------------- reductions over broadcast shapes */

/* 1 where `small` may broadcast against `big` (same rank, each extent 1 or equal). */
static int broadcastable(const tensor *small, const tensor *big)
{
    if (small->rank != big->rank) return 0;
    for (int d = 0; d < big->rank; d++)
        if (small->dims[d] != 1 && small->dims[d] != big->dims[d]) return 0;
    return 1;
}

static int same_dims(const tensor *a, const tensor *b)
{
    if (a->rank != b->rank) return 0;
    for (int d = 0; d < a->rank; d++)
        if (a->dims[d] != b->dims[d]) return 0;
    return 1;
}

/* Offset in `small` of the element that broadcasts to index idx of the big tensor. */
static long broadcast_offset(const tensor *small, const int *idx)
{
    long o = 0;
    for (int d = 0; d < small->rank; d++)
        if (small->dims[d] != 1) o += (long)idx[d] * small->strides[d];
    return o;
}

/* Linear row-major position in `small` of the element that index idx of the big tensor maps to. */
static long broadcast_index(const tensor *small, const int *idx)
{
    long i = 0;
    for (int d = 0; d < small->rank; d++) i = i * small->dims[d] + (small->dims[d] == 1 ? 0 : idx[d]);
    return i;
}

/* C = alpha*A + beta*C, A broadcast over C. */
EMU_API cudnnStatus_t cudnnAddTensor(handle *h, const float *alpha, const tensor *ad, const float *a,
                                     const float *beta, const tensor *cd, float *c)
{
    BAD(!h || !alpha || !beta || !ad || !cd);
    CHECK(is_float(ad) && is_float(cd), CUDNN_STATUS_NOT_SUPPORTED);
    BAD(!broadcastable(ad, cd));
    int idx[MAX_DIMS];
    for (long i = 0, n = numel(cd); i < n; i++) {
        unravel(i, cd->rank, cd->dims, idx);
        float *out = &c[offset(cd, idx)];
        *out = emu_blend(*alpha, a[broadcast_offset(ad, idx)], *beta, out);
    }
    return CUDNN_STATUS_SUCCESS;
}

/* db[1, K, 1, 1] = alpha * (sum of dy over everything but the channel) + beta * db. */
EMU_API cudnnStatus_t cudnnConvolutionBackwardBias(handle *h, const float *alpha, const tensor *dyd, const float *dy,
                                                   const float *beta, const tensor *dbd, float *db)
{
    BAD(!h || !alpha || !beta || !dyd || !dbd);
    CHECK(is_float(dyd) && is_float(dbd), CUDNN_STATUS_NOT_SUPPORTED);
    BAD(dbd->rank != dyd->rank || dbd->dims[1] != dyd->dims[1] || numel(dbd) != dbd->dims[1]);
    int idx[MAX_DIMS];
    double *sum = calloc((size_t)dyd->dims[1], sizeof *sum);
    for (long i = 0, n = numel(dyd); i < n; i++) {
        unravel(i, dyd->rank, dyd->dims, idx);
        sum[idx[1]] += dy[offset(dyd, idx)];
    }
    for (int k = 0; k < dyd->dims[1]; k++) {
        float *out = &db[(long)k * dbd->strides[1]];
        *out = emu_blend(*alpha, sum[k], *beta, out);
    }
    free(sum);
    return CUDNN_STATUS_SUCCESS;
}

/* ---------------------------------------------------------------- simple tensor ops */

EMU_API cudnnStatus_t cudnnSetTensor(handle *h, const tensor *yd, float *y, const float *value)
{
    BAD(!h || !yd || !value);
    CHECK(is_float(yd), CUDNN_STATUS_NOT_SUPPORTED);
    int idx[MAX_DIMS];
    for (long i = 0, n = numel(yd); i < n; i++) {
        unravel(i, yd->rank, yd->dims, idx);
        y[offset(yd, idx)] = *value;
    }
    return CUDNN_STATUS_SUCCESS;
}

EMU_API cudnnStatus_t cudnnScaleTensor(handle *h, const tensor *yd, float *y, const float *alpha)
{
    BAD(!h || !yd || !alpha);
    CHECK(is_float(yd), CUDNN_STATUS_NOT_SUPPORTED);
    int idx[MAX_DIMS];
    for (long i = 0, n = numel(yd); i < n; i++) {
        unravel(i, yd->rank, yd->dims, idx);
        y[offset(yd, idx)] *= *alpha;
    }
    return CUDNN_STATUS_SUCCESS;
}

/* y = alpha*x + beta*y between two layouts of the same shape. */
EMU_API cudnnStatus_t cudnnTransformTensor(handle *h, const float *alpha, const tensor *xd, const float *x,
                                           const float *beta, const tensor *yd, float *y)
{
    BAD(!h || !alpha || !beta || !xd || !yd);
    CHECK(is_float(xd) && is_float(yd), CUDNN_STATUS_NOT_SUPPORTED);
    BAD(!same_dims(xd, yd));
    int idx[MAX_DIMS];
    for (long i = 0, n = numel(yd); i < n; i++) {
        unravel(i, yd->rank, yd->dims, idx);
        float *out = &y[offset(yd, idx)];
        *out = emu_blend(*alpha, x[offset(xd, idx)], *beta, out);
    }
    return CUDNN_STATUS_SUCCESS;
}

EMU_API cudnnStatus_t cudnnSetOpTensorDescriptor(op_tensor *d, int op, int type, int nan)
{
    BAD(!d || op < 0 || op > CUDNN_OP_TENSOR_NOT || type_size(type) == 0);
    *d = (op_tensor){op, type, nan};
    return CUDNN_STATUS_SUCCESS;
}

EMU_API cudnnStatus_t cudnnGetOpTensorDescriptor(const op_tensor *d, int *op, int *type, int *nan)
{
    BAD(!d || !op || !type || !nan);
    *op = d->op;
    *type = d->type;
    *nan = d->nan;
    return CUDNN_STATUS_SUCCESS;
}

/* C = op(alpha1*A, alpha2*B) + beta*C. A has C's shape, B may broadcast. SQRT and NOT read only A;
 * NOT is 1 - a (the logical not of a 0/1 mask). */
EMU_API cudnnStatus_t cudnnOpTensor(handle *h, const op_tensor *od, const float *alpha1, const tensor *ad,
                                    const float *a, const float *alpha2, const tensor *bd, const float *b,
                                    const float *beta, const tensor *cd, float *c)
{
    BAD(!h || !od || !alpha1 || !alpha2 || !beta || !ad || !cd);
    int unary = od->op == CUDNN_OP_TENSOR_SQRT || od->op == CUDNN_OP_TENSOR_NOT;
    BAD(!unary && !bd);
    CHECK(is_float(ad) && is_float(cd) && (unary || is_float(bd)), CUDNN_STATUS_NOT_SUPPORTED);
    BAD(!same_dims(ad, cd) || (!unary && !broadcastable(bd, cd)));
    int idx[MAX_DIMS];
    for (long i = 0, n = numel(cd); i < n; i++) {
        unravel(i, cd->rank, cd->dims, idx);
        double x = (double)*alpha1 * a[offset(ad, idx)], y = 0.0, r;
        if (!unary) y = (double)*alpha2 * b[broadcast_offset(bd, idx)];
        switch (od->op) {
        case CUDNN_OP_TENSOR_ADD: r = x + y; break;
        case CUDNN_OP_TENSOR_MUL: r = x * y; break;
        case CUDNN_OP_TENSOR_MIN: r = isnan(x) || isnan(y) ? (od->nan ? NAN : isnan(x) ? y : x) : x < y ? x : y; break;
        case CUDNN_OP_TENSOR_MAX: r = isnan(x) || isnan(y) ? (od->nan ? NAN : isnan(x) ? y : x) : x > y ? x : y; break;
        case CUDNN_OP_TENSOR_SQRT: r = sqrt(x); break;
        default: r = 1.0 - x; break;
        }
        float *out = &c[offset(cd, idx)];
        *out = emu_blend(1.0f, r, *beta, out);
    }
    return CUDNN_STATUS_SUCCESS;
}

/* ---------------------------------------------------------------- reduce */

EMU_API cudnnStatus_t cudnnSetReduceTensorDescriptor(reduce_tensor *d, int op, int type, int nan, int indices,
                                                     int index_type)
{
    BAD(!d || op < 0 || op > CUDNN_REDUCE_TENSOR_MUL_NO_ZEROS || type_size(type) == 0);
    BAD(indices != CUDNN_REDUCE_TENSOR_NO_INDICES && indices != CUDNN_REDUCE_TENSOR_FLATTENED_INDICES);
    *d = (reduce_tensor){op, type, nan, indices, index_type};
    return CUDNN_STATUS_SUCCESS;
}

EMU_API cudnnStatus_t cudnnGetReduceTensorDescriptor(const reduce_tensor *d, int *op, int *type, int *nan,
                                                     int *indices, int *index_type)
{
    BAD(!d || !op || !type || !nan || !indices || !index_type);
    *op = d->op; *type = d->type; *nan = d->nan; *indices = d->indices; *index_type = d->index_type;
    return CUDNN_STATUS_SUCCESS;
}

static int wants_indices(const reduce_tensor *r)
{
    return r->indices == CUDNN_REDUCE_TENSOR_FLATTENED_INDICES
           && (r->op == CUDNN_REDUCE_TENSOR_MIN || r->op == CUDNN_REDUCE_TENSOR_MAX || r->op == CUDNN_REDUCE_TENSOR_AMAX);
}

EMU_API cudnnStatus_t cudnnGetReductionIndicesSize(handle *h, const reduce_tensor *r, const tensor *a,
                                                   const tensor *c, size_t *size)
{
    BAD(!h || !r || !a || !c || !size || !broadcastable(c, a));
    *size = wants_indices(r) ? (size_t)numel(c) * sizeof(uint32_t) : 0;
    return CUDNN_STATUS_SUCCESS;
}

/* A small workspace whenever something is reduced, so the backend's workspace path is used. */
EMU_API cudnnStatus_t cudnnGetReductionWorkspaceSize(handle *h, const reduce_tensor *r, const tensor *a,
                                                     const tensor *c, size_t *size)
{
    BAD(!h || !r || !a || !c || !size || !broadcastable(c, a));
    *size = numel(a) > numel(c) ? (size_t)numel(c) * sizeof(double) : 0;
    return CUDNN_STATUS_SUCCESS;
}

/* C = alpha * reduce(A over the dimensions where C has extent 1) + beta * C. Indices, when asked
 * for, are the row-major position of the chosen element within its reduced block (first wins). */
EMU_API cudnnStatus_t cudnnReduceTensor(handle *h, const reduce_tensor *r, void *indices, size_t indices_bytes,
                                        void *ws, size_t ws_bytes, const float *alpha, const tensor *ad,
                                        const float *a, const float *beta, const tensor *cd, float *c)
{
    BAD(!h || !r || !alpha || !beta || !ad || !cd);
    CHECK(is_float(ad) && is_float(cd) && r->type == CUDNN_DATA_FLOAT, CUDNN_STATUS_NOT_SUPPORTED);
    BAD(!broadcastable(cd, ad));
    CHECK(r->indices == CUDNN_REDUCE_TENSOR_NO_INDICES || wants_indices(r), CUDNN_STATUS_NOT_SUPPORTED);
    long outputs = numel(cd), total = numel(ad);
    size_t need_ws = total > outputs ? (size_t)outputs * sizeof(double) : 0;
    BAD(ws_bytes < need_ws || (need_ws && !ws));
    BAD(wants_indices(r) && (!indices || indices_bytes < (size_t)outputs * sizeof(uint32_t)));
    if (ws) memset(ws, 0xFF, ws_bytes);

    /* The reduced block: A's extents where C has 1, else 1. */
    int block[MAX_DIMS], cidx[MAX_DIMS], bidx[MAX_DIMS], aidx[MAX_DIMS];
    long block_size = 1;
    for (int d = 0; d < ad->rank; d++) {
        block[d] = cd->dims[d] == 1 ? ad->dims[d] : 1;
        block_size *= block[d];
    }
    for (long o = 0; o < outputs; o++) {
        unravel(o, cd->rank, cd->dims, cidx);
        double acc = r->op == CUDNN_REDUCE_TENSOR_MUL || r->op == CUDNN_REDUCE_TENSOR_MUL_NO_ZEROS ? 1.0 : 0.0;
        long best = 0;
        for (long i = 0; i < block_size; i++) {
            unravel(i, ad->rank, block, bidx);
            for (int d = 0; d < ad->rank; d++) aidx[d] = cd->dims[d] == 1 ? bidx[d] : cidx[d];
            double v = a[offset(ad, aidx)];
            if (r->op == CUDNN_REDUCE_TENSOR_AMAX) v = fabs(v);
            int take = 0;
            switch (r->op) {
            case CUDNN_REDUCE_TENSOR_ADD: case CUDNN_REDUCE_TENSOR_AVG: acc += v; break;
            case CUDNN_REDUCE_TENSOR_MUL: acc *= v; break;
            case CUDNN_REDUCE_TENSOR_MUL_NO_ZEROS: if (v != 0.0) acc *= v; break;
            case CUDNN_REDUCE_TENSOR_NORM1: acc += fabs(v); break;
            case CUDNN_REDUCE_TENSOR_NORM2: acc += v * v; break;
            case CUDNN_REDUCE_TENSOR_MIN:
                take = i == 0 || v < acc || (r->nan && isnan(v) && !isnan(acc));
                break;
            default:    /* MAX, AMAX */
                take = i == 0 || v > acc || (r->nan && isnan(v) && !isnan(acc));
                break;
            }
            if (take) { acc = v; best = i; }
        }
        if (r->op == CUDNN_REDUCE_TENSOR_AVG) acc /= (double)block_size;
        if (r->op == CUDNN_REDUCE_TENSOR_NORM2) acc = sqrt(acc);
        float *out = &c[offset(cd, cidx)];
        *out = emu_blend(*alpha, acc, *beta, out);
        if (wants_indices(r)) ((uint32_t *)indices)[o] = (uint32_t)best;
    }
    return CUDNN_STATUS_SUCCESS;
}

/* ---------------------------------------------------------------- activations */

EMU_API cudnnStatus_t cudnnSetActivationDescriptor(activation *d, int mode, int nan, double coef)
{
    BAD(!d || mode < 0 || mode > CUDNN_ACTIVATION_SWISH);
    d->mode = mode;
    d->nan = nan;
    d->coef = coef;
    return CUDNN_STATUS_SUCCESS;
}

EMU_API cudnnStatus_t cudnnGetActivationDescriptor(const activation *d, int *mode, int *nan, double *coef)
{
    BAD(!d || !mode || !nan || !coef);
    *mode = d->mode;
    *nan = d->nan;
    *coef = d->coef;
    return CUDNN_STATUS_SUCCESS;
}

EMU_API cudnnStatus_t cudnnSetActivationDescriptorSwishBeta(activation *d, double beta)
{
    BAD(!d);
    d->swish_beta = beta;
    return CUDNN_STATUS_SUCCESS;
}

EMU_API cudnnStatus_t cudnnGetActivationDescriptorSwishBeta(const activation *d, double *beta)
{
    BAD(!d || !beta);
    *beta = d->swish_beta;
    return CUDNN_STATUS_SUCCESS;
}

static double sigmoid(double x) { return 1.0 / (1.0 + exp(-x)); }

static double activate(const activation *d, double x)
{
    switch (d->mode) {
    case CUDNN_ACTIVATION_SIGMOID: return sigmoid(x);
    case CUDNN_ACTIVATION_RELU: return isnan(x) && d->nan ? x : x > 0 ? x : 0.0;
    case CUDNN_ACTIVATION_TANH: return tanh(x);
    case CUDNN_ACTIVATION_CLIPPED_RELU: return isnan(x) && d->nan ? x : x > d->coef ? d->coef : x > 0 ? x : 0.0;
    case CUDNN_ACTIVATION_ELU: return x > 0 ? x : d->coef * (exp(x) - 1.0);
    default: return x * sigmoid(d->swish_beta * x);     /* SWISH */
    }
}

/* d activation / dx, from the forward input x and output y. */
static double derivative(const activation *d, double x, double y)
{
    switch (d->mode) {
    case CUDNN_ACTIVATION_SIGMOID: return y * (1.0 - y);
    case CUDNN_ACTIVATION_RELU: return x > 0 ? 1.0 : 0.0;
    case CUDNN_ACTIVATION_TANH: return 1.0 - y * y;
    case CUDNN_ACTIVATION_CLIPPED_RELU: return x > 0 && x < d->coef ? 1.0 : 0.0;
    case CUDNN_ACTIVATION_ELU: return x > 0 ? 1.0 : y + d->coef;
    default: {
        double s = sigmoid(d->swish_beta * x);
        return s + d->swish_beta * x * s * (1.0 - s);
    }
    }
}

/* y = alpha*f(x) + beta*y. IDENTITY exists only for cudnnConvolutionBiasActivationForward. */
EMU_API cudnnStatus_t cudnnActivationForward(handle *h, const activation *d, const float *alpha, const tensor *xd,
                                             const float *x, const float *beta, const tensor *yd, float *y)
{
    BAD(!h || !d || !alpha || !beta || !xd || !yd || d->mode == CUDNN_ACTIVATION_IDENTITY);
    CHECK(is_float(xd) && is_float(yd), CUDNN_STATUS_NOT_SUPPORTED);
    BAD(!same_dims(xd, yd));
    int idx[MAX_DIMS];
    for (long i = 0, n = numel(yd); i < n; i++) {
        unravel(i, yd->rank, yd->dims, idx);
        float *out = &y[offset(yd, idx)];
        *out = emu_blend(*alpha, activate(d, x[offset(xd, idx)]), *beta, out);
    }
    return CUDNN_STATUS_SUCCESS;
}

/* dx = alpha * f'(x) * dy + beta * dx. */
EMU_API cudnnStatus_t cudnnActivationBackward(handle *h, const activation *d, const float *alpha,
                                              const tensor *yd, const float *y, const tensor *dyd, const float *dy,
                                              const tensor *xd, const float *x, const float *beta,
                                              const tensor *dxd, float *dx)
{
    BAD(!h || !d || !alpha || !beta || !yd || !dyd || !xd || !dxd || d->mode == CUDNN_ACTIVATION_IDENTITY);
    CHECK(is_float(yd) && is_float(dyd) && is_float(xd) && is_float(dxd), CUDNN_STATUS_NOT_SUPPORTED);
    BAD(!same_dims(xd, yd) || !same_dims(dyd, yd) || !same_dims(dxd, yd));
    int idx[MAX_DIMS];
    for (long i = 0, n = numel(yd); i < n; i++) {
        unravel(i, yd->rank, yd->dims, idx);
        double g = derivative(d, x[offset(xd, idx)], y[offset(yd, idx)]) * dy[offset(dyd, idx)];
        float *out = &dx[offset(dxd, idx)];
        *out = emu_blend(*alpha, g, *beta, out);
    }
    return CUDNN_STATUS_SUCCESS;
}

/* ---------------------------------------------------------------- batch normalization */

/* Scale, bias, means and variances: (1, C, 1, 1[, 1]) for SPATIAL, (1, C, H, W[, D]) per activation. */
EMU_API cudnnStatus_t cudnnDeriveBNTensorDescriptor(tensor *derived, const tensor *x, int mode)
{
    BAD(!derived || !x || mode < 0 || mode > CUDNN_BATCHNORM_SPATIAL_PERSISTENT);
    int dims[MAX_DIMS], strides[MAX_DIMS];
    for (int d = 0; d < x->rank; d++)
        dims[d] = d == 0 ? 1 : d == 1 || mode == CUDNN_BATCHNORM_PER_ACTIVATION ? x->dims[d] : 1;
    packed_strides(CUDNN_TENSOR_NCHW, x->rank, dims, strides);
    return set_tensor(derived, x->type == 2 || x->type == 9 ? CUDNN_DATA_FLOAT : x->type, x->rank, dims, strides);
}

/* For each parameter p (a position of the bn tensor), the elements of x that share it. */
typedef struct bn {
    const tensor *x, *p;
    long params, count;     /* number of parameters, elements per parameter */
} bn;

static cudnnStatus_t bn_make(bn *b, int mode, const tensor *x, const tensor *p)
{
    BAD(!x || !p || mode < 0 || mode > CUDNN_BATCHNORM_SPATIAL_PERSISTENT);
    CHECK(is_float(x) && is_float(p), CUDNN_STATUS_NOT_SUPPORTED);
    BAD(p->rank != x->rank || p->dims[0] != 1 || p->dims[1] != x->dims[1]);
    for (int d = 2; d < x->rank; d++)
        BAD(p->dims[d] != (mode == CUDNN_BATCHNORM_PER_ACTIVATION ? x->dims[d] : 1));
    b->x = x;
    b->p = p;
    b->params = numel(p);
    b->count = numel(x) / b->params;
    return CUDNN_STATUS_SUCCESS;
}

/* Per-parameter mean and biased variance of x (two passes, in double). */
static void bn_stats(const bn *b, const float *x, double *mean, double *var)
{
    int idx[MAX_DIMS];
    long n = numel(b->x);
    memset(mean, 0, (size_t)b->params * sizeof *mean);
    memset(var, 0, (size_t)b->params * sizeof *var);
    for (long i = 0; i < n; i++) {
        unravel(i, b->x->rank, b->x->dims, idx);
        mean[broadcast_index(b->p, idx)] += x[offset(b->x, idx)];
    }
    for (long p = 0; p < b->params; p++) mean[p] /= (double)b->count;
    for (long i = 0; i < n; i++) {
        unravel(i, b->x->rank, b->x->dims, idx);
        double dev = x[offset(b->x, idx)] - mean[broadcast_index(b->p, idx)];
        var[broadcast_index(b->p, idx)] += dev * dev;
    }
    for (long p = 0; p < b->params; p++) var[p] /= (double)b->count;
}

/* The bn tensor's element at parameter position p (its row-major index). */
static float *bn_param(const bn *b, float *base, long p)
{
    int idx[MAX_DIMS];
    unravel(p, b->p->rank, b->p->dims, idx);
    return &base[offset(b->p, idx)];
}

/* y = alpha * (scale * (x - mean) * inv_std + bias) + beta * y. */
static void bn_apply(const bn *b, const float *alpha, const float *beta, const float *x, const tensor *yd, float *y,
                     const float *scale, const float *bias, const double *mean, const double *inv_std)
{
    int idx[MAX_DIMS];
    for (long i = 0, n = numel(b->x); i < n; i++) {
        unravel(i, b->x->rank, b->x->dims, idx);
        long p = broadcast_index(b->p, idx);
        double v = *bn_param(b, (float *)scale, p) * (x[offset(b->x, idx)] - mean[p]) * inv_std[p]
                   + *bn_param(b, (float *)bias, p);
        float *out = &y[offset(yd, idx)];
        *out = emu_blend(*alpha, v, *beta, out);
    }
}

/*
 * cuDNN documents that backward must get the epsilon the forward pass used. With saved statistics it does not
 * read it (the saved 1/sqrt(var + eps) already holds it), so a mismatch would pass unseen on a GPU; here the
 * forward remembers the epsilon of the statistics it saved (the last 64) and backward refuses another one.
 */
#define SAVED_EPS 64
static struct { const float *inv_std; double eps; } saved_eps[SAVED_EPS];
static unsigned saved_eps_next;

static void remember_eps(const float *inv_std, double eps)
{
    unsigned i = __atomic_fetch_add(&saved_eps_next, 1, __ATOMIC_SEQ_CST) % SAVED_EPS;
    saved_eps[i].inv_std = inv_std;
    saved_eps[i].eps = eps;
}

static int eps_mismatch(const float *inv_std, double eps)
{
    for (int i = 0; i < SAVED_EPS; i++)
        if (saved_eps[i].inv_std == inv_std) return saved_eps[i].eps != eps;
    return 0;
}

/*
 * Normalizes with the batch statistics (biased variance) and, when running mean and variance are
 * given, updates them as running = (1 - factor)*running + factor*batch, where the variance folded
 * in is the unbiased one (times n/(n-1)). Saves the batch mean and 1/sqrt(var + eps) when asked.
 */
EMU_API cudnnStatus_t cudnnBatchNormalizationForwardTraining(
    handle *h, int mode, const float *alpha, const float *beta, const tensor *xd, const float *x,
    const tensor *yd, float *y, const tensor *pd, const float *scale, const float *bias, double factor,
    float *running_mean, float *running_var, double eps, float *save_mean, float *save_inv_std)
{
    bn b;
    BAD(!h || !alpha || !beta || !yd || !scale || !bias || eps < 0.0);
    cudnnStatus_t s = bn_make(&b, mode, xd, pd);
    if (s) return s;
    CHECK(is_float(yd), CUDNN_STATUS_NOT_SUPPORTED);
    BAD(!same_dims(xd, yd) || (!running_mean) != (!running_var) || (!save_mean) != (!save_inv_std));
    double *mean = malloc((size_t)b.params * sizeof *mean), *var = malloc((size_t)b.params * sizeof *var);
    double *inv_std = calloc((size_t)b.params, sizeof *inv_std);
    bn_stats(&b, x, mean, var);
    for (long p = 0; p < b.params; p++) inv_std[p] = 1.0 / sqrt(var[p] + eps);
    bn_apply(&b, alpha, beta, x, yd, y, scale, bias, mean, inv_std);
    for (long p = 0; p < b.params; p++) {
        if (running_mean) {
            double unbiased = var[p] * (double)b.count / (double)(b.count - 1);
            float *rm = bn_param(&b, running_mean, p), *rv = bn_param(&b, running_var, p);
            *rm = (float)((1.0 - factor) * *rm + factor * mean[p]);
            *rv = (float)((1.0 - factor) * *rv + factor * unbiased);
        }
        if (save_mean) {
            *bn_param(&b, save_mean, p) = (float)mean[p];
            *bn_param(&b, save_inv_std, p) = (float)inv_std[p];
        }
    }
    if (save_inv_std) remember_eps(save_inv_std, eps);
    free(mean);
    free(var);
    free(inv_std);
    return CUDNN_STATUS_SUCCESS;
}

/* y = alpha * (scale * (x - mean) / sqrt(var + eps) + bias) + beta * y with the given statistics. */
EMU_API cudnnStatus_t cudnnBatchNormalizationForwardInference(
    handle *h, int mode, const float *alpha, const float *beta, const tensor *xd, const float *x,
    const tensor *yd, float *y, const tensor *pd, const float *scale, const float *bias,
    const float *est_mean, const float *est_var, double eps)
{
    bn b;
    BAD(!h || !alpha || !beta || !yd || !scale || !bias || !est_mean || !est_var || eps < 0.0);
    cudnnStatus_t s = bn_make(&b, mode, xd, pd);
    if (s) return s;
    CHECK(is_float(yd), CUDNN_STATUS_NOT_SUPPORTED);
    BAD(!same_dims(xd, yd));
    double *mean = malloc((size_t)b.params * sizeof *mean), *inv_std = malloc((size_t)b.params * sizeof *inv_std);
    for (long p = 0; p < b.params; p++) {
        mean[p] = *bn_param(&b, (float *)est_mean, p);
        inv_std[p] = 1.0 / sqrt((double)*bn_param(&b, (float *)est_var, p) + eps);
    }
    bn_apply(&b, alpha, beta, x, yd, y, scale, bias, mean, inv_std);
    free(mean);
    free(inv_std);
    return CUDNN_STATUS_SUCCESS;
}

/*
 * With xhat = (x - mean) * inv_std (saved by the forward pass, or recomputed from x when both
 * saved pointers are NULL):
 *     dbias = sum(dy),  dscale = sum(dy * xhat),
 *     dx = scale * inv_std * (dy - dbias/n - xhat * dscale/n),
 * blended into dx with alphaDataDiff/betaDataDiff and into dscale, dbias with alphaParamDiff/betaParamDiff.
 */
EMU_API cudnnStatus_t cudnnBatchNormalizationBackward(
    handle *h, int mode, const float *alpha_data, const float *beta_data, const float *alpha_param,
    const float *beta_param, const tensor *xd, const float *x, const tensor *dyd, const float *dy,
    const tensor *dxd, float *dx, const tensor *pd, const float *scale, float *dscale, float *dbias,
    double eps, const float *saved_mean, const float *saved_inv_std)
{
    bn b;
    BAD(!h || !alpha_data || !beta_data || !alpha_param || !beta_param || !dyd || !dxd);
    BAD(!scale || !dscale || !dbias || eps < 0.0 || (!saved_mean) != (!saved_inv_std));
    BAD(saved_inv_std && eps_mismatch(saved_inv_std, eps));
    cudnnStatus_t s = bn_make(&b, mode, xd, pd);
    if (s) return s;
    CHECK(is_float(dyd) && is_float(dxd), CUDNN_STATUS_NOT_SUPPORTED);
    BAD(!same_dims(xd, dyd) || !same_dims(xd, dxd));
    size_t bytes = (size_t)b.params * sizeof(double);
    double *mean = malloc(bytes), *inv_std = malloc(bytes), *sum_dy = calloc(1, bytes), *sum_dy_xhat = calloc(1, bytes);
    if (saved_mean) {
        for (long p = 0; p < b.params; p++) {
            mean[p] = *bn_param(&b, (float *)saved_mean, p);
            inv_std[p] = *bn_param(&b, (float *)saved_inv_std, p);
        }
    } else {
        bn_stats(&b, x, mean, inv_std);
        for (long p = 0; p < b.params; p++) inv_std[p] = 1.0 / sqrt(inv_std[p] + eps);
    }
    int idx[MAX_DIMS];
    long n = numel(xd);
    for (long i = 0; i < n; i++) {
        unravel(i, xd->rank, xd->dims, idx);
        long p = broadcast_index(pd, idx);
        double g = dy[offset(dyd, idx)];
        sum_dy[p] += g;
        sum_dy_xhat[p] += g * (x[offset(xd, idx)] - mean[p]) * inv_std[p];
    }
    for (long i = 0; i < n; i++) {
        unravel(i, xd->rank, xd->dims, idx);
        long p = broadcast_index(pd, idx);
        double xhat = (x[offset(xd, idx)] - mean[p]) * inv_std[p], count = (double)b.count;
        double g = *bn_param(&b, (float *)scale, p) * inv_std[p]
                   * (dy[offset(dyd, idx)] - sum_dy[p] / count - xhat * sum_dy_xhat[p] / count);
        float *out = &dx[offset(dxd, idx)];
        *out = emu_blend(*alpha_data, g, *beta_data, out);
    }
    for (long p = 0; p < b.params; p++) {
        float *ds = bn_param(&b, dscale, p), *db = bn_param(&b, dbias, p);
        *ds = emu_blend(*alpha_param, sum_dy_xhat[p], *beta_param, ds);
        *db = emu_blend(*alpha_param, sum_dy[p], *beta_param, db);
    }
    free(mean);
    free(inv_std);
    free(sum_dy);
    free(sum_dy_xhat);
    return CUDNN_STATUS_SUCCESS;
}
