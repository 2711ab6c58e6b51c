package dev.gan4j.tensor;

/**
 * Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011), the counter-based
 * generator of cuRAND and PyTorch's CUDA tensors: a 64-bit key and a 128-bit counter map to four 32-bit
 * words with no state in between, so any element of a draw can be computed on its own, by any thread, on
 * any device. Every backend's {@code fillRandom} follows the element rule of {@link #value}, and the CUDA
 * kernel is the same arithmetic, so the same key and counter give the same tensor on the CPU and the GPU.
 */
public final class Philox {

    /** What a draw's 32-bit words become. */
    public enum Distribution {
        /** {@code low + (high - low) * u}, u in [0, 1) with 24 random bits; never {@code high} after rounding to float. */
        UNIFORM,
        /** {@code mean + std * z}, z standard normal by Box-Muller on two words. */
        NORMAL
    }

    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final double TWO_TO_MINUS_32 = 0x1.0p-32;

    private Philox() {}

    /** The ten rounds on counter {@code c} (four words, word 0 first) under key {@code (k0, k1)}; returns the four outputs. */
    public static int[] block(int c0, int c1, int c2, int c3, int k0, int k1) {
        for (int round = 0; round < 10; round++) {
            if (round > 0) {
                k0 += W0;
                k1 += W1;
            }
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            c0 = n0;
            c1 = (int) p1;
            c2 = n2;
            c3 = (int) p0;
        }
        return new int[] {c0, c1, c2, c3};
    }

    /**
     * Element {@code i} of the draw {@code (key, counter)}: Philox block number {@code counter + i / 4} (the
     * counter's low words; the high two are 0) under the key's low and high halves, word {@code i % 4}; a
     * normal pairs words 0 with 1 and 2 with 3 (cosine for the even one, sine for the odd). Computed in
     * double, as the CUDA kernel does.
     */
    public static double value(Distribution distribution, long key, long counter, long i, double a, double b) {
        long blockIndex = counter + i / 4;
        int[] w = block((int) blockIndex, (int) (blockIndex >>> 32), 0, 0, (int) key, (int) (key >>> 32));
        int lane = (int) (i % 4);
        if (distribution == Distribution.UNIFORM) {
            double u = (w[lane] >>> 8) * 0x1.0p-24;
            return a + (b - a) * u;
        }
        int even = lane & ~1;
        double u1 = ((w[even] & 0xFFFFFFFFL) + 1.0) * TWO_TO_MINUS_32;   // (0, 1], so the log is finite
        double u2 = (w[even + 1] & 0xFFFFFFFFL) * TWO_TO_MINUS_32;
        double radius = Math.sqrt(-2.0 * StrictMath.log(u1));
        double angle = 2.0 * Math.PI * u2;
        return a + b * radius * (lane == even ? StrictMath.cos(angle) : StrictMath.sin(angle));
    }

    /** A uniform value as float: rounding may reach {@code high}, which is replaced by the float below it. */
    public static float uniformFloat(double value, double high) {
        float f = (float) value;
        return f >= (float) high ? Math.nextDown((float) high) : f;
    }
}
