package dev.gan4j.tensor.cpu;

import dev.gan4j.tensor.backend.ConvGeometry;
import java.util.Arrays;

/**
 * 2-D convolution (NCHW, no groups) lowered to GEMM through im2col / col2im.
 *
 * <p>For one sample, the column matrix {@code cols [K x P]} has a row per weight tap
 * {@code (c, kh, kw)} ({@code K = inChannels * kernelH * kernelW}) and a column per output pixel
 * ({@code P = outH * outW}); entry {@code (row, pixel)} is the input value that tap sees from that
 * pixel, or 0 in the padding. Then, with the weights as {@code W [outChannels x K]}:
 * <pre>
 *   forward:        y  = W   cols
 *   backwardInput:  gx = col2im(W^T gy)        (col2im adds every entry back where im2col read it)
 *   backwardWeight: gw = sum over samples of gy cols^T
 * </pre>
 *
 * <p>float32 works on groups of samples whose columns sit side by side ({@code cols [K x s*P]}),
 * so that a layer with few output pixels still makes one wide GEMM, and threads take whole
 * groups, each with its own scratch buffers and a serial GEMM. When everything is a single group
 * (a small batch), that GEMM is the one that runs in parallel instead. The weight gradient packs
 * the transposed column matrix from x straight into the GEMM's B panels ({@link ColumnPanels})
 * without storing it, unless im2col gathers its rows by vectors (below): then it is stored first. Stride-1 layers skip im2col and col2im: their forward pass and weight
 * gradient, and their input gradient unless they have very few input channels, work on zero-padded
 * input planes instead ({@link PaddedConv}); a 1x1, stride-1, unpadded convolution's input gradient
 * is written straight into gx. Stride-2 layers (the DCGANs') gather and scatter their im2col / col2im
 * rows a vector at a time ({@link FloatRuns#gatherEven}, {@link FloatRuns#scatterAddEven}): plain loops
 * over short strided runs took a third of such a pass. float64 serves gradient checks: one sample at a
 * time, plainly.
 */
public final class Conv2dKernels {

    /** Output pixels worth one GEMM: narrower layers put several samples side by side. */
    static final int GROUP_PIXELS = 256;
    /** Most partial sums of a weight gradient: its threads' share of work, fixed for reproducibility. */
    private static final int WEIGHT_SLOTS = 8;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private Conv2dKernels() {}

    /** {@code y = conv2d(x, w)}; overwrites y. */
    public static void forward(float[] x, float[] w, float[] y, ConvGeometry g) {
        checkLengths(x.length, w.length, y.length, g);
        Layout l = new Layout(g);
        if (l.dense) {
            // y [batch x outC] = x [batch x taps] W^T
            Gemm.sgemm(true, false, true, g.batch(), g.outChannels(), l.taps, x, 0, l.taps,
                    w, 0, l.taps, y, 0, g.outChannels(), false);
            return;
        }
        if (PaddedConv.applies(g)) {
            PaddedConv.forward(PaddedConv.RUNS, x, w, y, g);
            return;
        }
        Gemm.PackedA weights = Gemm.pack(false, g.outChannels(), l.taps, w, 0, l.taps);
        forEachGroup(l, (b0, s, parallel) -> {
            Scratch scratch = SCRATCH.get();
            int n = s * l.pixels;
            float[] cols = l.columnsOf(x, b0, s, scratch);
            int ld = l.columnsLd(n);
            if (s == 1) {
                Gemm.sgemm(parallel, weights, false, n, cols, 0, ld, y, b0 * l.outSample, n, false);
            } else {
                float[] out = scratch.outputs(g.outChannels() * n);
                Gemm.sgemm(parallel, weights, false, n, cols, 0, ld, out, 0, n, false);
                l.scatterOutputs(out, y, b0, s);
            }
        });
    }

