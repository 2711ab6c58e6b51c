package dev.gan4j.tensor.cpu;

/**
 * The float32 loops of batch norm over one channel: {@code planes} runs of {@code len} floats, the
 * first at {@code first}, each {@code step} after the previous one (a channel of dense
 * {@code [N, C, S]} storage is N planes of S, {@code C*S} apart). Floats are widened to double for
 * all arithmetic and sums, and rounded once on the way out; no row is materialised. Each sum runs
 * in an order fixed by the geometry alone (per-lane accumulators in element order, then combined in
 * a fixed order), so results do not depend on the thread that runs the channel.
 */
interface ChannelLoops {

    /** The loops for this JVM: the Vector API ones when its module is present, else plain Java. */
    static ChannelLoops best() {
        return VectorSupport.PRESENT ? new ChannelLoopsVector() : new ChannelLoopsPlain();
    }

    /** {@code sum(x)}. */
    double sum(float[] x, int first, int step, int planes, int len);

    /** {@code sum((x - mean)^2)}. */
    double centredSquares(float[] x, int first, int step, int planes, int len, double mean);

    /**
     * {@code y = (x - mean) * scale + shift}: centred first, so that a channel whose values all equal its
     * mean gives exactly {@code shift}, however large {@code scale} is.
     */
    void affine(float[] x, float[] y, int first, int step, int planes, int len, double mean, double scale,
                double shift);

    /** {@code sums[0] = sum(gy)}, {@code sums[1] = sum(gy * (x - mean))}: one pass over x and gy. */
    void gradSums(float[] x, float[] gy, int first, int step, int planes, int len, double mean, double[] sums);

    /** {@code gx = a * gy + b * (x - mean) + c}. */
    void gradInput(float[] x, float[] gy, float[] gx, int first, int step, int planes, int len,
                   double mean, double a, double b, double c);
}
