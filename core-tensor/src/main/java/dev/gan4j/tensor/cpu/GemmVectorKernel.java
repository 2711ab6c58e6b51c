package dev.gan4j.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast micro-kernel on the incubating Vector API: a 6 x (3 vectors) block of C, i.e. 6 x 48
 * with AVX-512, held in 18 vector registers while the packed panels stream past.
 *
 * <p>The accumulators start from zero and are added into C only after the loop: loading C into
 * them first, or branching inside the loop, makes C2 emit code about half as fast. Only
 * {@link Gemm} may load this class, and only when the module is present.
 */
final class GemmVectorKernel implements GemmKernel {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final int MR = 6;
    private static final int NR = 3 * L;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void multiply(int kc, float[] a, int aOffset, float[] b, int bOffset,
                         float[] c, int cOffset, int ldc) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00;
        int ap = aOffset;
        int bp = bOffset;
        for (int p = 0; p < kc; p++, ap += MR, bp += NR) {
            FloatVector b0 = FloatVector.fromArray(F, b, bp);
            FloatVector b1 = FloatVector.fromArray(F, b, bp + L);
            FloatVector b2 = FloatVector.fromArray(F, b, bp + 2 * L);
            FloatVector av = FloatVector.broadcast(F, a[ap]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02);
            av = FloatVector.broadcast(F, a[ap + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12);
            av = FloatVector.broadcast(F, a[ap + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22);
            av = FloatVector.broadcast(F, a[ap + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31); c32 = av.fma(b2, c32);
            av = FloatVector.broadcast(F, a[ap + 4]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41); c42 = av.fma(b2, c42);
            av = FloatVector.broadcast(F, a[ap + 5]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51); c52 = av.fma(b2, c52);
        }
        storeRow(c00, c01, c02, c, cOffset);
        storeRow(c10, c11, c12, c, cOffset + ldc);
        storeRow(c20, c21, c22, c, cOffset + 2 * ldc);
        storeRow(c30, c31, c32, c, cOffset + 3 * ldc);
        storeRow(c40, c41, c42, c, cOffset + 4 * ldc);
        storeRow(c50, c51, c52, c, cOffset + 5 * ldc);
    }

    /**
     * An edge of at most one vector's columns (the last 16 of n = 1024 with AVX-512) takes a kernel one
     * vector wide, a third of the full kernel's multiply-adds; wider edges take the full kernel.
     */
    @Override
    public void multiplyEdge(int columns, int kc, float[] a, int aOffset, float[] b, int bOffset,
                             float[] c, int cOffset, int ldc) {
        if (columns > L) {
            multiply(kc, a, aOffset, b, bOffset, c, cOffset, ldc);
            return;
        }
        FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        int ap = aOffset;
        int bp = bOffset;
        for (int p = 0; p < kc; p++, ap += MR, bp += NR) {
            FloatVector b0 = FloatVector.fromArray(F, b, bp);
            c0 = FloatVector.broadcast(F, a[ap]).fma(b0, c0);
            c1 = FloatVector.broadcast(F, a[ap + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(F, a[ap + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(F, a[ap + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(F, a[ap + 4]).fma(b0, c4);
            c5 = FloatVector.broadcast(F, a[ap + 5]).fma(b0, c5);
        }
        c0.intoArray(c, cOffset);
        c1.intoArray(c, cOffset + ldc);
        c2.intoArray(c, cOffset + 2 * ldc);
        c3.intoArray(c, cOffset + 3 * ldc);
        c4.intoArray(c, cOffset + 4 * ldc);
        c5.intoArray(c, cOffset + 5 * ldc);
    }

    private static void storeRow(FloatVector v0, FloatVector v1, FloatVector v2, float[] c, int offset) {
        v0.intoArray(c, offset);
        v1.intoArray(c, offset + L);
        v2.intoArray(c, offset + 2 * L);
    }

    /** Kept apart from {@link #multiply}: inlining C's loads there overflows C2's node budget. */
    @Override
    public void addTile(float[] tile, float[] c, int cOffset, int ldc) {
        for (int r = 0; r < MR; r++) {
            int row = cOffset + r * ldc;
            for (int v = 0; v < NR; v += L) {
                FloatVector.fromArray(F, c, row + v).add(FloatVector.fromArray(F, tile, r * NR + v))
                        .intoArray(c, row + v);
            }
        }
    }
}
