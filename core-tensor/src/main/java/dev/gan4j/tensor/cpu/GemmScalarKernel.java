package dev.gan4j.tensor.cpu;

import java.util.Arrays;

/**
 * The plain-Java micro-kernel, used when the JVM runs without {@code jdk.incubator.vector}.
 * It accumulates straight into C, which is simple but several times slower than
 * {@link GemmVectorKernel}.
 */
final class GemmScalarKernel implements GemmKernel {

    private static final int MR = 4;
    private static final int NR = 16;

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
        for (int r = 0; r < MR; r++) {
            Arrays.fill(c, cOffset + r * ldc, cOffset + r * ldc + NR, 0f);
        }
        for (int p = 0; p < kc; p++) {
            int bRow = bOffset + p * NR;
            for (int r = 0; r < MR; r++) {
                float av = a[aOffset + p * MR + r];
                int cRow = cOffset + r * ldc;
                for (int j = 0; j < NR; j++) {
                    c[cRow + j] += av * b[bRow + j];
                }
            }
        }
    }

    @Override
    public void addTile(float[] tile, float[] c, int cOffset, int ldc) {
        for (int r = 0; r < MR; r++) {
            for (int j = 0; j < NR; j++) c[cOffset + r * ldc + j] += tile[r * NR + j];
        }
    }
}
