package dev.gan4j.tensor;

/**
 * A seedable random number generator (SplitMix64). Its whole state is one {@code long}, so a training
 * checkpoint can save and restore it exactly: same seed, same numbers, on every run and machine.
 * Random tensors are drawn on the host and copied to their device, so they match across devices too;
 * {@link Tensor#random} draws on the device itself (Philox), from a key such a generator can supply.
 */
public final class Generator {

    private static final Generator DEFAULT = new Generator(0);

    private long state;

    public Generator(long seed) {
        this.state = seed;
    }

    /** The generator used when none is passed; reseed it with {@link #manualSeed(long)}. */
    public static Generator global() {
        return DEFAULT;
    }

    public static void manualSeed(long seed) {
        DEFAULT.setState(seed);
    }

    public synchronized long state() {
        return state;
    }

    public synchronized void setState(long state) {
        this.state = state;
    }

    public synchronized long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        return (int) ((nextLong() >>> 33) % bound);
    }

    /** Fills {@code out} with uniform values in [low, high). */
    public void fillUniform(double[] out, double low, double high) {
        // low + (high - low) * u can round up to high (e.g. [1, 2) with u = 1 - 2^-53).
        for (int i = 0; i < out.length; i++) {
            double v = low + (high - low) * nextDouble();
            out[i] = v >= high && high > low ? Math.nextDown(high) : v;
        }
    }

    /** Fills {@code out} with normal values (Box-Muller, both values of each pair used). */
    public void fillNormal(double[] out, double mean, double std) {
        for (int i = 0; i < out.length; i += 2) {
            double u1 = 1 - nextDouble(); // in (0, 1], so log() is finite
            double u2 = nextDouble();
            double radius = Math.sqrt(-2 * Math.log(u1));
            out[i] = mean + std * radius * Math.cos(2 * Math.PI * u2);
            if (i + 1 < out.length) out[i + 1] = mean + std * radius * Math.sin(2 * Math.PI * u2);
        }
    }

    /** A random permutation of {@code 0..n-1} (Fisher-Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