    /** {@code gx =} the gradient of conv2d with respect to its input ({@code conv_transpose2d(gy, w)}); overwrites gx. */
    public static void backwardInput(float[] gy, float[] w, float[] gx, ConvGeometry g) {
        checkLengths(gx.length, w.length, gy.length, g);
        Layout l = new Layout(g);
        if (l.dense) {
            // gx [batch x taps] = gy [batch x outC] W
            Gemm.sgemm(true, false, false, g.batch(), l.taps, g.outChannels(), gy, 0, g.outChannels(),
                    w, 0, l.taps, gx, 0, l.taps, false);
            return;
        }
        if (PaddedConv.takesInputGradient(g)) {
            PaddedConv.backwardInput(PaddedConv.RUNS, gy, w, gx, g);
            return;
        }
        Gemm.PackedA weightsT = Gemm.pack(true, l.taps, g.outChannels(), w, 0, l.taps);
        forEachGroup(l, (b0, s, parallel) -> {
            Scratch scratch = SCRATCH.get();
            int n = s * l.pixels;
            float[] grads = s == 1 ? gy : l.gatherOutputs(gy, b0, s, scratch);
            int gradsOffset = s == 1 ? b0 * l.outSample : 0;
            if (s == 1 && l.pointwise) {
                Gemm.sgemm(parallel, weightsT, false, n, grads, gradsOffset, n, gx, b0 * l.inSample, n, false);
                return;
            }
            float[] cols = scratch.columns(l.taps * n);
            Gemm.sgemm(parallel, weightsT, false, n, grads, gradsOffset, n, cols, 0, n, false);
            for (int i = 0; i < s; i++) {
                l.col2im(cols, i * l.pixels, n, gx, (b0 + i) * l.inSample);
            }
        });
    }

    /**
     * {@code gw =} the gradient of conv2d with respect to its weight; overwrites gw.
     *
     * <p>The sum over the batch is cut the same way whatever the thread count, so the result is
     * bitwise reproducible: groups of samples that depend only on the geometry, gathered into at
     * most {@link #WEIGHT_SLOTS} slots; each slot sums its groups in order into its own buffer, and
     * the slots are added into gw in slot order. Threads take whole slots; a single slot (a small
     * batch) runs its GEMMs in parallel instead, which does not change their arithmetic.
     */
    public static void backwardWeight(float[] x, float[] gy, float[] gw, ConvGeometry g) {
        checkLengths(x.length, gw.length, gy.length, g);
        Layout l = new Layout(g, false);
        int size = g.weightSize();
        if (l.dense) {
            // gw [outC x taps] = gy^T [outC x batch] x [batch x taps]: one product, K = batch not split.
            Gemm.sgemm(true, true, false, g.outChannels(), l.taps, g.batch(), gy, 0, g.outChannels(),
                    x, 0, l.taps, gw, 0, l.taps, false);
            return;
        }
        if (PaddedConv.applies(g)) {
            PaddedConv.backwardWeight(PaddedConv.RUNS, x, gy, gw, g);
            return;
        }
        boolean alone = Math.min(l.groups, WEIGHT_SLOTS) == 1;
        sumInSlots(l.groups, size, gw, (first, end, sum, sumOffset) -> {
            Scratch scratch = SCRATCH.get();
            for (int group = first; group < end; group++) {
                int b0 = l.groupStart(group), s = l.groupStart(group + 1) - b0;
                int n = s * l.pixels;
                float[] grads = s == 1 ? gy : l.gatherOutputs(gy, b0, s, scratch);
                int gradsOffset = s == 1 ? b0 * l.outSample : 0;
                if (l.stridedByVectors()) {
                    // im2col's vector gather, then the transposing pack, beat packing from x (3-12%).
                    float[] cols = l.columnsOf(x, b0, s, scratch);
                    Gemm.sgemm(alone, false, true, g.outChannels(), l.taps, n, grads, gradsOffset, n,
                            cols, 0, l.columnsLd(n), sum, sumOffset, l.taps, group > first);
                } else {
                    Gemm.sgemm(alone, false, g.outChannels(), l.taps, n, grads, gradsOffset, n,
                            new ColumnPanels(l, x, b0), sum, sumOffset, l.taps, group > first);
                }
            }
        });
    }

    /** Sets {@code sum[at, at + size)} to the sum over items {@code [first, end)} of a batch. */
    @FunctionalInterface
    interface SlotBody {
        void run(int first, int end, float[] sum, int at);
    }

