package dev.gan4j.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatRuns} with the Vector API, in the GEMM's species (see {@link ChannelLoopsVector} for why
 * never another). Every element is one fused multiply-add, the tail too ({@link Math#fma}), so a value's
 * rounding does not depend on where the vector loop ends. The dot product keeps two vector accumulators
 * and adds their lanes in index order (not {@code reduceLanes}, whose order may differ between the
 * interpreter and compiled code). Only touched when {@link VectorSupport#PRESENT}.
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
    public float dot(float[] x, int xo, float[] y, int yo, int n) {
        FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * W <= n; i += 2 * W) {
            s0 = FloatVector.fromArray(F, x, xo + i).fma(FloatVector.fromArray(F, y, yo + i), s0);
            s1 = FloatVector.fromArray(F, x, xo + i + W).fma(FloatVector.fromArray(F, y, yo + i + W), s1);
        }
        float[] lanes = s0.add(s1).toArray();
        float sum = 0;
        for (float lane : lanes) sum += lane;
        for (; i < n; i++) sum = Math.fma(x[xo + i], y[yo + i], sum);
        return sum;
    }
}
