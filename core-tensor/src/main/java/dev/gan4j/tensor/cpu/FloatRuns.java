package dev.gan4j.tensor.cpu;

/**
 * The two loops of the direct convolution ({@link DirectConv}) over float32 runs of two different
 * arrays (or two far-apart parts of one). C2 does not vectorize a loop over two float[] offsets that
 * might alias, so the Vector API implementation is the fast one; the plain one serves JVMs without
 * that module.
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
}
