// index_select and its adjoint over dense tensors seen as [outer, dim, inner]. index_add gathers:
// one thread per output element adds, in index order, every source slice that maps to it.

extern "C" __global__ void index_select(const float* x, const int* index, float* out, long long outer,
                                        int dimSize, int count, long long inner) {
    GRID_STRIDE_LOOP(o, outer * count * inner) {
        long long j = o % inner;
        long long u = o / inner;
        long long b = u / count;
        out[o] = x[(b * dimSize + index[u % count]) * inner + j];
    }
}

extern "C" __global__ void index_add(const float* src, const int* index, float* out, long long outer,
                                     int dimSize, int count, long long inner) {
    GRID_STRIDE_LOOP(o, outer * dimSize * inner) {
        long long j = o % inner;
        long long u = o / inner;
        int d = (int) (u % dimSize);
        long long b = u / dimSize;
        float acc = out[o];
        for (int i = 0; i < count; i++) {
            if (index[i] == d) acc += src[(b * count + i) * inner + j];
        }
        out[o] = acc;
    }
}
