// Max and average pooling over dense NCHW planes. The backward kernels gather: one thread per input
// element visits, in output order, the windows that contain it (no scatter, so no atomics).

typedef struct {
    int planes, inH, inW, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW;
} PoolShape;

// First output index whose window (start o*stride - pad, length kernel) reaches padded position p.
__device__ int first_window(int p, int kernel, int stride) {
    return p < kernel ? 0 : (p - kernel) / stride + 1;
}

// Last output index whose window starts at or before padded position p, capped at the output size.
__device__ int last_window(int p, int stride, int out) {
    int last = p / stride;
    return last < out - 1 ? last : out - 1;
}

extern "C" __global__ void max_pool_forward(const float* x, float* y, float* argmax, PoolShape g) {
    GRID_STRIDE_LOOP(o, (long long) g.planes * g.outH * g.outW) {
        int ow = (int) (o % g.outW);
        int oh = (int) (o / g.outW % g.outH);
        const float* in = x + o / ((long long) g.outH * g.outW) * g.inH * g.inW;
        float best = 0;
        int bestAt = -1;
        for (int kh = 0; kh < g.kernelH; kh++) {
            int h = oh * g.strideH - g.padH + kh;
            if (h < 0 || h >= g.inH) continue;
            for (int kw = 0; kw < g.kernelW; kw++) {
                int w = ow * g.strideW - g.padW + kw;
                if (w < 0 || w >= g.inW) continue;
                float v = in[h * g.inW + w];
                if (v > best || bestAt < 0 || v != v) {
                    best = v;
                    bestAt = h * g.inW + w;
                    if (v != v) break;
                }
            }
        }
        y[o] = best;
        argmax[o] = (float) bestAt;
    }
}

extern "C" __global__ void max_pool_backward(const float* gy, const float* argmax, float* gx, PoolShape g) {
    GRID_STRIDE_LOOP(i, (long long) g.planes * g.inH * g.inW) {
        int w = (int) (i % g.inW);
        int h = (int) (i / g.inW % g.inH);
        long long outPlane = i / ((long long) g.inH * g.inW) * g.outH * g.outW;
        float acc = 0;
        for (int oh = first_window(h + g.padH, g.kernelH, g.strideH); oh <= last_window(h + g.padH, g.strideH, g.outH); oh++) {
            for (int ow = first_window(w + g.padW, g.kernelW, g.strideW); ow <= last_window(w + g.padW, g.strideW, g.outW); ow++) {
                long long o = outPlane + oh * g.outW + ow;
                if ((int) argmax[o] == h * g.inW + w) acc += gy[o];
            }
        }
        gx[i] = acc;
    }
}

extern "C" __global__ void avg_pool_forward(const float* x, float* y, PoolShape g) {
    GRID_STRIDE_LOOP(o, (long long) g.planes * g.outH * g.outW) {
        int ow = (int) (o % g.outW);
        int oh = (int) (o / g.outW % g.outH);
        const float* in = x + o / ((long long) g.outH * g.outW) * g.inH * g.inW;
        double sum = 0;
        for (int kh = 0; kh < g.kernelH; kh++) {
            int h = oh * g.strideH - g.padH + kh;
            if (h < 0 || h >= g.inH) continue;
            for (int kw = 0; kw < g.kernelW; kw++) {
                int w = ow * g.strideW - g.padW + kw;
                if (w >= 0 && w < g.inW) sum += in[h * g.inW + w];
            }
        }
        y[o] = (float) (sum / (g.kernelH * g.kernelW));
    }
}

extern "C" __global__ void avg_pool_backward(const float* gy, float* gx, PoolShape g) {
    GRID_STRIDE_LOOP(i, (long long) g.planes * g.inH * g.inW) {
        int w = (int) (i % g.inW);
        int h = (int) (i / g.inW % g.inH);
        long long outPlane = i / ((long long) g.inH * g.inW) * g.outH * g.outW;
        double divisor = g.kernelH * g.kernelW;
        float acc = 0;
        for (int oh = first_window(h + g.padH, g.kernelH, g.strideH); oh <= last_window(h + g.padH, g.strideH, g.outH); oh++) {
            for (int ow = first_window(w + g.padW, g.kernelW, g.strideW); ow <= last_window(w + g.padW, g.strideW, g.outW); ow++) {
                acc = (float) (acc + gy[outPlane + oh * g.outW + ow] / divisor);
            }
        }
        gx[i] = acc;
    }
}

// Nearest upsampling by an integer scale: input row r (plane and height flattened) owns output rows
// r*scale ... r*scale + scale-1. The backward sums each block in double, column by column of the
// block's rows first, as the CPU does.
typedef struct {
    int planes, inH, inW, scale;
} UpsampleShape;

extern "C" __global__ void upsample_nearest_forward(const float* x, float* y, UpsampleShape g) {
    long long outW = (long long) g.inW * g.scale;
    GRID_STRIDE_LOOP(o, (long long) g.planes * g.inH * g.scale * outW) {
        long long row = o / outW / g.scale;
        y[o] = x[row * g.inW + (o % outW) / g.scale];
    }
}

extern "C" __global__ void upsample_nearest_backward(const float* gy, float* gx, UpsampleShape g) {
    long long outW = (long long) g.inW * g.scale;
    GRID_STRIDE_LOOP(i, (long long) g.planes * g.inH * g.inW) {
        const float* block = gy + i / g.inW * g.scale * outW + i % g.inW * g.scale;
        double sum = 0;
        for (int j = 0; j < g.scale; j++) {
            double column = 0;
            for (int k = 0; k < g.scale; k++) column += block[k * outW + j];
            sum += column;
        }
        gx[i] = (float) sum;
    }
}