    /**
     * Sets {@code out[0, size)} to a sum over {@code items} (sample groups of a batch) cut the same way
     * whatever the thread count, so that the bits are reproducible: at most {@link #WEIGHT_SLOTS} slots of
     * consecutive items, each summed by {@code body} into its own buffer, then added into out in slot
     * order. Threads take whole slots; a single slot (a small batch) may parallelise inside instead.
     */
    static void sumInSlots(int items, int size, float[] out, SlotBody body) {
        if (items == 0) {
            Arrays.fill(out, 0, size, 0f);
            return;
        }
        int slots = Math.min(items, WEIGHT_SLOTS);
        // Slot 0 sums straight into out, the others into the caller's scratch (written by the workers).
        float[] partials = slots > 1 ? SCRATCH.get().partialSums((slots - 1) * size) : null;
        Parallel.forRange(slots, 1, (from, to) -> {
            for (int slot = from; slot < to; slot++) {
                int first = (int) ((long) slot * items / slots), end = (int) ((long) (slot + 1) * items / slots);
                if (slot == 0) body.run(first, end, out, 0);
                else body.run(first, end, partials, (slot - 1) * size);
            }
        });
        if (slots > 1) {
            Parallel.forRange(size, 1 << 14, (from, to) -> {
                for (int slot = 1; slot < slots; slot++) {
                    int o = (slot - 1) * size;
                    for (int i = from; i < to; i++) out[i] += partials[o + i];
                }
            });
        }
    }

    /** {@code y = conv2d(x, w)} in float64; overwrites y. */
    public static void forward(double[] x, double[] w, double[] y, ConvGeometry g) {
        checkLengths(x.length, w.length, y.length, g);
        Layout l = new Layout(g);
        double[] cols = new double[l.taps * l.pixels];
        for (int b = 0; b < g.batch(); b++) {
            l.im2col(x, b * l.inSample, cols);
            Gemm.dgemm(false, false, g.outChannels(), l.pixels, l.taps, w, 0, l.taps,
                    cols, 0, l.pixels, y, b * l.outSample, l.pixels, false);
        }
    }

    /** The input gradient of conv2d in float64; overwrites gx. */
    public static void backwardInput(double[] gy, double[] w, double[] gx, ConvGeometry g) {
        checkLengths(gx.length, w.length, gy.length, g);
        Layout l = new Layout(g);
        double[] cols = new double[l.taps * l.pixels];
        for (int b = 0; b < g.batch(); b++) {
            Gemm.dgemm(true, false, l.taps, l.pixels, g.outChannels(), w, 0, l.taps,
                    gy, b * l.outSample, l.pixels, cols, 0, l.pixels, false);
            l.col2im(cols, gx, b * l.inSample);
        }
    }

    /** The weight gradient of conv2d in float64; overwrites gw. */
    public static void backwardWeight(double[] x, double[] gy, double[] gw, ConvGeometry g) {
        checkLengths(x.length, gw.length, gy.length, g);
        Layout l = new Layout(g);
        Arrays.fill(gw, 0, g.weightSize(), 0.0);
        double[] cols = new double[l.taps * l.pixels];
        for (int b = 0; b < g.batch(); b++) {
            l.im2col(x, b * l.inSample, cols);
            Gemm.dgemm(false, true, g.outChannels(), l.taps, l.pixels, gy, b * l.outSample, l.pixels,
                    cols, 0, l.pixels, gw, 0, l.taps, true);
        }
    }

    /** Work on samples {@code [b0, b0 + s)}; {@code parallel} says whether its GEMMs may use the pool. */
    @FunctionalInterface
    private interface GroupBody {
        void run(int b0, int s, boolean parallel);
    }

    /**
     * Runs {@code body} on every group, the groups shared among threads. Only a chunk that holds
     * every group runs alone, so only then may the GEMMs inside go parallel themselves.
     */
    private static void forEachGroup(Layout l, GroupBody body) {
        Parallel.forRange(l.groups, 1, (from, to) -> {
            boolean whole = from == 0 && to == l.groups;
            for (int group = from; group < to; group++) {
                int b0 = l.groupStart(group);
                body.run(b0, l.groupStart(group + 1) - b0, whole);
            }
        });
    }

