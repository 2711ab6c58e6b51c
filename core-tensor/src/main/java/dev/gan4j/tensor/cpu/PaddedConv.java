package dev.gan4j.tensor.cpu;

import dev.gan4j.tensor.backend.ConvGeometry;
import java.util.Arrays;

/**
 * Stride-1 float32 convolution computed on zero-padded input planes instead of an im2col matrix.
 *
 * <p>Each sample's input is copied once, inside a border of zeros, into planes of {@code Hp x Wp}
 * ({@code Wp = inW + 2 padW}). Output pixel {@code (oh, ow)}, written at {@code oh * Wp + ow} of a
 * plane as wide as the padded input, reads tap {@code (kh, kw)} at
 * {@code (oh + kh*dilationH) * Wp + ow + kw*dilationW}: the same offset for every pixel. So row
 * {@code (c, kh, kw)} of the column matrix is a run of the padded plane c, shifted by the tap's
 * offset, and needs no copy of its own: the GEMMs pack their panels straight from the planes
 * ({@link ShiftedPanels} for the forward pass, {@link ShiftedColumns} for the weight gradient). The
 * {@code Wp - outW} columns past each output row are computed too and dropped (forward), or are zeros
 * in gy (weight gradient: a NaN or infinity in x can then also reach a tap that does not see it, as
 * {@code 0 * inf}). Samples of a group sit plane after plane, so one run covers them all.
 *
 * <p>Layers with fewer output channels than the GEMM micro-kernel has rows leave most of its
 * register tile empty; for them each tap is one long run of {@link FloatRuns}: {@code y += w * x}
 * shifted (an axpy) for the forward pass, {@code dot(gy, x)} shifted for the weight gradient.
 *
 * <p>The input gradient of a stride-1 convolution is the forward convolution of gy with the kernel
 * flipped and channels swapped, padded by {@code dilation * (kernel - 1) - pad}.
 */
final class PaddedConv {

    /** The loops this JVM runs. */
    static final FloatRuns RUNS = FloatRuns.best();

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private PaddedConv() {}

    /** Whether this method computes the geometry: stride 1, and no more padding than its flipped kernel has. */
    static boolean applies(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && flippedPad(g.kernelH(), g.padH(), g.dilationH()) >= 0
                && flippedPad(g.kernelW(), g.padW(), g.dilationW()) >= 0;
    }

    /** Fewer output channels than a GEMM tile's rows: {@link FloatRuns} loops instead of a GEMM. */
    static boolean fewChannels(ConvGeometry g) {
        return g.outChannels() < Gemm.KERNEL.mr();
    }

    /**
     * Whether to take the input gradient too. Its flipped convolution has {@code inChannels} outputs;
     * with fewer than a GEMM tile's rows, the GEMM of im2col's transpose ({@code M = inChannels * kernel}
     * taps, {@code K = outChannels}) and col2im do better than {@link FloatRuns} loops.
     */
    static boolean takesInputGradient(ConvGeometry g) {
        return applies(g) && g.inChannels() >= Gemm.KERNEL.mr();
    }

    /** {@code y = conv2d(x, w)}, groups of samples in parallel; overwrites y. */
    static void forward(FloatRuns runs, float[] x, float[] w, float[] y, ConvGeometry g) {
        Planes p = new Planes(g);
        Gemm.PackedA weights = fewChannels(g) ? null : Gemm.pack(false, g.outChannels(), p.taps(), w, 0, p.taps());
        Parallel.forRange(p.groups(), 1, (from, to) -> {
            Scratch scratch = SCRATCH.get();
            boolean whole = from == 0 && to == p.groups();
            float[] xp = scratch.padded(p.groupSize() * g.inChannels());
            float[] out = scratch.rows(g.outChannels() * p.runLength());
            for (int group = from; group < to; group++) {
                int b0 = p.groupStart(group), s = p.groupStart(group + 1) - b0;
                p.pad(x, b0, s, g.inChannels(), xp);
                int n = p.runLength(s);
                if (fewChannels(g)) {
                    Arrays.fill(out, 0, g.outChannels() * n, 0f);
                    for (int o = 0, t = 0; o < g.outChannels(); o++) {
                        for (int c = 0; c < g.inChannels(); c++) {
                            for (int k = 0; k < p.kernel(); k++, t++) {
                                runs.axpy(w[t], xp, c * p.groupSize() + p.shift(k), out, o * n, n);
                            }
                        }
                    }
                } else {
                    Gemm.sgemm(whole, weights, n, new ShiftedPanels(p, xp), out, 0, n, false);
                }
                p.dropPaddedColumns(out, n, y, b0, s);
            }
        });
    }

