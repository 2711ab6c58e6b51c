// Elementwise kernels over strided operands. Values are computed in double and rounded once, as the
// CPU backend does, so both backends agree to the last bit in nearly all cases. Op codes are the
// ordinals of the Java enums UnaryOp and BinaryOp; KernelSources writes one case per enum constant
// from its CUDA expression in place of the two case markers below, so an unknown code traps.

__device__ double unary_apply(int op, double x) {
    switch (op) {
UNARY_OP_CASES
        default: __trap(); return 0;
    }
}

// Java's Math.max / Math.min: NaN wins, and +0 is larger than -0.
__device__ double java_max(double a, double b) {
    if (a != a) return a;
    if (a == 0 && b == 0 && signbit(a)) return b;
    return a >= b ? a : b;
}

__device__ double java_min(double a, double b) {
    if (a != a) return a;
    if (a == 0 && b == 0 && signbit(b)) return b;
    return a <= b ? a : b;
}

__device__ double binary_apply(int op, double a, double b) {
    switch (op) {
BINARY_OP_CASES
        default: __trap(); return 0;
    }
}

extern "C" __global__ void copy_f32(const float* x, float* out, Strided s, long long n) {
    GRID_STRIDE_LOOP(i, n) {
        out[strided_at(&s, 0, i)] = x[strided_at(&s, 1, i)];
    }
}

extern "C" __global__ void fill_f32(float* out, float value, Strided s, long long n) {
    GRID_STRIDE_LOOP(i, n) {
        out[strided_at(&s, 0, i)] = value;
    }
}

extern "C" __global__ void unary_f32(int op, const float* x, float* out, Strided s, long long n) {
    GRID_STRIDE_LOOP(i, n) {
        out[strided_at(&s, 0, i)] = (float) unary_apply(op, x[strided_at(&s, 1, i)]);
    }
}

extern "C" __global__ void binary_f32(int op, const float* a, const float* b, float* out, Strided s, long long n) {
    GRID_STRIDE_LOOP(i, n) {
        out[strided_at(&s, 0, i)] = (float) binary_apply(op, a[strided_at(&s, 1, i)], b[strided_at(&s, 2, i)]);
    }
}

extern "C" __global__ void where_f32(const float* cond, const float* a, const float* b, float* out, Strided s,
                                     long long n) {
    GRID_STRIDE_LOOP(i, n) {
        out[strided_at(&s, 0, i)] = cond[strided_at(&s, 1, i)] != 0 ? a[strided_at(&s, 2, i)] : b[strided_at(&s, 3, i)];
    }
}