    private static void checkLengths(int inputLength, int weightLength, int outputLength, ConvGeometry g) {
        if (inputLength < g.inputSize() || weightLength < g.weightSize() || outputLength < g.outputSize()) {
            throw new IllegalArgumentException("conv2d: arrays of length input=" + inputLength
                    + " weight=" + weightLength + " output=" + outputLength + " are too short for " + g);
        }
    }

    /** Sizes derived from the geometry, the sample groups, and the index work of im2col / col2im. */
    private static final class Layout {
        final ConvGeometry g;
        /** Rows of the column matrix: one per weight tap (c, kh, kw). */
        final int taps;
        /** Columns of the column matrix per sample: one per output pixel. */
        final int pixels;
        final int inSample;
        final int outSample;
        /** A 1x1, stride-1, unpadded convolution: its input gradient already is the column matrix. */
        final boolean pointwise;
        /**
         * The kernel covers the whole unpadded input and makes one output pixel: a fully connected
         * layer, whose column matrix for the batch is x itself, read as {@code [batch x taps]}.
         */
        final boolean dense;
        /** Groups the batch is cut into. */
        final int groups;
        /** See {@link #taps()}; made on first use (a race only makes it twice). */
        private volatile int[] tapBounds;

        Layout(ConvGeometry g) {
            this(g, true);
        }

        /** {@code balanced}: make the group count a multiple of the thread count when the batch allows. */
        Layout(ConvGeometry g, boolean balanced) {
            this.g = g;
            taps = g.inChannels() * g.kernelH() * g.kernelW();
            pixels = g.outH() * g.outW();
            inSample = g.inChannels() * g.inH() * g.inW();
            outSample = g.outChannels() * pixels;
            pointwise = g.kernelH() == 1 && g.kernelW() == 1 && g.strideH() == 1 && g.strideW() == 1
                    && g.padH() == 0 && g.padW() == 0;
            dense = g.outH() == 1 && g.outW() == 1 && g.padH() == 0 && g.padW() == 0
                    && g.kernelH() == g.inH() && g.kernelW() == g.inW();
            groups = groupCount(g.batch(), pixels, balanced ? Parallel.threads() : 1);
        }

        /**
         * About {@link #GROUP_PIXELS} columns per group, and, when the batch allows, a multiple
         * of {@code threads} so that every thread gets as many groups.
         */
        private static int groupCount(int batch, int pixels, int threads) {
            if (batch == 0) return 0;
            int count = (int) Math.max(1, Math.min(batch, (long) batch * pixels / GROUP_PIXELS));
            if (batch >= threads) count = Math.min(batch, (count + threads - 1) / threads * threads);
            return count;
        }

        /** First sample of a group; {@code groupStart(groups)} is the batch size. */
        int groupStart(int group) {
            return (int) ((long) group * g.batch() / groups);
        }

        /**
         * The column matrix of samples {@code [b0, b0 + s)}, in scratch, its rows {@link #columnsLd}
         * apart: the room past a row's last column takes what the stride-2 gather writes past its runs.
         */
        float[] columnsOf(float[] x, int b0, int s, Scratch scratch) {
            int n = s * pixels, ld = columnsLd(n);
            float[] cols = scratch.columns(taps * ld);
            for (int i = 0; i < s; i++) {
                im2col(x, (b0 + i) * inSample, cols, i * pixels, ld);
            }
            return cols;
        }

        /** The row length of {@link #columnsOf}'s matrix of {@code n} columns. */
        int columnsLd(int n) {
            return g.strideW() == 2 ? n + PaddedConv.RUNS.slack(g.outW()) : n;
        }

        /** Whether im2col / col2im move the rows of this stride-2 layer a vector at a time (rows long enough). */
        boolean stridedByVectors() {
            return g.strideW() == 2 && PaddedConv.RUNS.slack(g.outW()) > 0;
        }

        /** Copies {@code out [outChannels x s*P]} into the NCHW samples {@code [b0, b0 + s)} of y. */
        void scatterOutputs(float[] out, float[] y, int b0, int s) {
            int n = s * pixels;
            for (int i = 0; i < s; i++) {
                for (int co = 0; co < g.outChannels(); co++) {
                    System.arraycopy(out, co * n + i * pixels, y, (b0 + i) * outSample + co * pixels, pixels);
                }
            }
        }

