package dev.gan4j.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatRuns} with the Vector API, in the GEMM's species (see {@link ChannelLoopsVector} for why
 * never another). Every element is one fused multiply-add, the tail too ({@link Math#fma}), so a value's
 * rounding does not depend on where the vector loop ends. The dot product keeps two vector accumulators,
 * loaded from and stored back to the caller's partial sums, so it neither reduces lanes nor allocates.
 * Only touched when {@link VectorSupport#PRESENT}.
 */
final class FloatRunsVector implements FloatRuns {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector. */
    private static final int W = F.length();
    /** Lane l takes lane 2l (mod W): the even lanes of a vector, in its lower half (of the next one, upper). */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(F, l -> 2 * l % W);
    /** Runs of stride-2 gathers at most this long are copied by plain stores: cheaper than shuffling a vector. */
    private static final int SHORT = W / 4;
    /** Lane l takes lane l/2: the lower half of a vector spread over the even lanes. */
    private static final VectorShuffle<Float> SPREAD = VectorShuffle.fromOp(F, l -> l / 2);
    /** The even lanes. */
    private static final VectorMask<Float> EVENS = VectorMask.fromLong(F, 0x5555_5555_5555_5555L);
    /** The upper half of the lanes. */
    private static final VectorMask<Float> UPPER = F.indexInRange(-W / 2, W / 2);

    @Override
    public void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector av = FloatVector.broadcast(F, a);
        int i = 0;
        for (; i + W <= n; i += W) {
            FloatVector.fromArray(F, x, xo + i).fma(av, FloatVector.fromArray(F, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] = Math.fma(a, x[xo + i], y[yo + i]);
    }

    @Override
    public int lanes() {
        return 2 * W;
    }

    @Override
    public void dotInto(float[] x, int xo, float[] y, int yo, int n, float[] sums, int so) {
        FloatVector s0 = FloatVector.fromArray(F, sums, so), s1 = FloatVector.fromArray(F, sums, so + W);
        int i = 0;
        for (; i + 2 * W <= n; i += 2 * W) {
            s0 = FloatVector.fromArray(F, x, xo + i).fma(FloatVector.fromArray(F, y, yo + i), s0);
            s1 = FloatVector.fromArray(F, x, xo + i + W).fma(FloatVector.fromArray(F, y, yo + i + W), s1);
        }
        s0.intoArray(sums, so);
        s1.intoArray(sums, so + W);
        for (int j = 0; i < n; i++, j++) sums[so + j] = Math.fma(x[xo + i], y[yo + i], sums[so + j]);
    }

    @Override
    public void gatherEven(float[] x, int xo, float[] dst, int d, int n) {
        int i = 0;
        if (n <= SHORT) {
            // (see SHORT)
        } else if (n <= W / 2 && xo + W <= x.length && d + W <= dst.length) {
            FloatVector.fromArray(F, x, xo).rearrange(EVEN).intoArray(dst, d);
            return;
        }
        // Each whole vector written holds W outputs from two vectors of x; the last may run past n.
        for (; n > SHORT && i < n && xo + 2 * i + 2 * W <= x.length && d + i + W <= dst.length; i += W) {
            FloatVector low = FloatVector.fromArray(F, x, xo + 2 * i).rearrange(EVEN);
            FloatVector high = FloatVector.fromArray(F, x, xo + 2 * i + W).rearrange(EVEN);
            low.blend(high, UPPER).intoArray(dst, d + i);
        }
        for (; i < n; i++) dst[d + i] = x[xo + 2 * i];
    }

    @Override
    public int slack(int n) {
        return n <= SHORT ? 0 : W - 1;
    }

    @Override
    public void scatterAddEven(float[] src, int so, float[] dst, int d, int n, int end) {
        int i = 0;
        // W/2 outputs a vector: dst's whole vector read, its even lanes added to, and stored back.
        for (; i + W / 2 <= n && d + 2 * i + W <= end && so + i + W <= src.length; i += W / 2) {
            FloatVector old = FloatVector.fromArray(F, dst, d + 2 * i);
            FloatVector spread = FloatVector.fromArray(F, src, so + i).rearrange(SPREAD);
            old.blend(old.add(spread), EVENS).intoArray(dst, d + 2 * i);
        }
        for (; i < n; i++) dst[d + 2 * i] += src[so + i];
    }
}
