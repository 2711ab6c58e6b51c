package dev.gan4j.tensor.cpu;

/**
 * Loops of the convolutions over float32 runs of two different arrays (or two far-apart parts of one):
 * the two of the direct convolution ({@link PaddedConv} with few channels) and im2col's stride-2 gather.
 * C2 does not vectorize a loop over two float[] offsets that might alias, nor a strided one, so the
 * Vector API implementation is the fast one; the plain one serves JVMs without that module.
 */
interface FloatRuns {

    /** The loops for this JVM: the Vector API ones when its module is present, else plain Java. */
    static FloatRuns best() {
        return VectorSupport.PRESENT ? new FloatRunsVector() : new FloatRunsPlain();
    }

    /** {@code y[yo + i] += a * x[xo + i]} for {@code i < n}. */
    void axpy(float a, float[] x, int xo, float[] y, int yo, int n);

    /** How many partial sums {@link #dotInto} keeps. */
    int lanes();

    /**
     * A dot product kept as {@link #lanes} partial sums: adds {@code x[xo + i] * y[yo + i]} to
     * {@code sums[so + i % lanes()]} for {@code i < n}. Adding the lanes up, in index order, is the
     * caller's, once after many runs.
     */
    void dotInto(float[] x, int xo, float[] y, int yo, int n, float[] sums, int so);

    /**
     * {@code dst[d + i] = x[xo + 2*i]} for {@code i < n}: one output row of a stride-2 im2col. It may
     * also overwrite {@code dst[d + n, d + n + slack(n))} (never past {@code dst.length}) with junk, so
     * the caller leaves that room, or fills it afterwards: writing whole vectors, also past a short
     * run, is what makes this loop fast (a masked store is not compiled to one instruction).
     */
    void gatherEven(float[] x, int xo, float[] dst, int d, int n);

    /** How many floats past a run of at most {@code n} {@link #gatherEven} may overwrite. */
    int slack(int n);

    /**
     * {@code dst[d + 2*i] += src[so + i]} for {@code i < n}: one output row of a stride-2 col2im. Whole
     * vectors of dst below {@code end} may be loaded and stored back, the odd positions unchanged, so no
     * other thread may write {@code dst[d, end)} meanwhile.
     */
    void scatterAddEven(float[] src, int so, float[] dst, int d, int n, int end);
}
