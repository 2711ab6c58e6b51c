package dev.gan4j.tensor.cpu;

import dev.gan4j.tensor.backend.ConvGeometry;
import java.util.Arrays;

/**
 * Stride-1 float32 convolution with few output channels, computed directly instead of through
 * im2col and GEMM. With fewer output channels than the GEMM micro-kernel has rows, the GEMM cannot
 * fill its register tile, while im2col writes {@code kernelH * kernelW} copies of the input for
 * only {@code outChannels} multiply-adds per copy (a 16 -> 1 channel 3x3 layer: nine copies for one
 * multiply-add each).
 *
 * <p>The direct method works on one sample's input zero-padded into planes of {@code Hp x Wp}
 * ({@code Wp = inW + 2 padW}). Output pixel {@code (oh, ow)}, written at {@code oh * Wp + ow} of a
 * plane as wide as the padded input, reads tap {@code (kh, kw)} at
 * {@code (oh + kh*dilationH) * Wp + ow + kw*dilationW}: the same offset for every pixel. So each tap
 * is one long run: {@code y += w * x} shifted (an axpy) for the forward pass, {@code dot(gy, x)}
 * shifted for the weight gradient; the {@code Wp - outW} columns past each output row are computed
 * too and dropped (forward), or are zeros in gy (weight gradient: a NaN or infinity in x can then also
 * reach a tap that does not see it, as {@code 0 * inf}). The input gradient of a stride-1
 * convolution is the forward convolution of gy with the kernel flipped and channels swapped, padded
 * by {@code dilation * (kernel - 1) - pad}.
 */
final class DirectConv {

    /** The loops this JVM runs. */
    static final FloatRuns RUNS = FloatRuns.best();

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private DirectConv() {}

    /** Whether the direct method beats GEMM for this geometry: it applies, and there are fewer output channels than a GEMM tile's rows. */
    static boolean suits(ConvGeometry g) {
        return applies(g) && g.outChannels() < Gemm.KERNEL.mr();
    }

    /** Whether the direct method computes this geometry: stride 1, and no more padding than its flipped kernel has. */
    static boolean applies(ConvGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && flippedPad(g.kernelH(), g.padH(), g.dilationH()) >= 0
                && flippedPad(g.kernelW(), g.padW(), g.dilationW()) >= 0;
    }

    /** {@code y = conv2d(x, w)}, samples in parallel; overwrites y. */
    static void forward(FloatRuns runs, float[] x, float[] w, float[] y, ConvGeometry g) {
        Padded p = new Padded(g);
        Parallel.forRange(g.batch(), 1, (from, to) -> {
            Scratch scratch = SCRATCH.get();
            float[] xp = scratch.padded(p.planeSize() * g.inChannels());
            float[] yp = scratch.rows(p.runLength());
            for (int b = from; b < to; b++) {
                p.pad(x, b * g.inChannels() * g.inH() * g.inW(), g.inChannels(), xp);
                for (int o = 0; o < g.outChannels(); o++) {
                    Arrays.fill(yp, 0, p.runLength(), 0f);
                    for (int c = 0, t = o * p.taps(); c < g.inChannels(); c++) {
                        for (int k = 0; k < p.kernel(); k++, t++) {
                            runs.axpy(w[t], xp, c * p.planeSize() + p.shift(k), yp, 0, p.runLength());
                        }
                    }
                    p.dropPaddedColumns(yp, y, (b * g.outChannels() + o) * g.outH() * g.outW());
                }
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
     * The weight gradient, summed over the batch in {@link Conv2dKernels#sumInSlots slots} fixed by the
     * batch size, so that the bits do not depend on the thread count; overwrites gw.
     */
    static void backwardWeight(FloatRuns runs, float[] x, float[] gy, float[] gw, ConvGeometry g) {
        Padded p = new Padded(g);
        Conv2dKernels.sumInSlots(g.batch(), g.weightSize(), gw, (first, end, sum, at) -> {
            Scratch scratch = SCRATCH.get();
            float[] xp = scratch.padded(p.planeSize() * g.inChannels());
            float[] gp = scratch.rows(p.runLength());
            Arrays.fill(sum, at, at + g.weightSize(), 0f);
            for (int b = first; b < end; b++) {
                p.pad(x, b * g.inChannels() * g.inH() * g.inW(), g.inChannels(), xp);
                for (int o = 0; o < g.outChannels(); o++) {
                    p.widen(gy, (b * g.outChannels() + o) * g.outH() * g.outW(), gp);
                    for (int c = 0, t = at + o * p.taps(); c < g.inChannels(); c++) {
                        for (int k = 0; k < p.kernel(); k++, t++) {
                            sum[t] += runs.dot(gp, 0, xp, c * p.planeSize() + p.shift(k), p.runLength());
                        }
                    }
                }
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

    /** The padded planes of one geometry and the index work on them. */
    private static final class Padded {
        private final ConvGeometry g;
        private final int width;
        private final int height;
        private final int[] shifts;

        Padded(ConvGeometry g) {
            this.g = g;
            width = g.inW() + 2 * g.padW();
            height = g.inH() + 2 * g.padH();
            shifts = new int[g.kernelH() * g.kernelW()];
            for (int k = 0; k < shifts.length; k++) {
                shifts[k] = k / g.kernelW() * g.dilationH() * width + k % g.kernelW() * g.dilationW();
            }
        }

        int planeSize() { return height * width; }

        int kernel() { return shifts.length; }

        int taps() { return g.inChannels() * shifts.length; }

        /** Where tap {@code k} reads, relative to the output pixel's own index in a padded plane. */
        int shift(int k) { return shifts[k]; }

        /** One run covers the output rows at the padded width, up to the last row's last output pixel. */
        int runLength() { return (g.outH() - 1) * width + g.outW(); }

        /** Copies {@code channels} planes of x from {@code from} into {@code xp}, inside a border of zeros. */
        void pad(float[] x, int from, int channels, float[] xp) {
            Arrays.fill(xp, 0, channels * planeSize(), 0f);
            for (int c = 0; c < channels; c++) {
                for (int h = 0; h < g.inH(); h++) {
                    System.arraycopy(x, from + (c * g.inH() + h) * g.inW(), xp,
                            c * planeSize() + (h + g.padH()) * width + g.padW(), g.inW());
                }
            }
        }

        /** One output plane of {@code gy} from {@code from} at the padded width, zeros in the extra columns. */
        void widen(float[] gy, int from, float[] rows) {
            Arrays.fill(rows, 0, runLength(), 0f);
            for (int h = 0; h < g.outH(); h++) System.arraycopy(gy, from + h * g.outW(), rows, h * width, g.outW());
        }

        /** The inverse of {@link #widen}: the output plane at {@code to}, without the extra columns. */
        void dropPaddedColumns(float[] rows, float[] y, int to) {
            for (int h = 0; h < g.outH(); h++) System.arraycopy(rows, h * width, y, to + h * g.outW(), g.outW());
        }
    }

    /** Per-thread buffers, grown on demand. */
    private static final class Scratch {
        private float[] padded = new float[0];
        private float[] rows = new float[0];

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
