package dev.gan4j.tensor.cpu;

/** {@link ChannelLoops} in plain Java: four accumulators per sum, for when the Vector API is absent. */
final class ChannelLoopsPlain implements ChannelLoops {

    @Override
    public double sum(float[] x, int first, int step, int planes, int len) {
        double total = 0;
        for (int p = 0, o = first; p < planes; p++, o += step) total += RowOps.sum(x, o, len);
        return total;
    }

    @Override
    public double centredSquares(float[] x, int first, int step, int planes, int len, double mean) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int p = 0, o = first; p < planes; p++, o += step) {
            int i = o, end = o + len;
            for (; i + 4 <= end; i += 4) {
                double d0 = x[i] - mean, d1 = x[i + 1] - mean, d2 = x[i + 2] - mean, d3 = x[i + 3] - mean;
                s0 += d0 * d0;
                s1 += d1 * d1;
                s2 += d2 * d2;
                s3 += d3 * d3;
            }
            for (; i < end; i++) {
                double d = x[i] - mean;
                s0 += d * d;
            }
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public void affine(float[] x, float[] y, int first, int step, int planes, int len, double mean, double scale,
                       double shift) {
        for (int p = 0, o = first; p < planes; p++, o += step) {
            for (int i = o, end = o + len; i < end; i++) y[i] = (float) ((x[i] - mean) * scale + shift);
        }
    }

    @Override
    public void gradSums(float[] x, float[] gy, int first, int step, int planes, int len, double mean, double[] sums) {
        double g0 = 0, g1 = 0, g2 = 0, g3 = 0, h0 = 0, h1 = 0, h2 = 0, h3 = 0;
        for (int p = 0, o = first; p < planes; p++, o += step) {
            int i = o, end = o + len;
            for (; i + 4 <= end; i += 4) {
                g0 += gy[i];
                g1 += gy[i + 1];
                g2 += gy[i + 2];
                g3 += gy[i + 3];
                h0 += gy[i] * (x[i] - mean);
                h1 += gy[i + 1] * (x[i + 1] - mean);
                h2 += gy[i + 2] * (x[i + 2] - mean);
                h3 += gy[i + 3] * (x[i + 3] - mean);
            }
            for (; i < end; i++) {
                g0 += gy[i];
                h0 += gy[i] * (x[i] - mean);
            }
        }
        sums[0] = (g0 + g1) + (g2 + g3);
        sums[1] = (h0 + h1) + (h2 + h3);
    }

    @Override
    public void gradInput(float[] x, float[] gy, float[] gx, int first, int step, int planes, int len,
                          double mean, double a, double b, double c) {
        for (int p = 0, o = first; p < planes; p++, o += step) {
            for (int i = o, end = o + len; i < end; i++) gx[i] = (float) (a * gy[i] + b * (x[i] - mean) + c);
        }
    }
}
