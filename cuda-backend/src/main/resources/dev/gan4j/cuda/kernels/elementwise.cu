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

// The optimisers' updates, each in one pass (Backend.adamStep, rmsPropStep): float operations in the order
// of the chain of tensor ops each replaces, each rounded on its own (kernels are compiled without
// multiply-add contraction), so the CPU backend's float32 results are matched to the bit. Optional state
// is a null pointer: max_exp_avg_sq without AMSGrad, grad_avg uncentered, momentum_buffer without momentum.
extern "C" __global__ void adam_step_f32(float* param, const float* grad, float* exp_avg, float* exp_avg_sq,
                                         float* max_exp_avg_sq, int decays, float decay, float beta1, float rest1,
                                         float beta2, float rest2, float correction2, float eps, float step_size,
                                         long long n) {
    GRID_STRIDE_LOOP(i, n) {
        float p = param[i];
        float g = decays ? grad[i] + p * decay : grad[i];
        float avg = exp_avg[i] * beta1 + g * rest1;
        float avg_sq = exp_avg_sq[i] * beta2 + g * g * rest2;
        exp_avg[i] = avg;
        exp_avg_sq[i] = avg_sq;
        if (max_exp_avg_sq != nullptr) {
            avg_sq = (float) java_max(max_exp_avg_sq[i], avg_sq);
            max_exp_avg_sq[i] = avg_sq;
        }
        float denom = sqrtf(avg_sq) / correction2 + eps;
        param[i] = p - avg / denom * step_size;
    }
}

extern "C" __global__ void rmsprop_step_f32(float* param, const float* grad, float* square_avg, float* grad_avg,
                                            float* momentum_buffer, int decays, float decay, float alpha,
                                            float rest, float eps, float momentum, float lr, long long n) {
    GRID_STRIDE_LOOP(i, n) {
        float p = param[i];
        float g = decays ? grad[i] + p * decay : grad[i];
        float sq = square_avg[i] * alpha + g * g * rest;
        square_avg[i] = sq;
        float mean_square = sq;
        if (grad_avg != nullptr) {
            float ga = grad_avg[i] * alpha + g * rest;
            grad_avg[i] = ga;
            mean_square = sq - ga * ga;
        }
        float step = g / (sqrtf(mean_square) + eps);
        if (momentum_buffer != nullptr) {
            step = momentum_buffer[i] * momentum + step;
            momentum_buffer[i] = step;
        }
        param[i] = p - step * lr;
    }
}