    /** The input gradient: the forward convolution of gy by the flipped, transposed kernel; overwrites gx. */
    static void backwardInput(FloatRuns runs, float[] gy, float[] w, float[] gx, ConvGeometry g) {
        ConvGeometry flipped = new ConvGeometry(g.batch(), g.outChannels(), g.outH(), g.outW(), g.inChannels(),
                g.kernelH(), g.kernelW(), 1, 1, flippedPad(g.kernelH(), g.padH(), g.dilationH()),
                flippedPad(g.kernelW(), g.padW(), g.dilationW()), g.dilationH(), g.dilationW(), g.inH(), g.inW());
        forward(runs, gy, flippedKernel(w, g), gx, flipped);
    }

    /**
     * The weight gradient, {@code gw [outChannels x taps] = gy B^T} with gy widened to runs and
     * {@code B [taps x n]} the column matrix of the padded planes, summed over groups of samples in
     * {@link Conv2dKernels#sumInSlots slots} fixed by the geometry, so that the bits do not depend on the
     * thread count; overwrites gw.
     */
    static void backwardWeight(FloatRuns runs, float[] x, float[] gy, float[] gw, ConvGeometry g) {
        if (fewChannels(g)) {
            backwardWeightByDots(runs, x, gy, gw, g);
            return;
        }
        Planes p = new Planes(g);
        boolean alone = p.groups() == 1;
        Conv2dKernels.sumInSlots(p.groups(), g.weightSize(), gw, (first, end, sum, at) -> {
            Scratch scratch = SCRATCH.get();
            float[] xp = scratch.padded(p.groupSize() * g.inChannels());
            float[] grads = scratch.rows(g.outChannels() * p.runLength());
            for (int group = first; group < end; group++) {
                int b0 = p.groupStart(group), s = p.groupStart(group + 1) - b0;
                int n = p.runLength(s);
                p.pad(x, b0, s, g.inChannels(), xp);
                for (int o = 0; o < g.outChannels(); o++) p.widen(gy, o, b0, s, grads, o * n);
                Gemm.sgemm(alone, false, g.outChannels(), p.taps(), n, grads, 0, n, new ShiftedColumns(p, xp),
                        sum, at, p.taps(), group > first);
            }
        });
    }

    /**
     * The weight gradient of a layer with {@link #fewChannels}: one dot product per tap, kept as
     * {@link FloatRuns#lanes} partial sums over the groups of a slot and added up at its end.
     */
    private static void backwardWeightByDots(FloatRuns runs, float[] x, float[] gy, float[] gw, ConvGeometry g) {
        Planes p = new Planes(g);
        int lanes = runs.lanes();
        Conv2dKernels.sumInSlots(p.groups(), g.weightSize(), gw, (first, end, sum, at) -> {
            Scratch scratch = SCRATCH.get();
            float[] xp = scratch.padded(p.groupSize() * g.inChannels());
            float[] gp = scratch.rows(p.runLength());
            float[] partial = scratch.partialSums(g.weightSize() * lanes);
            Arrays.fill(partial, 0, g.weightSize() * lanes, 0f);
            for (int group = first; group < end; group++) {
                int b0 = p.groupStart(group), s = p.groupStart(group + 1) - b0;
                int n = p.runLength(s);
                p.pad(x, b0, s, g.inChannels(), xp);
                for (int o = 0, t = 0; o < g.outChannels(); o++) {
                    p.widen(gy, o, b0, s, gp, 0);
                    for (int c = 0; c < g.inChannels(); c++) {
                        for (int k = 0; k < p.kernel(); k++, t++) {
                            runs.dotInto(gp, 0, xp, c * p.groupSize() + p.shift(k), n, partial, t * lanes);
                        }
                    }
                }
            }
            for (int t = 0; t < g.weightSize(); t++) {
                float total = 0;
                for (int j = 0; j < lanes; j++) total += partial[t * lanes + j];
                sum[at + t] = total;
            }
        });
    }

