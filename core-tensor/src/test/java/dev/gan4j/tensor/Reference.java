package dev.gan4j.tensor;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * Naive double-precision implementations of every op, written from the PyTorch documentation over
 * flat arrays and shapes. Deliberately slow and obvious; never calls the code under test.
 */
final class Reference {

    private Reference() {}

    // ---------------------------------------------------------------- elementwise

    static Nd map(Nd a, DoubleUnaryOperator f) {
        double[] out = new double[a.numel()];
        for (int i = 0; i < out.length; i++) out[i] = f.applyAsDouble(a.data()[i]);
        return new Nd(a.shape(), out);
    }

    static int[] broadcast(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i - (rank - a.length) >= 0 ? a[i - (rank - a.length)] : 1;
            int db = i - (rank - b.length) >= 0 ? b[i - (rank - b.length)] : 1;
            if (da != db && da != 1 && db != 1) throw new IllegalArgumentException("not broadcastable");
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Reads {@code a} at an index of a (larger) broadcast shape: trailing-aligned, size-1 dims repeat. */
    static double broadcastGet(Nd a, int[] outIndex) {
        int rank = a.rank();
        int lead = outIndex.length - rank;
        int at = 0;
        for (int d = 0; d < rank; d++) {
            int size = a.size(d);
            at = at * size + (size == 1 ? 0 : outIndex[d + lead]);
        }
        return a.data()[at];
    }

    static Nd zip(Nd a, Nd b, DoubleBinaryOperator f) {
        int[] shape = broadcast(a.shape(), b.shape());
        Nd out = Nd.zeros(shape);
        for (int i = 0; i < out.numel(); i++) {
            int[] idx = Nd.unravel(i, shape);
            out.data()[i] = f.applyAsDouble(broadcastGet(a, idx), broadcastGet(b, idx));
        }
        return out;
    }

    static Nd where(Nd c, Nd a, Nd b) {
        int[] shape = broadcast(broadcast(c.shape(), a.shape()), b.shape());
        Nd out = Nd.zeros(shape);
        for (int i = 0; i < out.numel(); i++) {
            int[] idx = Nd.unravel(i, shape);
            out.data()[i] = broadcastGet(c, idx) != 0 ? broadcastGet(a, idx) : broadcastGet(b, idx);
        }
        return out;
    }

    static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    /** NaN-propagating max/min as in torch.maximum / torch.minimum. */
    static double max(double a, double b) { return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : a >= b ? a : b; }
    static double min(double a, double b) { return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : a <= b ? a : b; }

    // ---------------------------------------------------------------- reductions

    static Nd reduce(Nd a, int[] axes, boolean keepDim, ToDoubleFunction<double[]> f) {
        boolean[] reduced = new boolean[a.rank()];
        for (int ax : axes) reduced[ax < 0 ? ax + a.rank() : ax] = true;
        int[] kept = a.shape();
        for (int d = 0; d < kept.length; d++) if (reduced[d]) kept[d] = 1;
        // Group the elements by output position (reduced axes collapsed), keeping row-major order.
        Nd keptNd = Nd.zeros(kept);
        int[] target = new int[a.numel()];
        int[] sizes = new int[keptNd.numel()];
        for (int i = 0; i < a.numel(); i++) {
            int[] idx = Nd.unravel(i, a.shape());
            for (int d = 0; d < idx.length; d++) if (reduced[d]) idx[d] = 0;
            target[i] = keptNd.flat(idx);
            sizes[target[i]]++;
        }
        double[][] groups = new double[sizes.length][];
        for (int o = 0; o < sizes.length; o++) groups[o] = new double[sizes[o]];
        int[] fill = new int[sizes.length];
        for (int i = 0; i < a.numel(); i++) groups[target[i]][fill[target[i]]++] = a.data()[i];
        double[] out = new double[groups.length];
        for (int o = 0; o < out.length; o++) out[o] = f.applyAsDouble(groups[o]);
        if (keepDim) return new Nd(kept, out);
        int[] squeezed = new int[a.rank()];
        int r = 0;
        for (int d = 0; d < kept.length; d++) if (!reduced[d]) squeezed[r++] = kept[d];
        return new Nd(Arrays.copyOf(squeezed, r), out);
    }

    static double sum(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s;
    }

    static double mean(double[] v) { return sum(v) / v.length; }

    static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) m = max(m, x);
        return m;
    }

    static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : v) m = min(m, x);
        return m;
    }

    static double var(double[] v, int correction) {
        double mean = mean(v);
        double s = 0;
        for (double x : v) s += (x - mean) * (x - mean);
        return s / Math.max(v.length - correction, 0); // 0/0 = NaN when too few values, as torch.var
    }

    /** First index of the maximum (first NaN if any), as torch.argmax. */
    static double argmax(double[] v) {
        int best = 0;
        for (int i = 0; i < v.length; i++) {
            if (Double.isNaN(v[i])) return i;
            if (v[i] > v[best]) best = i;
        }
        return best;
    }

    static double argmin(double[] v) {
        int best = 0;
        for (int i = 0; i < v.length; i++) {
            if (Double.isNaN(v[i])) return i;
            if (v[i] < v[best]) best = i;
        }
        return best;
    }

    // ---------------------------------------------------------------- linear algebra

    /** torch.matmul: 1-D operands promoted then squeezed, batch dims broadcast. */
    static Nd matmul(Nd a, Nd b) {
        Nd a2 = a.rank() == 1 ? a.reshape(1, a.size(0)) : a;
        Nd b2 = b.rank() == 1 ? b.reshape(b.size(0), 1) : b;
        int m = a2.size(a2.rank() - 2), k = a2.size(a2.rank() - 1);
        int k2 = b2.size(b2.rank() - 2), n = b2.size(b2.rank() - 1);
        if (k != k2) throw new IllegalArgumentException("inner dims differ");
        int[] batch = broadcast(Arrays.copyOf(a2.shape(), a2.rank() - 2), Arrays.copyOf(b2.shape(), b2.rank() - 2));
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        Nd out = Nd.zeros(outShape);
        for (int i = 0; i < out.numel(); i++) {
            int[] idx = Nd.unravel(i, outShape);
            int[] ai = Arrays.copyOf(idx, idx.length);
            int[] bi = Arrays.copyOf(idx, idx.length);
            double s = 0;
            for (int p = 0; p < k; p++) {
                ai[idx.length - 1] = p;
                bi[idx.length - 2] = p;
                s += broadcastGet(a2, ai) * broadcastGet(b2, bi);
            }
            out.data()[i] = s;
        }
        int[] finalShape = outShape;
        if (b.rank() == 1) finalShape = Arrays.copyOf(finalShape, finalShape.length - 1);
        if (a.rank() == 1) {
            int[] s = new int[finalShape.length - 1];
            int drop = b.rank() == 1 ? finalShape.length - 1 : finalShape.length - 2;
            for (int d = 0, j = 0; d < finalShape.length; d++) if (d != drop) s[j++] = finalShape[d];
            finalShape = s;
        }
        return out.reshape(finalShape);
    }

    static Nd permute(Nd a, int... order) {
        int[] shape = new int[order.length];
        for (int i = 0; i < order.length; i++) shape[i] = a.size(order[i]);
        Nd out = Nd.zeros(shape);
        for (int i = 0; i < out.numel(); i++) {
            int[] idx = Nd.unravel(i, shape);
            int[] src = new int[order.length];
            for (int j = 0; j < order.length; j++) src[order[j]] = idx[j];
            out.data()[i] = a.at(src);
        }
        return out;
    }

    /** Elements {@code start .. start+length-1} of {@code dim}. */
    static Nd narrow(Nd a, int dim, int start, int length) {
        int[] shape = a.shape();
        shape[dim] = length;
        Nd out = Nd.zeros(shape);
        for (int i = 0; i < out.numel(); i++) {
            int[] idx = Nd.unravel(i, shape);
            idx[dim] += start;
            out.data()[i] = a.at(idx);
        }
        return out;
    }

    // ---------------------------------------------------------------- convolution

    /** Stride, padding, dilation (and output padding, for transposed convolutions) per axis. */
    record Conv(int sh, int sw, int ph, int pw, int dh, int dw, int oph, int opw) {
        static Conv of(int s, int p, int d) { return new Conv(s, s, p, p, d, d, 0, 0); }
        ConvParams params() { return new ConvParams(sh, sw, ph, pw, dh, dw); }
    }

    /** torch.nn.functional.conv2d: x [N, C, H, W], w [O, C, kH, kW], bias [O] or null. */
    static Nd conv2d(Nd x, Nd w, Nd bias, Conv p) {
        int n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3);
        int o = w.size(0), kh = w.size(2), kw = w.size(3);
        int oh = Math.floorDiv(h + 2 * p.ph() - p.dh() * (kh - 1) - 1, p.sh()) + 1;
        int ow = Math.floorDiv(wd + 2 * p.pw() - p.dw() * (kw - 1) - 1, p.sw()) + 1;
        Nd y = Nd.zeros(n, o, oh, ow);
        for (int b = 0; b < n; b++) for (int f = 0; f < o; f++) for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) {
            double s = bias == null ? 0 : bias.at(f);
            for (int ch = 0; ch < c; ch++) for (int u = 0; u < kh; u++) for (int v = 0; v < kw; v++) {
                int hi = i * p.sh() - p.ph() + u * p.dh();
                int wi = j * p.sw() - p.pw() + v * p.dw();
                if (hi >= 0 && hi < h && wi >= 0 && wi < wd) s += x.at(b, ch, hi, wi) * w.at(f, ch, u, v);
            }
            y.set(s, b, f, i, j);
        }
        return y;
    }

    /**
     * torch.nn.functional.conv_transpose2d: x [N, Cin, H, W], w [Cin, Cout, kH, kW]; every input
     * element scatters {@code x * w} to {@code (h*stride - pad + k*dilation)}.
     */
    static Nd convTranspose2d(Nd x, Nd w, Nd bias, Conv p) {
        int n = x.size(0), cin = x.size(1), h = x.size(2), wd = x.size(3);
        int cout = w.size(1), kh = w.size(2), kw = w.size(3);
        int oh = (h - 1) * p.sh() - 2 * p.ph() + p.dh() * (kh - 1) + p.oph() + 1;
        int ow = (wd - 1) * p.sw() - 2 * p.pw() + p.dw() * (kw - 1) + p.opw() + 1;
        Nd y = Nd.zeros(n, cout, oh, ow);
        for (int b = 0; b < n; b++) for (int ci = 0; ci < cin; ci++) for (int i = 0; i < h; i++) for (int j = 0; j < wd; j++)
            for (int co = 0; co < cout; co++) for (int u = 0; u < kh; u++) for (int v = 0; v < kw; v++) {
                int yi = i * p.sh() - p.ph() + u * p.dh();
                int yj = j * p.sw() - p.pw() + v * p.dw();
                if (yi >= 0 && yi < oh && yj >= 0 && yj < ow) {
                    y.set(y.at(b, co, yi, yj) + x.at(b, ci, i, j) * w.at(ci, co, u, v), b, co, yi, yj);
                }
            }
        if (bias != null) {
            for (int i = 0; i < y.numel(); i++) y.data()[i] += bias.at(Nd.unravel(i, y.shape())[1]);
        }
        return y;
    }

    /** d(sum(conv2d(x, w) * gy)) / dx: each output gradient scatters back through the window. */
    static Nd conv2dGradInput(Nd gy, Nd w, int[] xShape, Conv p) {
        Nd gx = Nd.zeros(xShape);
        int o = w.size(0), c = w.size(1), kh = w.size(2), kw = w.size(3);
        for (int b = 0; b < gy.size(0); b++) for (int f = 0; f < o; f++)
            for (int i = 0; i < gy.size(2); i++) for (int j = 0; j < gy.size(3); j++)
                for (int ch = 0; ch < c; ch++) for (int u = 0; u < kh; u++) for (int v = 0; v < kw; v++) {
                    int hi = i * p.sh() - p.ph() + u * p.dh();
                    int wi = j * p.sw() - p.pw() + v * p.dw();
                    if (hi >= 0 && hi < xShape[2] && wi >= 0 && wi < xShape[3]) {
                        gx.set(gx.at(b, ch, hi, wi) + gy.at(b, f, i, j) * w.at(f, ch, u, v), b, ch, hi, wi);
                    }
                }
        return gx;
    }

    /** d(sum(conv2d(x, w) * gy)) / dw. */
    static Nd conv2dGradWeight(Nd x, Nd gy, int[] wShape, Conv p) {
        Nd gw = Nd.zeros(wShape);
        for (int f = 0; f < wShape[0]; f++) for (int ch = 0; ch < wShape[1]; ch++)
            for (int u = 0; u < wShape[2]; u++) for (int v = 0; v < wShape[3]; v++) {
                double s = 0;
                for (int b = 0; b < x.size(0); b++) for (int i = 0; i < gy.size(2); i++) for (int j = 0; j < gy.size(3); j++) {
                    int hi = i * p.sh() - p.ph() + u * p.dh();
                    int wi = j * p.sw() - p.pw() + v * p.dw();
                    if (hi >= 0 && hi < x.size(2) && wi >= 0 && wi < x.size(3)) s += x.at(b, ch, hi, wi) * gy.at(b, f, i, j);
                }
                gw.set(s, f, ch, u, v);
            }
        return gw;
    }

    // ---------------------------------------------------------------- batch norm

    /** Per-channel values of x [N, C, ...] in row-major order. */
    static double[] channel(Nd x, int c) {
        int channels = x.size(1);
        int spatial = x.numel() / (x.size(0) * channels);
        double[] v = new double[x.size(0) * spatial];
        for (int n = 0, k = 0; n < x.size(0); n++) {
            for (int s = 0; s < spatial; s++) v[k++] = x.data()[(n * channels + c) * spatial + s];
        }
        return v;
    }

    private static void setChannel(Nd x, int c, double[] v) {
        int channels = x.size(1);
        int spatial = x.numel() / (x.size(0) * channels);
        for (int n = 0, k = 0; n < x.size(0); n++) {
            for (int s = 0; s < spatial; s++) x.data()[(n * channels + c) * spatial + s] = v[k++];
        }
    }

    record BatchNorm(Nd y, Nd mean, Nd invStd, Nd runningMean, Nd runningVar) {}

    /** Training-mode batch norm: batch statistics (biased var), running stats get the unbiased var. */
    static BatchNorm batchNormTraining(Nd x, Nd gamma, Nd beta, Nd runningMean, Nd runningVar, double momentum,
                                       double eps) {
        int channels = x.size(1);
        Nd y = Nd.zeros(x.shape());
        Nd mean = Nd.zeros(channels), invStd = Nd.zeros(channels);
        Nd rm = runningMean == null ? null : Nd.zeros(channels);
        Nd rv = runningVar == null ? null : Nd.zeros(channels);
        for (int c = 0; c < channels; c++) {
            double[] v = channel(x, c);
            double mu = mean(v);
            double biased = var(v, 0);
            double is = 1 / Math.sqrt(biased + eps);
            double g = gamma == null ? 1 : gamma.at(c);
            double b = beta == null ? 0 : beta.at(c);
            double[] out = new double[v.length];
            for (int i = 0; i < v.length; i++) out[i] = (v[i] - mu) * is * g + b;
            setChannel(y, c, out);
            mean.data()[c] = mu;
            invStd.data()[c] = is;
            if (rm != null) rm.data()[c] = (1 - momentum) * runningMean.at(c) + momentum * mu;
            if (rv != null) rv.data()[c] = (1 - momentum) * runningVar.at(c) + momentum * var(v, 1);
        }
        return new BatchNorm(y, mean, invStd, rm, rv);
    }

    static Nd batchNormInference(Nd x, Nd gamma, Nd beta, Nd runningMean, Nd runningVar, double eps) {
        Nd y = Nd.zeros(x.shape());
        for (int c = 0; c < x.size(1); c++) {
            double[] v = channel(x, c);
            double g = gamma == null ? 1 : gamma.at(c);
            double b = beta == null ? 0 : beta.at(c);
            for (int i = 0; i < v.length; i++) v[i] = (v[i] - runningMean.at(c)) / Math.sqrt(runningVar.at(c) + eps) * g + b;
            setChannel(y, c, v);
        }
        return y;
    }

    /** Gradients of training-mode batch norm, by the chain rule through mean and variance step by step. */
    static Nd[] batchNormBackward(Nd x, Nd gy, Nd gamma, double eps) {
        int channels = x.size(1);
        Nd gx = Nd.zeros(x.shape()), gGamma = Nd.zeros(channels), gBeta = Nd.zeros(channels);
        for (int c = 0; c < channels; c++) {
            double[] v = channel(x, c), g = channel(gy, c);
            int m = v.length;
            double mu = mean(v), var = var(v, 0), is = 1 / Math.sqrt(var + eps);
            double gam = gamma == null ? 1 : gamma.at(c);
            double dVar = 0, dMu = 0, centred = 0;
            for (int i = 0; i < m; i++) {
                double dXhat = g[i] * gam;
                dVar += dXhat * (v[i] - mu) * -0.5 * Math.pow(var + eps, -1.5);
                dMu += -dXhat * is;
                centred += -2 * (v[i] - mu) / m;
                gGamma.data()[c] += g[i] * (v[i] - mu) * is;
                gBeta.data()[c] += g[i];
            }
            dMu += dVar * centred;
            double[] out = new double[m];
            for (int i = 0; i < m; i++) out[i] = g[i] * gam * is + dVar * 2 * (v[i] - mu) / m + dMu / m;
            setChannel(gx, c, out);
        }
        return new Nd[] {gx, gGamma, gBeta};
    }

    // ---------------------------------------------------------------- pooling, resampling, padding

    static int poolOut(int in, int k, int s, int p) { return Math.floorDiv(in + 2 * p - k, s) + 1; }

    /** max_pool2d with return_indices: {values, flat h*W+w index of the first maximum in each window}. */
    static Nd[] maxPool2d(Nd x, int k, int s, int p) {
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        int oh = poolOut(h, k, s, p), ow = poolOut(w, k, s, p);
        Nd y = Nd.zeros(n, c, oh, ow), idx = Nd.zeros(n, c, oh, ow);
        for (int b = 0; b < n; b++) for (int ch = 0; ch < c; ch++) for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) {
            double best = Double.NEGATIVE_INFINITY;
            int at = -1;
            for (int u = 0; u < k; u++) for (int v = 0; v < k; v++) {
                int hi = i * s - p + u, wi = j * s - p + v;
                if (hi < 0 || hi >= h || wi < 0 || wi >= w) continue;
                double val = x.at(b, ch, hi, wi);
                if (at < 0 || val > best) {
                    best = val;
                    at = hi * w + wi;
                }
            }
            y.set(best, b, ch, i, j);
            idx.set(at, b, ch, i, j);
        }
        return new Nd[] {y, idx};
    }

    static Nd maxPool2dBackward(Nd gy, Nd idx, int[] xShape) {
        Nd gx = Nd.zeros(xShape);
        int plane = xShape[2] * xShape[3];
        for (int i = 0; i < gy.numel(); i++) {
            int[] at = Nd.unravel(i, gy.shape());
            int target = (at[0] * xShape[1] + at[1]) * plane + (int) idx.data()[i];
            gx.data()[target] += gy.data()[i];
        }
        return gx;
    }

    /** avg_pool2d with count_include_pad=True, ceil_mode=False: divisor is always k*k. */
    static Nd avgPool2d(Nd x, int k, int s, int p) {
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        int oh = poolOut(h, k, s, p), ow = poolOut(w, k, s, p);
        Nd y = Nd.zeros(n, c, oh, ow);
        for (int b = 0; b < n; b++) for (int ch = 0; ch < c; ch++) for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) {
            double sum = 0;
            for (int u = 0; u < k; u++) for (int v = 0; v < k; v++) {
                int hi = i * s - p + u, wi = j * s - p + v;
                if (hi >= 0 && hi < h && wi >= 0 && wi < w) sum += x.at(b, ch, hi, wi);
            }
            y.set(sum / (k * k), b, ch, i, j);
        }
        return y;
    }

    static Nd upsampleNearest(Nd x, int scale) {
        int n = x.size(0), c = x.size(1), h = x.size(2) * scale, w = x.size(3) * scale;
        Nd y = Nd.zeros(n, c, h, w);
        for (int b = 0; b < n; b++) for (int ch = 0; ch < c; ch++) for (int i = 0; i < h; i++) for (int j = 0; j < w; j++)
            y.set(x.at(b, ch, i / scale, j / scale), b, ch, i, j);
        return y;
    }

    static Nd upsampleNearestBackward(Nd gy, int scale) {
        Nd gx = Nd.zeros(gy.size(0), gy.size(1), gy.size(2) / scale, gy.size(3) / scale);
        for (int b = 0; b < gy.size(0); b++) for (int ch = 0; ch < gy.size(1); ch++)
            for (int i = 0; i < gy.size(2); i++) for (int j = 0; j < gy.size(3); j++)
                gx.set(gx.at(b, ch, i / scale, j / scale) + gy.at(b, ch, i, j), b, ch, i / scale, j / scale);
        return gx;
    }

    static Nd avgPool2dBackward(Nd gy, int[] xShape, int k, int s, int p) {
        Nd gx = Nd.zeros(xShape);
        for (int b = 0; b < gy.size(0); b++) for (int ch = 0; ch < gy.size(1); ch++)
            for (int i = 0; i < gy.size(2); i++) for (int j = 0; j < gy.size(3); j++)
                for (int u = 0; u < k; u++) for (int v = 0; v < k; v++) {
                    int hi = i * s - p + u, wi = j * s - p + v;
                    if (hi >= 0 && hi < xShape[2] && wi >= 0 && wi < xShape[3]) {
                        gx.set(gx.at(b, ch, hi, wi) + gy.at(b, ch, i, j) / (k * k), b, ch, hi, wi);
                    }
                }
        return gx;
    }

    /** F.pad with constant value; pads = (last-dim before, last-dim after, second-last before, ...). */
    static Nd pad(Nd x, int[] pads, double value) {
        int[] shape = x.shape();
        int[] before = new int[shape.length];
        for (int i = 0; i < pads.length / 2; i++) {
            int d = shape.length - 1 - i;
            before[d] = pads[2 * i];
            shape[d] += pads[2 * i] + pads[2 * i + 1];
        }
        Nd y = Nd.full(value, shape);
        for (int i = 0; i < x.numel(); i++) {
            int[] at = Nd.unravel(i, x.shape());
            for (int d = 0; d < at.length; d++) at[d] += before[d];
            y.set(x.data()[i], at);
        }
        return y;
    }

    static Nd concat(List<Nd> parts, int dim) {
        int[] shape = parts.get(0).shape();
        shape[dim] = parts.stream().mapToInt(p -> p.size(dim)).sum();
        Nd y = Nd.zeros(shape);
        int at = 0;
        for (Nd p : parts) {
            for (int i = 0; i < p.numel(); i++) {
                int[] idx = Nd.unravel(i, p.shape());
                idx[dim] += at;
                y.set(p.data()[i], idx);
            }
            at += p.size(dim);
        }
        return y;
    }

    static Nd indexSelect(Nd x, int dim, int[] index) {
        int[] shape = x.shape();
        shape[dim] = index.length;
        Nd y = Nd.zeros(shape);
        for (int i = 0; i < y.numel(); i++) {
            int[] at = Nd.unravel(i, shape);
            at[dim] = index[at[dim]];
            y.data()[i] = x.at(at);
        }
        return y;
    }

    static Nd indexAdd(Nd x, int dim, int[] index, Nd src) {
        Nd y = new Nd(x.shape(), x.data().clone());
        for (int i = 0; i < src.numel(); i++) {
            int[] at = Nd.unravel(i, src.shape());
            at[dim] = index[at[dim]];
            y.set(y.at(at) + src.data()[i], at);
        }
        return y;
    }
}
