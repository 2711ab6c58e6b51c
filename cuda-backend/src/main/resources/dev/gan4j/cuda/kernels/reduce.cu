// Reductions without atomics. The input is viewed (by StridedParams) with the kept axes first, so
// element k * reduced + r is the r-th value of output k. Pass one: each thread folds one chunk of one
// output in double; pass two: one thread per output folds its chunks in order. Op codes are the
// ordinals of ReduceOp: SUM, MAX, MIN (NaN wins, as in PyTorch).

__device__ double reduce_combine(int op, double acc, double x) {
    switch (op) {
        case 0: return acc + x;                                // SUM
        case 1: return x > acc || x != x ? x : acc;            // MAX
        case 2: return x < acc || x != x ? x : acc;            // MIN
        default: __trap(); return 0;
    }
}

extern "C" __global__ void reduce_chunks(int op, double identity, const float* x, Strided s, long long kept,
                                         long long reduced, long long chunk, long long chunks, double* partial) {
    GRID_STRIDE_LOOP(t, kept * chunks) {
        long long k = t / chunks;
        long long from = (t % chunks) * chunk;
        long long to = from + chunk < reduced ? from + chunk : reduced;
        double acc = identity;
        for (long long r = from; r < to; r++) acc = reduce_combine(op, acc, x[strided_at(&s, 0, k * reduced + r)]);
        partial[t] = acc;
    }
}

extern "C" __global__ void reduce_partials(int op, double identity, const double* partial, long long kept,
                                           long long chunks, float* out) {
    GRID_STRIDE_LOOP(k, kept) {
        double acc = identity;
        for (long long c = 0; c < chunks; c++) acc = reduce_combine(op, acc, partial[k * chunks + c]);
        out[k] = (float) acc;
    }
}

// Index of the first MAX or MIN along the (last, after the view) axis of length `length`; a NaN wins.
extern "C" __global__ void arg_reduce(int op, const float* x, Strided s, long long kept, long long length,
                                      float* out) {
    GRID_STRIDE_LOOP(k, kept) {
        long long best = 0;
        double bestValue = x[strided_at(&s, 0, k * length)];
        for (long long j = 1; j < length && bestValue == bestValue; j++) {
            double v = x[strided_at(&s, 0, k * length + j)];
            if (reduce_combine(op, bestValue, v) != bestValue || v != v) {
                best = j;
                bestValue = v;
            }
        }
        out[k] = (float) best;
    }
}