    /** The padding of the flipped kernel that turns the input gradient into a forward convolution. */
    private static int flippedPad(int kernel, int pad, int dilation) {
        return dilation * (kernel - 1) - pad;
    }

    /** {@code w [out, in, kh, kw]} as {@code [in, out, kernelH-1-kh, kernelW-1-kw]}. */
    private static float[] flippedKernel(float[] w, ConvGeometry g) {
        int kernel = g.kernelH() * g.kernelW();
        float[] flipped = new float[g.weightSize()];
        for (int o = 0; o < g.outChannels(); o++) {
            for (int c = 0; c < g.inChannels(); c++) {
                for (int k = 0; k < kernel; k++) {
                    flipped[(c * g.outChannels() + o) * kernel + kernel - 1 - k] = w[(o * g.inChannels() + c) * kernel + k];
                }
            }
        }
        return flipped;
    }

    /**
     * The padded planes of one geometry, and the index work on them. Samples go in groups of a size
     * fixed by the geometry (about {@link Conv2dKernels#GROUP_PIXELS} padded pixels): channel c of a
     * group's i-th sample is padded plane {@code c * perGroup + i} (a last, smaller group leaves some unused).
     */
    private static final class Planes {
        private final ConvGeometry g;
        private final int width;
        private final int plane;
        private final int perGroup;
        private final int[] shifts;

        Planes(ConvGeometry g) {
            this.g = g;
            width = g.inW() + 2 * g.padW();
            plane = (g.inH() + 2 * g.padH()) * width;
            perGroup = Math.max(1, Math.min(g.batch(), Conv2dKernels.GROUP_PIXELS / plane));
            shifts = new int[g.kernelH() * g.kernelW()];
            for (int k = 0; k < shifts.length; k++) {
                shifts[k] = k / g.kernelW() * g.dilationH() * width + k % g.kernelW() * g.dilationW();
            }
        }

        int groups() { return (g.batch() + perGroup - 1) / perGroup; }

        /** First sample of a group; {@code groupStart(groups())} is the batch size. */
        int groupStart(int group) { return Math.min(g.batch(), group * perGroup); }

        /** Floats of one channel's planes in a whole group. */
        int groupSize() { return perGroup * plane; }

        int kernel() { return shifts.length; }

        /** Rows of the column matrix: one per tap (c, kh, kw). */
        int taps() { return g.inChannels() * shifts.length; }

        /** Where tap {@code k} reads, relative to the output pixel's own index in a padded plane. */
        int shift(int k) { return shifts[k]; }

        /** A run over {@code s} samples: their planes, up to the last sample's last output pixel. */
        int runLength(int s) { return (s - 1) * plane + (g.outH() - 1) * width + g.outW(); }

        /** The longest run, a whole group's. */
        int runLength() { return runLength(perGroup); }

        /**
         * Copies samples {@code [b0, b0 + s)} of x ({@code channels} each) into {@code xp}, inside borders
         * of zeros, with subnormal values zero: the GEMM panels packed from xp then need no flush of
         * their own (a pass over every tap's copy, a fifth of a forward pass with 3x3 kernels).
         */
        void pad(float[] x, int b0, int s, int channels, float[] xp) {
            Arrays.fill(xp, 0, channels * groupSize(), 0f);
            for (int i = 0; i < s; i++) {
                for (int c = 0; c < channels; c++) {
                    int from = ((b0 + i) * channels + c) * g.inH() * g.inW();
                    int to = (c * perGroup + i) * plane + g.padH() * width + g.padW();
                    for (int h = 0; h < g.inH(); h++) System.arraycopy(x, from + h * g.inW(), xp, to + h * width, g.inW());
                }
            }
            Gemm.flushSubnormals(xp, 0, channels * groupSize());
        }