        /** The inverse of {@link #scatterOutputs}: samples of gy side by side, in scratch. */
        float[] gatherOutputs(float[] gy, int b0, int s, Scratch scratch) {
            int n = s * pixels;
            float[] grads = scratch.outputs(g.outChannels() * n);
            for (int i = 0; i < s; i++) {
                for (int co = 0; co < g.outChannels(); co++) {
                    System.arraycopy(gy, (b0 + i) * outSample + co * pixels, grads, co * n + i * pixels, pixels);
                }
            }
            return grads;
        }

        /**
         * Writes one sample's column matrix into {@code cols}, from column {@code colOffset},
         * rows {@code ld} apart. Each (tap, output row) is a run: zeros, then the input row read
         * with the horizontal stride, then zeros. The tap bounds come from {@link #taps}, computed
         * once per (kh, kw) rather than per row. A stride-2 run may write junk past its end
         * ({@link FloatRuns#gatherEven}): the zeros after it, the next runs of the row and the
         * next sample's columns are written later, and the last sample's junk lands in the room
         * past the row ({@link #columnsLd}).
         */
        void im2col(float[] x, int xOffset, float[] cols, int colOffset, int ld) {
            int outW = g.outW(), outH = g.outH(), inW = g.inW(), strideW = g.strideW(), strideH = g.strideH();
            int kernel = g.kernelH() * g.kernelW();
            int[] tp = taps();
            boolean gatherEven = stridedByVectors();  // else the plain loop below, inlined
            for (int c = 0, row = 0; c < g.inChannels(); c++) {
                int plane = xOffset + c * g.inH() * inW;
                for (int k = 0; k < kernel; k++, row++) {
                    int shiftH = tp[6 * k], shiftW = tp[6 * k + 1];
                    int ohLo = tp[6 * k + 2], ohHi = tp[6 * k + 3], owLo = tp[6 * k + 4], owHi = tp[6 * k + 5];
                    int rowStart = colOffset + row * ld;
                    for (int i = rowStart, e = rowStart + ohLo * outW; i < e; i++) cols[i] = 0f;
                    for (int oh = ohLo; oh < ohHi; oh++) {
                        int dst = rowStart + oh * outW;
                        int src = plane + (oh * strideH + shiftH) * inW + shiftW;
                        // The padded ends of a row are a column or two: plain stores beat Arrays.fill calls.
                        for (int ow = 0; ow < owLo; ow++) cols[dst + ow] = 0f;
                        if (strideW == 1) {
                            System.arraycopy(x, src + owLo, cols, dst + owLo, owHi - owLo);
                        } else if (gatherEven) {
                            PaddedConv.RUNS.gatherEven(x, src + 2 * owLo, cols, dst + owLo, owHi - owLo);
                        } else {
                            for (int ow = owLo; ow < owHi; ow++) cols[dst + ow] = x[src + ow * strideW];
                        }
                        for (int ow = owHi; ow < outW; ow++) cols[dst + ow] = 0f;
                    }
                    for (int i = rowStart + ohHi * outW, e = rowStart + outH * outW; i < e; i++) cols[i] = 0f;
                }
            }
        }

