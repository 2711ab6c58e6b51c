package dev.gan4j.nn.layers;

import dev.gan4j.tensor.Tensor;

/** Straightforward float64 loop implementations of each layer, written from PyTorch's definitions. */
final class Naive {

    private Naive() {}

    static Tensor linear(Tensor x, Tensor w, Tensor b) {
        int in = w.size(1), out = w.size(0), rows = x.numel() / in;
        double[] xs = x.toDoubleArray(), ws = w.toDoubleArray(), bs = b == null ? null : b.toDoubleArray();
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double s = bs == null ? 0 : bs[o];
                for (int i = 0; i < in; i++) s += xs[r * in + i] * ws[o * in + i];
                y[r * out + o] = s;
            }
        }
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        return Tensor.fromArray(y, shape);
    }

    /** Direct convolution: y[n,o,oh,ow] = b[o] + sum x[n,c,oh*s-p+kh*d, ow*s-p+kw*d] w[o,c,kh,kw]. */
    static Tensor conv2d(Tensor x, Tensor w, Tensor b, int stride, int pad, int dil) {
        int n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3);
        int o = w.size(0), k = w.size(2);
        int oh = (h + 2 * pad - dil * (k - 1) - 1) / stride + 1, ow = (wd + 2 * pad - dil * (k - 1) - 1) / stride + 1;
        double[] y = new double[n * o * oh * ow];
        for (int in = 0; in < n; in++)
            for (int io = 0; io < o; io++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++) {
                        double s = b == null ? 0 : b.get(io);
                        for (int ic = 0; ic < c; ic++)
                            for (int kh = 0; kh < k; kh++)
                                for (int kw = 0; kw < k; kw++) {
                                    int r = i * stride - pad + kh * dil, q = j * stride - pad + kw * dil;
                                    if (r >= 0 && r < h && q >= 0 && q < wd) s += x.get(in, ic, r, q) * w.get(io, ic, kh, kw);
                                }
                        y[((in * o + io) * oh + i) * ow + j] = s;
                    }
        return Tensor.fromArray(y, n, o, oh, ow);
    }

    /** Transposed convolution as a scatter: each input pixel adds x * w[c, o] into the output window. */
    static Tensor convTranspose2d(Tensor x, Tensor w, Tensor b, int stride, int pad, int outPad, int dil) {
        int n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3);
        int o = w.size(1), k = w.size(2);
        int oh = (h - 1) * stride - 2 * pad + dil * (k - 1) + outPad + 1;
        int ow = (wd - 1) * stride - 2 * pad + dil * (k - 1) + outPad + 1;
        double[] y = new double[n * o * oh * ow];
        for (int in = 0; in < n; in++)
            for (int io = 0; io < o; io++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++) y[((in * o + io) * oh + i) * ow + j] = b == null ? 0 : b.get(io);
        for (int in = 0; in < n; in++)
            for (int ic = 0; ic < c; ic++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < wd; j++)
                        for (int io = 0; io < o; io++)
                            for (int kh = 0; kh < k; kh++)
                                for (int kw = 0; kw < k; kw++) {
                                    int r = i * stride - pad + kh * dil, q = j * stride - pad + kw * dil;
                                    if (r >= 0 && r < oh && q >= 0 && q < ow) {
                                        y[((in * o + io) * oh + r) * ow + q] += x.get(in, ic, i, j) * w.get(ic, io, kh, kw);
                                    }
                                }
        return Tensor.fromArray(y, n, o, oh, ow);
    }

    /** Per-channel statistics over [N, C, rest...]: {mean, biased variance, unbiased variance}. */
    static double[][] channelStats(Tensor x) {
        int n = x.size(0), c = x.size(1), s = x.numel() / (n * c);
        double[] v = x.toDoubleArray();
        double[][] out = new double[3][c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = 0; i < n; i++) for (int j = 0; j < s; j++) sum += v[(i * c + ch) * s + j];
            double mean = sum / (n * s), sq = 0;
            for (int i = 0; i < n; i++) for (int j = 0; j < s; j++) sq += Math.pow(v[(i * c + ch) * s + j] - mean, 2);
            out[0][ch] = mean;
            out[1][ch] = sq / (n * s);
            out[2][ch] = sq / (n * s - 1);
        }
        return out;
    }

    /** (x - mean[c]) / sqrt(var[c] + eps) * gamma[c] + beta[c] over [N, C, rest...]. */
    static Tensor normalize(Tensor x, double[] mean, double[] var, double[] gamma, double[] beta, double eps) {
        int n = x.size(0), c = x.size(1), s = x.numel() / (n * c);
        double[] v = x.toDoubleArray();
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
                for (int j = 0; j < s; j++) {
                    int at = (i * c + ch) * s + j;
                    v[at] = (v[at] - mean[ch]) / Math.sqrt(var[ch] + eps) * (gamma == null ? 1 : gamma[ch])
                            + (beta == null ? 0 : beta[ch]);
                }
        return Tensor.fromArray(v, x.shape());
    }

    /** Normalises each group of the last {@code group} elements, then scales elementwise. */
    static Tensor layerNorm(Tensor x, int group, double[] gamma, double[] beta, double eps) {
        double[] v = x.toDoubleArray();
        for (int start = 0; start < v.length; start += group) {
            double mean = 0, var = 0;
            for (int i = 0; i < group; i++) mean += v[start + i] / group;
            for (int i = 0; i < group; i++) var += Math.pow(v[start + i] - mean, 2) / group;
            for (int i = 0; i < group; i++) {
                v[start + i] = (v[start + i] - mean) / Math.sqrt(var + eps) * gamma[i] + beta[i];
            }
        }
        return Tensor.fromArray(v, x.shape());
    }

    /** Max or average pooling with square windows; padding is -inf for max and 0 (counted) for average. */
    static Tensor pool(Tensor x, int k, int stride, int pad, boolean max) {
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        int oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1;
        double[] y = new double[n * c * oh * ow];
        for (int p = 0; p < n * c; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    for (int kh = 0; kh < k; kh++)
                        for (int kw = 0; kw < k; kw++) {
                            int r = i * stride - pad + kh, q = j * stride - pad + kw;
                            double v = r >= 0 && r < h && q >= 0 && q < w ? x.get(p / c, p % c, r, q)
                                    : max ? Double.NEGATIVE_INFINITY : 0;
                            acc = max ? Math.max(acc, v) : acc + v;
                        }
                    y[(p * oh + i) * ow + j] = max ? acc : acc / (k * k);
                }
        return Tensor.fromArray(y, n, c, oh, ow);
    }

    static Tensor upsampleNearest(Tensor x, int scale) {
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        double[] y = new double[n * c * h * scale * w * scale];
        for (int p = 0; p < n * c; p++)
            for (int i = 0; i < h * scale; i++)
                for (int j = 0; j < w * scale; j++) y[(p * h * scale + i) * w * scale + j] = x.get(p / c, p % c, i / scale, j / scale);
        return Tensor.fromArray(y, n, c, h * scale, w * scale);
    }

    static Tensor map(Tensor x, java.util.function.DoubleUnaryOperator f) {
        double[] v = x.toDoubleArray();
        for (int i = 0; i < v.length; i++) v[i] = f.applyAsDouble(v[i]);
        return Tensor.fromArray(v, x.shape());
    }
}
