// Prepended to every kernel source (see KernelSources). Kernels keep three rules so that the CPU
// emulation of NVRTC/libcuda used in tests runs them exactly as a GPU would: every kernel is one
// grid-stride loop in which each element is independent; no shared memory, __syncthreads or warp
// intrinsics; no atomics (so float sums have one fixed order and results are deterministic).

#define MAX_RANK 8
#define MAX_OPERANDS 4

// One shape walked by up to four operands, each with its own strides (0 = broadcast) and offset.
// Operand 0 is the output. Filled by StridedParams on the Java side.
typedef struct {
    int rank;
    int size[MAX_RANK];
    int stride[MAX_OPERANDS][MAX_RANK];
    int offset[MAX_OPERANDS];
} Strided;

#define GRID_STRIDE_LOOP(i, n) \
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < (n); \
         i += (long long) blockDim.x * gridDim.x)

// Storage index, for one operand, of the i-th element in row-major order of the shape.
__device__ long long strided_at(const Strided* s, int operand, long long i) {
    long long at = s->offset[operand];
    for (int d = s->rank - 1; d >= 0; d--) {
        at += (i % s->size[d]) * s->stride[operand][d];
        i /= s->size[d];
    }
    return at;
}