        /**
         * Writes entries {@code [from, to)} of column-matrix row {@code row} (one weight tap) of
         * the samples from {@code b0} on, whose columns sit side by side (column {@code i*P + pixel}
         * is sample {@code b0 + i}'s), into {@code dst} from {@code d}, {@code stride} apart. Each
         * output row met is a run: zeros, then the input row read with the horizontal stride,
         * then zeros, with the tap's bounds from {@link #taps}.
         */
        void tapRun(float[] x, int b0, int row, int from, int to, float[] dst, int d, int stride) {
            int outW = g.outW(), outH = g.outH(), inW = g.inW(), strideW = g.strideW(), strideH = g.strideH();
            int kernel = g.kernelH() * g.kernelW();
            int c = row / kernel, k = row - c * kernel;
            int[] tp = taps();
            int shiftH = tp[6 * k], shiftW = tp[6 * k + 1];
            int ohLo = tp[6 * k + 2], ohHi = tp[6 * k + 3], owLo = tp[6 * k + 4], owHi = tp[6 * k + 5];
            int i = from / pixels, pixel = from - i * pixels, oh = pixel / outW, ow = pixel - oh * outW;
            int plane = (b0 + i) * inSample + c * g.inH() * inW;
            for (int j = from; j < to; ) {
                int end = Math.min(outW, ow + to - j);  // this run: [ow, end) of output row oh
                if (oh < ohLo || oh >= ohHi) {
                    for (int t = ow; t < end; t++, d += stride) dst[d] = 0f;
                } else {
                    int src = plane + (oh * strideH + shiftH) * inW + shiftW;
                    int lo = Math.min(end, Math.max(ow, owLo)), hi = Math.max(lo, Math.min(end, owHi));
                    // The padded ends of a row are a column or two: plain stores beat Arrays.fill calls.
                    if (stride == 1) {  // contiguous stores, kept apart so that C2 compiles them as such
                        for (int t = ow; t < lo; t++) dst[d++] = 0f;
                        if (strideW == 1 && hi > lo) {  // (src + lo may lie outside x when hi == lo)
                            System.arraycopy(x, src + lo, dst, d, hi - lo);
                        } else {
                            for (int t = lo; t < hi; t++) dst[d + t - lo] = x[src + t * strideW];
                        }
                        d += hi - lo;
                        for (int t = hi; t < end; t++) dst[d++] = 0f;
                    } else {
                        for (int t = ow; t < lo; t++, d += stride) dst[d] = 0f;
                        for (int t = lo; t < hi; t++, d += stride) dst[d] = x[src + t * strideW];
                        for (int t = hi; t < end; t++, d += stride) dst[d] = 0f;
                    }
                }
                j += end - ow;
                ow = end;
                if (ow == outW) {
                    ow = 0;
                    if (++oh == outH) {
                        oh = 0;
                        plane += inSample;
                    }
                }
            }
        }

        /** Sets one sample of gx to the sum of every column-matrix entry over the input value it came from. */
        void col2im(float[] cols, int colOffset, int ld, float[] gx, int gxOffset) {
            Arrays.fill(gx, gxOffset, gxOffset + inSample, 0f);
            int outW = g.outW(), inW = g.inW(), strideW = g.strideW(), strideH = g.strideH();
            int kernel = g.kernelH() * g.kernelW();
            int[] tp = taps();
            boolean scatterEven = stridedByVectors();
            for (int c = 0, row = 0; c < g.inChannels(); c++) {
                int plane = gxOffset + c * g.inH() * inW;
                for (int k = 0; k < kernel; k++, row++) {
                    int shiftH = tp[6 * k], shiftW = tp[6 * k + 1];
                    int ohLo = tp[6 * k + 2], ohHi = tp[6 * k + 3], owLo = tp[6 * k + 4], owHi = tp[6 * k + 5];
                    for (int oh = ohLo; oh < ohHi; oh++) {
                        int src = colOffset + row * ld + oh * outW;
                        int dst = plane + (oh * strideH + shiftH) * inW + shiftW;
                        if (strideW == 1) {
                            for (int ow = owLo; ow < owHi; ow++) gx[dst + ow] += cols[src + ow];
                        } else if (scatterEven) {
                            PaddedConv.RUNS.scatterAddEven(cols, src + owLo, gx, dst + 2 * owLo, owHi - owLo,
                                    gxOffset + inSample);
                        } else {
                            for (int ow = owLo; ow < owHi; ow++) gx[dst + ow * strideW] += cols[src + ow];
                        }
                    }
                }
            }
        }

        /**
         * For each kernel position {@code k = kh * kernelW + kw}, six ints: the shifts
         * {@code kh*dilationH - padH} and {@code kw*dilationW - padW}, and the output rows
         * {@code [ohLo, ohHi)} and columns {@code [owLo, owHi)} whose input lies inside the image.
         */
        private int[] taps() {
            int[] tp = tapBounds;
            if (tp != null) return tp;
            int kernel = g.kernelH() * g.kernelW();
            tp = new int[6 * kernel];
            for (int k = 0; k < kernel; k++) {
                int shiftH = k / g.kernelW() * g.dilationH() - g.padH();
                int shiftW = k % g.kernelW() * g.dilationW() - g.padW();
                tp[6 * k] = shiftH;
                tp[6 * k + 1] = shiftW;
                tp[6 * k + 2] = firstInside(shiftH, g.strideH(), g.outH());
                tp[6 * k + 3] = endInside(shiftH, g.strideH(), g.inH(), g.outH());
                tp[6 * k + 4] = firstInside(shiftW, g.strideW(), g.outW());
                tp[6 * k + 5] = endInside(shiftW, g.strideW(), g.inW(), g.outW());
            }
            tapBounds = tp;
            return tp;
        }

