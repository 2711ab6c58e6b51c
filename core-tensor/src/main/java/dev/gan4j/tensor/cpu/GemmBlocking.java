package dev.gan4j.tensor.cpu;

import java.util.Locale;

/**
 * GEMM block sizes (see {@link Gemm}), chosen at start-up from the machine's caches and the
 * micro-kernel's shape instead of constants tuned on one CPU:
 * <ul>
 * <li>{@code kc}, the steps of the shared dimension per slice: a {@code kc x nr} B micro-panel fills at
 *     most four times the L1d, so it streams from L2. Every extra slice reads C back from memory once
 *     more, which costs more than L1 misses on B: on a 48 KiB-L1d machine, panels of 1024 steps ran
 *     n = 1024 products 3% faster than 512 (twice L1) and no convolution slower; smaller ones were slower still.</li>
 * <li>{@code mc}, rows of A packed at a time: the {@code mc x kc} packed block takes a quarter of L2,
 *     leaving room for B's panels and C.</li>
 * <li>{@code nc}, most columns of C per part: the {@code kc x nc} packed B block takes half of this core's
 *     share of L3 (L2 when there is none).</li>
 * </ul>
 * Each is clamped to the range below and rounded to the micro-tile, so every choice stays legal.
 */
record GemmBlocking(int kc, int mc, int nc) {

    static final int MIN_KC = 64, MAX_KC = 1024;
    static final int MAX_MC = 1024;
    static final int MAX_NC = 4096;

    GemmBlocking {
        if (kc < 1 || mc < 1 || nc < 1) throw new IllegalArgumentException("gemm blocking must be positive: " + this);
    }

    static GemmBlocking derive(CacheSizes caches, int mr, int nr) {
        int kc = clamp(roundDown(caches.l1d() * 4 / ((long) nr * Float.BYTES), 8), MIN_KC, MAX_KC);
        int mc = clamp(roundDown(caches.l2() / 4 / ((long) kc * Float.BYTES), mr), mr, roundDown(MAX_MC, mr));
        long bBlockBytes = (caches.l3Share() > 0 ? caches.l3Share() : caches.l2()) / 2;
        int nc = clamp(roundDown(bBlockBytes / ((long) kc * Float.BYTES), nr), nr, roundDown(MAX_NC, nr));
        return new GemmBlocking(kc, mc, nc);
    }

    private static int roundDown(long value, int multiple) {
        return (int) Math.min(Integer.MAX_VALUE, value / multiple * multiple);
    }

    private static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "kc %d, mc %d, nc %d", kc, mc, nc);
    }
}
