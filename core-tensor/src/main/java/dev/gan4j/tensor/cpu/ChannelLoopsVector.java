package dev.gan4j.tensor.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ChannelLoops} with the Vector API: floats are loaded as half-width vectors and widened
 * lane for lane to full-width doubles (one {@code vcvtps2pd}), so that the sums accumulate in
 * double: two vector accumulators per sum within a plane, added into a lane array at the plane's
 * end (a vector carried across the plane loop, or merged after an {@code if}, is boxed by C2 in
 * JDK 17: 5-10x slower). The lanes are added up in index order, not with {@code reduceLanes},
 * whose order may differ between the interpreter and compiled code. Only touched when
 * {@link VectorSupport#PRESENT}.
 */
final class ChannelLoopsVector implements ChannelLoops {

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F =
            VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final int L = D.length();

    private static DoubleVector load(float[] a, int i) {
        return (DoubleVector) FloatVector.fromArray(F, a, i).convertShape(VectorOperators.F2D, D, 0);
    }

    private static void store(DoubleVector v, float[] a, int i) {
        ((FloatVector) v.convertShape(VectorOperators.D2F, F, 0)).intoArray(a, i);
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
            for (; i + 2 * L <= end; i += 2 * L) {
                s0 = s0.add(load(x, i));
                s1 = s1.add(load(x, i + L));
            }
            addTo(acc, s0.add(s1));
            if (i + L <= end) {
                addTo(acc, load(x, i));
                i += L;
            }
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
            for (; i + 2 * L <= end; i += 2 * L) {
                DoubleVector d0 = load(x, i).sub(mean), d1 = load(x, i + L).sub(mean);
                s0 = d0.fma(d0, s0);
                s1 = d1.fma(d1, s1);
            }
            addTo(acc, s0.add(s1));
            if (i + L <= end) {
                DoubleVector d = load(x, i).sub(mean);
                addTo(acc, d.mul(d));
                i += L;
            }
            for (; i < end; i++) {
                double d = x[i] - mean;
                tail = Math.fma(d, d, tail);
            }
        }
        return total(acc, tail);
    }

    @Override
    public void affine(float[] x, float[] y, int first, int step, int planes, int len, double scale, double shift) {
        DoubleVector vScale = DoubleVector.broadcast(D, scale), vShift = DoubleVector.broadcast(D, shift);
        for (int p = 0, o = first; p < planes; p++, o += step) {
            int i = o, end = o + len;
            for (; i + L <= end; i += L) store(load(x, i).fma(vScale, vShift), y, i);
            for (; i < end; i++) y[i] = (float) Math.fma(x[i], scale, shift);
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
            for (; i + 2 * L <= end; i += 2 * L) {
                DoubleVector a0 = load(gy, i), a1 = load(gy, i + L);
                g0 = g0.add(a0);
                g1 = g1.add(a1);
                h0 = a0.fma(load(x, i).sub(mean), h0);
                h1 = a1.fma(load(x, i + L).sub(mean), h1);
            }
            addTo(gAcc, g0.add(g1));
            addTo(hAcc, h0.add(h1));
            if (i + L <= end) {
                DoubleVector a = load(gy, i);
                addTo(gAcc, a);
                addTo(hAcc, a.mul(load(x, i).sub(mean)));
                i += L;
            }
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
        DoubleVector va = DoubleVector.broadcast(D, a), vb = DoubleVector.broadcast(D, b);
        DoubleVector vc = DoubleVector.broadcast(D, c);
        for (int p = 0, o = first; p < planes; p++, o += step) {
            int i = o, end = o + len;
            for (; i + L <= end; i += L) {
                store(load(gy, i).fma(va, load(x, i).sub(mean).fma(vb, vc)), gx, i);
            }
            for (; i < end; i++) gx[i] = (float) Math.fma(gy[i], a, Math.fma(x[i] - mean, b, c));
        }
    }
}