        /** float64 im2col of one sample into {@code cols [K x P]}, entry by entry. */
        void im2col(double[] x, int xOffset, double[] cols) {
            for (int row = 0; row < taps; row++) {
                for (int pixel = 0; pixel < pixels; pixel++) {
                    int index = inputIndex(row, pixel);
                    cols[row * pixels + pixel] = index < 0 ? 0.0 : x[xOffset + index];
                }
            }
        }

        /** float64 col2im of {@code cols [K x P]} into one sample of gx, which it overwrites. */
        void col2im(double[] cols, double[] gx, int gxOffset) {
            Arrays.fill(gx, gxOffset, gxOffset + inSample, 0.0);
            for (int row = 0; row < taps; row++) {
                for (int pixel = 0; pixel < pixels; pixel++) {
                    int index = inputIndex(row, pixel);
                    if (index >= 0) gx[gxOffset + index] += cols[row * pixels + pixel];
                }
            }
        }

        /** Index within one input sample of column-matrix entry {@code (row, pixel)}, or -1 in the padding. */
        private int inputIndex(int row, int pixel) {
            int c = row / (g.kernelH() * g.kernelW());
            int kh = row / g.kernelW() % g.kernelH(), kw = row % g.kernelW();
            int ih = pixel / g.outW() * g.strideH() + kh * g.dilationH() - g.padH();
            int iw = pixel % g.outW() * g.strideW() + kw * g.dilationW() - g.padW();
            boolean inside = ih >= 0 && ih < g.inH() && iw >= 0 && iw < g.inW();
            return inside ? (c * g.inH() + ih) * g.inW() + iw : -1;
        }

        /** First output position (at most {@code out}) whose input {@code o * stride + shift} is at least 0. */
        private static int firstInside(int shift, int stride, int out) {
            return Math.min(out, Math.max(0, -Math.floorDiv(shift, stride)));
        }

        /** One past the last output position whose input is below {@code in}; never before {@link #firstInside}. */
        private static int endInside(int shift, int stride, int in, int out) {
            int end = Math.min(out, Math.floorDiv(in - 1 - shift, stride) + 1);
            return Math.max(end, firstInside(shift, stride, out));
        }
    }

    /**
     * The transposed column matrix of samples {@code [b0, b0 + s)}, {@code [s*P x K]}, as GEMM's
     * B for the weight gradient, packed straight from x with {@link Layout#tapRun} instead of being
     * stored first: panel column {@code j} is one tap over the pixels of the slice.
     */
    private record ColumnPanels(Layout l, float[] x, int b0) implements Gemm.PanelSource {

        @Override
        public void pack(int entry, int p0, int kc, int j0, int cols, int nr, float[] packed) {
            int whole = cols / nr * nr;
            if (whole < cols) Arrays.fill(packed, whole * kc, (whole + nr) * kc, 0f);  // the last panel's spare columns
            for (int q = 0, o = 0; q < cols; q += nr, o += nr * kc) {
                for (int j = 0, w = Math.min(nr, cols - q); j < w; j++) {
                    l.tapRun(x, b0, j0 + q + j, p0, p0 + kc, packed, o + j, nr);
                }
            }
            Gemm.flushSubnormals(packed, 0, (cols + nr - 1) / nr * nr * kc);
        }
    }

    /** Per-thread buffers, grown on demand and reused by every later call. */
    private static final class Scratch {
        private float[] columns = new float[0];
        private float[] outputs = new float[0];
        private float[] partialSums = new float[0];

        float[] columns(int size) {
            if (columns.length < size) columns = new float[size];
            return columns;
        }

        float[] outputs(int size) {
            if (outputs.length < size) outputs = new float[size];
            return outputs;
        }

        float[] partialSums(int size) {
            if (partialSums.length < size) partialSums = new float[size];
            return partialSums;
        }
    }
}
