package dev.gan4j.tensor.cpu;

/** {@link FloatRuns} in plain Java; the dot product keeps four partial sums so that its adds overlap. */
final class FloatRunsPlain implements FloatRuns {

    @Override
    public void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] += a * x[xo + i];
    }

    @Override
    public int lanes() {
        return 4;
    }

    @Override
    public void dotInto(float[] x, int xo, float[] y, int yo, int n, float[] sums, int so) {
        float s0 = sums[so], s1 = sums[so + 1], s2 = sums[so + 2], s3 = sums[so + 3];
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += x[xo + i] * y[yo + i];
            s1 += x[xo + i + 1] * y[yo + i + 1];
            s2 += x[xo + i + 2] * y[yo + i + 2];
            s3 += x[xo + i + 3] * y[yo + i + 3];
        }
        sums[so] = s0;
        sums[so + 1] = s1;
        sums[so + 2] = s2;
        sums[so + 3] = s3;
        for (int j = 0; i < n; i++, j++) sums[so + j] += x[xo + i] * y[yo + i];
    }

    @Override
    public void gatherEven(float[] x, int xo, float[] dst, int d, int n) {
        for (int i = 0; i < n; i++) dst[d + i] = x[xo + 2 * i];
    }

    @Override
    public int slack(int n) {
        return 0;
    }

    @Override
    public void scatterAddEven(float[] src, int so, float[] dst, int d, int n, int end) {
        for (int i = 0; i < n; i++) dst[d + 2 * i] += src[so + i];
    }
}
