package dev.gan4j.tensor.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ChannelLoops} with the Vector API. The sums accumulate in double: a full-width float vector is
 * loaded and its lower and upper halves widened lane for lane to two full-width double vectors
 * ({@code vcvtps2pd}); two vector accumulators per sum within a plane, added into a lane array at the
 * plane's end (a vector carried across the plane loop, or merged after an {@code if}, is boxed by C2 in
 * JDK 17: 5-10x slower). The lanes are added up in index order, not with {@code reduceLanes},
 * whose order may differ between the interpreter and compiled code. The element-wise passes (the affine
 * map and the input gradient) compute in float, one fused multiply-add per term, as PyTorch's do.
 * Only touched when {@link VectorSupport#PRESENT}.
 *
 * <p>The float species is the GEMM's, {@link FloatVector#SPECIES_PREFERRED}, never a half-width one:
 * with two float vector classes in use, the JDK's shared call sites (inside {@code FloatVector.fma},
 * say) see both in their type profiles, and a C2 compilation made after that cannot intrinsify the GEMM
 * micro-kernel's vector operations; it falls back to allocating Java code, 10-20x slower, for the rest of
 * the run. Whether that happened depended on which thread warmed up first.
 */
final class ChannelLoopsVector implements ChannelLoops {

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Doubles per double vector: half the floats of a float vector. */
    private static final int L = D.length();
    /** Floats per float vector, the step of every vector loop. */
    private static final int W = F.length();

    private static DoubleVector lower(FloatVector f) {
        return (DoubleVector) f.convertShape(VectorOperators.F2D, D, 0);
    }

    private static DoubleVector upper(FloatVector f) {
        return (DoubleVector) f.convertShape(VectorOperators.F2D, D, 1);
    }

    /** {@code acc[0..L) += v}. */
    private static void addTo(double[] acc, DoubleVector v) {
        DoubleVector.fromArray(D, acc, 0).add(v).intoArray(acc, 0);
    }

    /** The lanes of {@code acc} added in index order, then {@code tail}. */
    private static double total(double[] acc, double tail) {
        double s = 0;
        for (double lane : acc) s += lane;
        return s + tail;
    }

    @Override
    public double sum(float[] x, int first, int step, int planes, int len) {
        double[] acc = new double[L];
        double tail = 0;
        for (int p = 0, o = first; p < planes; p++, o += step) {
            int i = o, end = o + len;
            DoubleVector s0 = DoubleVector.zero(D), s1 = DoubleVector.zero(D);
            for (; i + W <= end; i += W) {
                FloatVector f = FloatVector.fromArray(F, x, i);
                s0 = s0.add(lower(f));
                s1 = s1.add(upper(f));
            }
            addTo(acc, s0.add(s1));
            for (; i < end; i++) tail += x[i];
        }
        return total(acc, tail);
    }

    @Override
    public double centredSquares(float[] x, int first, int step, int planes, int len, double mean) {
        double[] acc = new double[L];
        double tail = 0;
        for (int p = 0, o = first; p < planes; p++, o += step) {
            int i = o, end = o + len;
            DoubleVector s0 = DoubleVector.zero(D), s1 = DoubleVector.zero(D);
            for (; i + W <= end; i += W) {
                FloatVector f = FloatVector.fromArray(F, x, i);
                DoubleVector d0 = lower(f).sub(mean), d1 = upper(f).sub(mean);
                s0 = d0.fma(d0, s0);
                s1 = d1.fma(d1, s1);
            }
            addTo(acc, s0.add(s1));
            for (; i < end; i++) {
                double d = x[i] - mean;
                tail = Math.fma(d, d, tail);
            }
        }
        return total(acc, tail);
    }

    @Override
    public void affine(float[] x, float[] y, int first, int step, int planes, int len, double mean, double scale,
                       double shift) {
        float meanF = (float) mean, scaleF = (float) scale, shiftF = (float) shift;
        FloatVector vMean = FloatVector.broadcast(F, meanF), vScale = FloatVector.broadcast(F, scaleF);
        FloatVector vShift = FloatVector.broadcast(F, shiftF);
        for (int p = 0, o = first; p < planes; p++, o += step) {
            int i = o, end = o + len;
            for (; i + W <= end; i += W) {
                FloatVector.fromArray(F, x, i).sub(vMean).fma(vScale, vShift).intoArray(y, i);
            }
            for (; i < end; i++) y[i] = Math.fma(x[i] - meanF, scaleF, shiftF);
        }
    }

    @Override
    public void gradSums(float[] x, float[] gy, int first, int step, int planes, int len, double mean, double[] sums) {
        double[] gAcc = new double[L], hAcc = new double[L];
        double gTail = 0, hTail = 0;
        for (int p = 0, o = first; p < planes; p++, o += step) {
            int i = o, end = o + len;
            DoubleVector g0 = DoubleVector.zero(D), g1 = DoubleVector.zero(D);
            DoubleVector h0 = DoubleVector.zero(D), h1 = DoubleVector.zero(D);
            for (; i + W <= end; i += W) {
                FloatVector g = FloatVector.fromArray(F, gy, i), f = FloatVector.fromArray(F, x, i);
                DoubleVector a0 = lower(g), a1 = upper(g);
                g0 = g0.add(a0);
                g1 = g1.add(a1);
                h0 = a0.fma(lower(f).sub(mean), h0);
                h1 = a1.fma(upper(f).sub(mean), h1);
            }
            addTo(gAcc, g0.add(g1));
            addTo(hAcc, h0.add(h1));
            for (; i < end; i++) {
                gTail += gy[i];
                hTail = Math.fma(gy[i], x[i] - mean, hTail);
            }
        }
        sums[0] = total(gAcc, gTail);
        sums[1] = total(hAcc, hTail);
    }

    @Override
    public void gradInput(float[] x, float[] gy, float[] gx, int first, int step, int planes, int len,
                          double mean, double a, double b, double c) {
        float meanF = (float) mean, aF = (float) a, bF = (float) b, cF = (float) c;
        FloatVector va = FloatVector.broadcast(F, aF), vb = FloatVector.broadcast(F, bF);
        FloatVector vc = FloatVector.broadcast(F, cF), vMean = FloatVector.broadcast(F, meanF);
        for (int p = 0, o = first; p < planes; p++, o += step) {
            int i = o, end = o + len;
            for (; i + W <= end; i += W) {
                FloatVector centred = FloatVector.fromArray(F, x, i).sub(vMean);
                FloatVector.fromArray(F, gy, i).fma(va, centred.fma(vb, vc)).intoArray(gx, i);
            }
            for (; i < end; i++) gx[i] = Math.fma(gy[i], aF, Math.fma(x[i] - meanF, bF, cF));
        }
    }
}
