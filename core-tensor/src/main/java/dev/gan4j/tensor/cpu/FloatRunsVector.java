package dev.gan4j.tensor.cpu;

import jdk.incubator.vector.FloatVector;
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
}