        /** Output channel o of samples {@code [b0, b0 + s)} of gy as a run from {@code at}: zeros off the outputs. */
        void widen(float[] gy, int o, int b0, int s, float[] run, int at) {
            Arrays.fill(run, at, at + runLength(s), 0f);
            for (int i = 0; i < s; i++) {
                int from = ((b0 + i) * g.outChannels() + o) * g.outH() * g.outW();
                for (int h = 0; h < g.outH(); h++) {
                    System.arraycopy(gy, from + h * g.outW(), run, at + i * plane + h * width, g.outW());
                }
            }
        }

        /** Copies the outputs of runs {@code out [outChannels x n]} (samples {@code [b0, b0 + s)}) into y. */
        void dropPaddedColumns(float[] out, int n, float[] y, int b0, int s) {
            for (int o = 0; o < g.outChannels(); o++) {
                for (int i = 0; i < s; i++) {
                    int to = ((b0 + i) * g.outChannels() + o) * g.outH() * g.outW();
                    for (int h = 0; h < g.outH(); h++) {
                        System.arraycopy(out, o * n + i * plane + h * width, y, to + h * g.outW(), g.outW());
                    }
                }
            }
        }
    }

    /**
     * The column matrix of one group, {@code [taps x n]}, as GEMM's B: row {@code (c, k)} is the run of
     * padded planes {@code xp} (flushed by {@link Planes#pad}) of channel c shifted by tap k, so a panel
     * row is one contiguous copy.
     */
    private record ShiftedPanels(Planes p, float[] xp) implements Gemm.PanelSource {

        @Override
        public void pack(int entry, int p0, int kc, int j0, int cols, int nr, float[] packed) {
            for (int q = 0, o = 0; q < cols; q += nr, o += nr * kc) {
                int w = Math.min(nr, cols - q);
                if (w < nr) Arrays.fill(packed, o, o + nr * kc, 0f);
                for (int row = p0; row < p0 + kc; row++) {
                    int c = row / p.kernel(), k = row - c * p.kernel();
                    System.arraycopy(xp, c * p.groupSize() + p.shift(k) + j0 + q, packed, o + (row - p0) * nr, w);
                }
            }
        }
    }

    /**
     * The transposed column matrix of one group, {@code [n x taps]}, as GEMM's B for the weight gradient:
     * column {@code (c, k)} is the run of padded planes {@code xp} (flushed by {@link Planes#pad}) of
     * channel c shifted by tap k.
     */
    private record ShiftedColumns(Planes p, float[] xp) implements Gemm.PanelSource {

        @Override
        public void pack(int entry, int p0, int kc, int j0, int cols, int nr, float[] packed) {
            for (int q = 0, o = 0; q < cols; q += nr, o += nr * kc) {
                int w = Math.min(nr, cols - q);
                if (w < nr) Arrays.fill(packed, o, o + nr * kc, 0f);
                for (int j = 0; j < w; j++) {
                    int tap = j0 + q + j, c = tap / p.kernel();
                    int from = c * p.groupSize() + p.shift(tap - c * p.kernel()) + p0;
                    for (int i = 0; i < kc; i++) packed[o + i * nr + j] = xp[from + i];
                }
            }
        }
    }

    /** Per-thread buffers, grown on demand. */
    private static final class Scratch {
        private float[] padded = new float[0];
        private float[] rows = new float[0];
        private float[] partialSums = new float[0];

        float[] partialSums(int size) {
            if (partialSums.length < size) partialSums = new float[size];
            return partialSums;
        }

        float[] padded(int size) {
            if (padded.length < size) padded = new float[size];
            return padded;
        }

        float[] rows(int size) {
            if (rows.length < size) rows = new float[size];
            return rows;
        }
    }
}
