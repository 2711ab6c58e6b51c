package dev.gan4j.tensor.cpu;

import java.util.Arrays;

/**
 * Dense matrix products on raw row-major arrays: {@code C = op(A) op(B)}, or {@code C += op(A) op(B)}
 * when {@code accumulate} is set. {@code op(A)} is {@code m x k} and its element {@code (i, p)} is
 * {@code a[aOffset + i*lda + p]}, or {@code a[aOffset + p*lda + i]} when {@code transA}; likewise
 * {@code op(B)} is {@code k x n}, and C is {@code m x n} with element {@code (i, j)} at
 * {@code c[cOffset + i*ldc + j]}. The batched forms repeat this for entry {@code e} with every
 * offset moved by {@code e * stride}; a stride of 0 broadcasts A or B.
 *
 * <p>float32 follows Goto and BLIS. For each slice of at most {@code kc} steps of the shared
 * dimension, a block of op(B) is copied into {@code kc x nr} panels and a block of op(A) into
 * {@code mr x kc} panels, both at index 0 of per-thread scratch, and a {@link GemmKernel}
 * multiplies one pair of panels into an {@code mr x nr} block of C held in registers (an A that meets
 * many B's, such as a convolution's weights, can be packed once instead: {@link PackedA}); the block
 * sizes come from this machine's caches ({@link GemmBlocking}). Blocks of C
 * (of every batch entry) are shared among threads with {@link Parallel}. float64 is plain loops:
 * it serves gradient checks, where clarity matters more than speed.
 */
public final class Gemm {

    /** At or below this many multiply-adds a product skips packing. */
    private static final long SMALL = 16 * 16 * 16;
    /** Roughly the multiply-adds worth handing to another thread. */
    private static final long TASK_GRAIN = 1 << 16;

    /** The micro-kernel the public methods use. */
    static final GemmKernel KERNEL = selectKernel();

    /** The caches the block sizes were derived from. */
    static final CacheSizes CACHES = CacheSizes.detect();

    /** The block sizes the public methods use. */
    static final GemmBlocking BLOCKING = GemmBlocking.derive(CACHES, KERNEL.mr(), KERNEL.nr());

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private Gemm() {}

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                             float[] c, int cOffset, int ldc, boolean accumulate) {
        sgemm(true, transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, accumulate);
    }

    public static void sgemmBatched(int batch, boolean transA, boolean transB, int m, int n, int k,
                                    float[] a, int aOffset, int lda, int strideA,
                                    float[] b, int bOffset, int ldb, int strideB,
                                    float[] c, int cOffset, int ldc, int strideC, boolean accumulate) {
        sgemmBatched(KERNEL, BLOCKING, true, batch, transA, transB, m, n, k, a, aOffset, lda, strideA,
                b, bOffset, ldb, strideB, c, cOffset, ldc, strideC, accumulate);
    }

    public static void dgemm(boolean transA, boolean transB, int m, int n, int k,
                             double[] a, int aOffset, int lda, double[] b, int bOffset, int ldb,
                             double[] c, int cOffset, int ldc, boolean accumulate) {
        dgemmBatched(1, transA, transB, m, n, k, a, aOffset, lda, 0, b, bOffset, ldb, 0,
                c, cOffset, ldc, 0, accumulate);
    }

    public static void dgemmBatched(int batch, boolean transA, boolean transB, int m, int n, int k,
                                    double[] a, int aOffset, int lda, int strideA,
                                    double[] b, int bOffset, int ldb, int strideB,
                                    double[] c, int cOffset, int ldc, int strideC, boolean accumulate) {
        checkArguments(batch, transA, transB, m, n, k, a.length, aOffset, lda, strideA,
                b.length, bOffset, ldb, strideB, c.length, cOffset, ldc, strideC);
        int aRowStride = transA ? 1 : lda, aColStride = transA ? lda : 1;
        int bRowStride = transB ? 1 : ldb, bColStride = transB ? ldb : 1;
        long rowWork = (long) n * Math.max(k, 1);
        int rows = Math.multiplyExact(batch, m);
        Parallel.forRange(rows, (int) Math.max(1, TASK_GRAIN / Math.max(1, rowWork)), (from, to) -> {
            for (int t = from; t < to; t++) {
                int e = t / m, i = t % m;
                int aRow = aOffset + e * strideA + i * aRowStride;
                int cRow = cOffset + e * strideC + i * ldc;
                if (!accumulate) Arrays.fill(c, cRow, cRow + n, 0.0);
                for (int p = 0; p < k; p++) {
                    double aip = a[aRow + p * aColStride];
                    int bRow = bOffset + e * strideB + p * bRowStride;
                    for (int j = 0; j < n; j++) c[cRow + j] += aip * b[bRow + j * bColStride];
                }
            }
        });
    }

    /** {@link #sgemm} for callers that already run inside a {@link Parallel} loop ({@code parallel = false}). */
    static void sgemm(boolean parallel, boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                      float[] c, int cOffset, int ldc, boolean accumulate) {
        sgemmBatched(KERNEL, BLOCKING, parallel, 1, transA, transB, m, n, k, a, aOffset, lda, 0,
                b, bOffset, ldb, 0, c, cOffset, ldc, 0, accumulate);
    }

    /** The float32 product with a chosen micro-kernel and block sizes, so that tests can force each. */
    static void sgemmBatched(GemmKernel kernel, GemmBlocking sizes, boolean parallel, int batch, boolean transA, boolean transB,
                             int m, int n, int k, float[] a, int aOffset, int lda, int strideA,
                             float[] b, int bOffset, int ldb, int strideB,
                             float[] c, int cOffset, int ldc, int strideC, boolean accumulate) {
        checkArguments(batch, transA, transB, m, n, k, a.length, aOffset, lda, strideA,
                b.length, bOffset, ldb, strideB, c.length, cOffset, ldc, strideC);
        run(kernel, sizes, parallel, batch, m, n, k, FloatMatrix.of(a, aOffset, lda, strideA, transA), null,
                FloatMatrix.of(b, bOffset, ldb, strideB, transB),
                FloatMatrix.of(c, cOffset, ldc, strideC, false), accumulate);
    }

    /**
     * Runs a checked product; A is a matrix, or already packed ({@code packedA}, with {@code a} null);
     * B is a matrix (which may take the small path) or any other panel source.
     */
    private static void run(GemmKernel kernel, GemmBlocking sizes, boolean parallel, int batch, int m, int n, int k,
                            FloatMatrix a, PackedA packedA, PanelSource b, FloatMatrix c, boolean accumulate) {
        if (batch == 0 || m == 0 || n == 0) return;
        Product product = new Product(kernel, sizes, m, n, k, a, packedA, b, c, accumulate);
        Blocking blocking = product.isSmall()
                ? Blocking.WHOLE
                : Blocking.of(kernel, sizes.nc(), batch, m, n, parallel ? Parallel.threads() : 1);
        int tasks = Math.multiplyExact(batch, blocking.parts());
        if (parallel) {
            long taskWork = (long) m * n * Math.max(k, 1) / blocking.parts();
            int grain = (int) Math.max(1, TASK_GRAIN / Math.max(1, taskWork));
            Parallel.forRange(tasks, grain, (from, to) -> product.run(blocking, from, to));
        } else {
            product.run(blocking, 0, tasks);
        }
    }

    /**
     * Where a product's op(B) comes from: something that can copy any block of it into the
     * micro-kernel's B panels. A plain matrix is one; a convolution's column
     * matrix is another, packed straight from the image without being stored first.
     */
    interface PanelSource {
        /**
         * Copies op(B)[p0 .. p0+kc, j0 .. j0+cols] of batch entry {@code entry} into panels of
         * {@code nr} columns from index 0 of {@code packed}: panel {@code q} starts at
         * {@code q * nr * kc} and holds, for each step {@code p}, its columns' values in row
         * {@code p}, zero past the last column, and subnormal values zero too ({@link #flushSubnormals}).
         * Called concurrently by several threads.
         */
        void pack(int entry, int p0, int kc, int j0, int cols, int nr, float[] packed);
    }

    /**
     * {@code C (+)= op(A) B} for a B given by its packer, {@code k x n}; A and C as in
     * {@link #sgemm}. {@code parallel}: whether it may use the pool (see {@link #sgemm(boolean,
     * boolean, boolean, int, int, int, float[], int, int, float[], int, int, float[], int, int,
     * boolean)}).
     */
    static void sgemm(boolean parallel, boolean transA, int m, int n, int k, float[] a, int aOffset, int lda,
                      PanelSource b, float[] c, int cOffset, int ldc, boolean accumulate) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: negative size m=" + m + " n=" + n + " k=" + k);
        }
        checkOperand("A", a.length, aOffset, lda, 0, 1, transA ? k : m, transA ? m : k);
        checkOperand("C", c.length, cOffset, ldc, 0, 1, m, n);
        run(KERNEL, BLOCKING, parallel, 1, m, n, k, FloatMatrix.of(a, aOffset, lda, 0, transA), null, b,
                FloatMatrix.of(c, cOffset, ldc, 0, false), accumulate);
    }

    /**
     * op(A), {@code m x k}, packed once into the micro-kernel's panels with its subnormals flushed, for
     * an A that meets many B's: a convolution's weights meet every group of samples, and packing them
     * once per call instead of once per group made a forward pass 7-17% faster. Read-only once made,
     * so threads share it. The panels live in the packing thread's scratch, reused by every call: a
     * packed A is good until that thread packs the next one, and a product given a stale one fails.
     */
    static final class PackedA {
        private final GemmKernel kernel;
        private final GemmBlocking sizes;
        private final int m, k, paddedRows;
        private final float[] panels;
        private final Scratch owner;
        private final int generation;

        private PackedA(GemmKernel kernel, GemmBlocking sizes, int m, int k, Scratch owner) {
            this.kernel = kernel;
            this.sizes = sizes;
            this.m = m;
            this.k = k;
            this.paddedRows = ceilDiv(m, kernel.mr()) * kernel.mr();
            this.owner = owner;
            this.generation = ++owner.packedWeightsGeneration;
            this.panels = owner.packedWeights(paddedRows * k);
        }

        private void checkCurrent() {
            if (owner.packedWeightsGeneration != generation) {
                throw new IllegalStateException("gemm: this packed A was overwritten by a later pack on the thread that made it");
            }
        }

        /** Where the panel of rows from {@code row} (a multiple of mr) starts in the slice from step {@code p0}. */
        int offset(int p0, int row, int kc) {
            return p0 * paddedRows + row * kc;
        }
    }

    /** Packs {@code op(A) [m x k]} for {@link #sgemm(boolean, PackedA, int, PanelSource, float[], int, int, boolean)}. */
    static PackedA pack(boolean transA, int m, int k, float[] a, int aOffset, int lda) {
        return pack(KERNEL, BLOCKING, transA, m, k, a, aOffset, lda);
    }

    /** {@link #pack(boolean, int, int, float[], int, int)} for a chosen micro-kernel and block sizes (tests). */
    static PackedA pack(GemmKernel kernel, GemmBlocking sizes, boolean transA, int m, int k, float[] a, int aOffset, int lda) {
        if (m < 0 || k < 0) throw new IllegalArgumentException("gemm: negative size m=" + m + " k=" + k);
        checkOperand("A", a.length, aOffset, lda, 0, 1, transA ? k : m, transA ? m : k);
        FloatMatrix matrix = FloatMatrix.of(a, aOffset, lda, 0, transA);
        int mr = kernel.mr(), kcMax = sliceDepth(k, sizes);
        PackedA packed = new PackedA(kernel, sizes, m, k, SCRATCH.get());
        for (int p0 = 0; p0 < k; p0 += kcMax) {
            int kc = Math.min(kcMax, k - p0);
            matrix.packRows(0, 0, m, p0, kc, mr, packed.panels, packed.offset(p0, 0, kc));
        }
        flushSubnormals(packed.panels, 0, packed.paddedRows * k);
        return packed;
    }

    /** {@code C (+)= A B} for a packed A and a B given by its packer, {@code k x n}; see {@link #sgemm(boolean, boolean, int, int, int, float[], int, int, PanelSource, float[], int, int, boolean)}. */
    static void sgemm(boolean parallel, PackedA a, int n, PanelSource b, float[] c, int cOffset, int ldc, boolean accumulate) {
        if (n < 0) throw new IllegalArgumentException("gemm: negative size n=" + n);
        a.checkCurrent();
        checkOperand("C", c.length, cOffset, ldc, 0, 1, a.m, n);
        run(a.kernel, a.sizes, parallel, 1, a.m, n, a.k, null, a, b, FloatMatrix.of(c, cOffset, ldc, 0, false), accumulate);
    }

    /** {@code C (+)= A op(B)} for a packed A and a stored B; see {@link #sgemm(boolean, boolean, boolean, int, int, int, float[], int, int, float[], int, int, float[], int, int, boolean)}. */
    static void sgemm(boolean parallel, PackedA a, boolean transB, int n, float[] b, int bOffset, int ldb,
                      float[] c, int cOffset, int ldc, boolean accumulate) {
        if (n < 0) throw new IllegalArgumentException("gemm: negative size n=" + n);
        checkOperand("B", b.length, bOffset, ldb, 0, 1, transB ? n : a.k, transB ? a.k : n);
        sgemm(parallel, a, n, FloatMatrix.of(b, bOffset, ldb, 0, transB), c, cOffset, ldc, accumulate);
    }

    /** Steps of the shared dimension per slice: {@code k} cut into equal slices of at most {@code kc}. */
    private static int sliceDepth(int k, GemmBlocking sizes) {
        return ceilDiv(k, ceilDiv(k, sizes.kc()));
    }

    /** Which micro-kernel runs with which block sizes, from which caches: for {@code gan4j info} and the banner. */
    static String kernelName() {
        String kernel = KERNEL instanceof GemmVectorKernel ? "Vector API GEMM " + KERNEL.mr() + "x" + KERNEL.nr()
                : "plain-Java GEMM";
        return kernel + ", " + BLOCKING + " for " + CACHES;
    }

    private static GemmKernel selectKernel() {
        if (VectorSupport.PRESENT) {
            return new GemmVectorKernel();
        }
        System.err.println("gan4j: module jdk.incubator.vector is absent, so matrix products use the slow"
                + " plain-Java kernel; start java with --add-modules jdk.incubator.vector for the fast one.");
        return new GemmScalarKernel();
    }

    /**
     * One operand seen as op(X): element {@code (r, col)} of batch entry {@code e} is
     * {@code data[offset + e*batchStride + r*rowStride + col*colStride]}.
     */
    private record FloatMatrix(float[] data, int offset, int rowStride, int colStride, int batchStride)
            implements PanelSource {

        static FloatMatrix of(float[] data, int offset, int ld, int batchStride, boolean trans) {
            return trans ? new FloatMatrix(data, offset, 1, ld, batchStride)
                         : new FloatMatrix(data, offset, ld, 1, batchStride);
        }

        int index(int entry, int row, int col) {
            return offset + entry * batchStride + row * rowStride + col * colStride;
        }

        /** This matrix as op(B): row by row when its rows are contiguous, else column by column. */
        @Override
        public void pack(int entry, int p0, int kc, int j0, int cols, int nr, float[] packed) {
            for (int q = 0, o = 0; q < cols; q += nr, o += nr * kc) {
                int w = Math.min(nr, cols - q);
                if (w < nr) Arrays.fill(packed, o, o + nr * kc, 0f);
                if (colStride == 1) {
                    int src = index(entry, p0, j0 + q);
                    for (int p = 0; p < kc; p++) System.arraycopy(data, src + p * rowStride, packed, o + p * nr, w);
                } else {
                    for (int j = 0; j < w; j++) {
                        int src = index(entry, p0, j0 + q + j);
                        for (int p = 0; p < kc; p++) packed[o + p * nr + j] = data[src + p * rowStride];
                    }
                }
            }
            flushSubnormals(packed, 0, ceilDiv(cols, nr) * nr * kc);
        }

        /**
         * This matrix as op(A): copies op(A)[i0 .. i0+rows, p0 .. p0+kc] into panels of {@code mr}
         * rows from {@code packed[at]}: for each step {@code p} a panel holds its rows' values at
         * {@code p}, zero past the last row.
         */
        void packRows(int entry, int i0, int rows, int p0, int kc, int mr, float[] packed, int at) {
            for (int q = 0, o = at; q < rows; q += mr, o += mr * kc) {
                int h = Math.min(mr, rows - q);
                if (h < mr) Arrays.fill(packed, o, o + mr * kc, 0f);
                int src = index(entry, i0 + q, p0);
                if (rowStride == 1) {
                    // Transposed A: a panel's rows sit side by side in memory, so copy them per step.
                    for (int p = 0; p < kc; p++) System.arraycopy(data, src + p * colStride, packed, o + p * mr, h);
                    continue;
                }
                // Step by step across the panel's rows, so that the stores run in order; the vector
                // kernel's six rows spelled out, as BLIS has a packing routine per micro-tile height
                // (40% faster than row by row, against 12% for the loop over rows).
                if (h == 6 && colStride == 1) {
                    int r1 = src + rowStride, r2 = r1 + rowStride, r3 = r2 + rowStride, r4 = r3 + rowStride, r5 = r4 + rowStride;
                    for (int p = 0, to = o; p < kc; p++, to += 6) {
                        packed[to] = data[src + p];
                        packed[to + 1] = data[r1 + p];
                        packed[to + 2] = data[r2 + p];
                        packed[to + 3] = data[r3 + p];
                        packed[to + 4] = data[r4 + p];
                        packed[to + 5] = data[r5 + p];
                    }
                    continue;
                }
                for (int p = 0, to = o; p < kc; p++, to += mr) {
                    for (int r = 0, from = src + p * colStride; r < h; r++, from += rowStride) packed[to + r] = data[from];
                }
            }
        }
    }

    /**
     * How the C of one batch entry is cut into parts for the threads: {@code mParts x nParts}
     * parts, each a contiguous run of whole micro-tiles ({@code tilesM} of height {@code mr}
     * down C, {@code tilesN} of width {@code nr} across), spread as evenly as possible.
     */
    private record Blocking(int mParts, int nParts, int tilesM, int tilesN, int mr, int nr) {

        /** One part covering all of C: the small-product path. */
        static final Blocking WHOLE = new Blocking(1, 1, 1, 1, Integer.MAX_VALUE, Integer.MAX_VALUE);

        static Blocking of(GemmKernel kernel, int nc, int batch, int m, int n, int threads) {
            int mr = kernel.mr(), nr = kernel.nr();
            int tilesM = ceilDiv(m, mr), tilesN = ceilDiv(n, nr);
            int mParts = 1;
            int nParts = ceilDiv(tilesN, Math.max(1, nc / nr));
            // Parallel gives each thread one contiguous run of tasks: make their number a
            // multiple of the thread count so that the runs are equally long. A part packs its
            // own copy of A's rows and B's columns, so split the dimension whose copies cost less
            // (on a tie, the rows: B's panels are packed by row copies, A's by a transposing loop).
            while ((long) batch * mParts * nParts % threads != 0) {
                boolean canSplitRows = mParts < tilesM, canSplitCols = nParts < tilesN;
                if (canSplitRows && (m >= n || !canSplitCols)) mParts++;
                else if (canSplitCols) nParts++;
                else break;
            }
            return new Blocking(mParts, nParts, tilesM, tilesN, mr, nr);
        }

        int parts() {
            return mParts * nParts;
        }

        /** First row of C in part row {@code mp}; {@code mp = mParts} gives the end. */
        int rowStart(int mp, int m) {
            return (int) Math.min(m, (long) mp * tilesM / mParts * mr);
        }

        int colStart(int np, int n) {
            return (int) Math.min(n, (long) np * tilesN / nParts * nr);
        }
    }

    /** One float32 product, run as tasks: task {@code t} is part {@code t % parts} of entry {@code t / parts}. */
    private record Product(GemmKernel kernel, GemmBlocking sizes, int m, int n, int k,
                           FloatMatrix a, PackedA packedA, PanelSource b, FloatMatrix c, boolean accumulate) {

        /** A small product of matrices skips packing; a packed A or another panel source always packs. */
        boolean isSmall() {
            return (long) m * n * k <= SMALL && packedA == null && b instanceof FloatMatrix;
        }

        void run(Blocking blocking, int fromTask, int toTask) {
            Scratch scratch = SCRATCH.get();
            for (int t = fromTask; t < toTask; t++) {
                int entry = t / blocking.parts();
                int part = t % blocking.parts();
                int mp = part / blocking.nParts(), np = part % blocking.nParts();
                int i0 = blocking.rowStart(mp, m), i1 = blocking.rowStart(mp + 1, m);
                int j0 = blocking.colStart(np, n), j1 = blocking.colStart(np + 1, n);
                if (k == 0) {
                    if (!accumulate) zeroPart(entry, i0, i1, j0, j1);
                } else if (isSmall()) {
                    multiplySmall(entry);
                } else {
                    multiplyPart(entry, i0, i1, j0, j1, scratch);
                }
            }
        }

        private void zeroPart(int entry, int i0, int i1, int j0, int j1) {
            for (int i = i0; i < i1; i++) {
                Arrays.fill(c.data, c.index(entry, i, j0), c.index(entry, i, j1), 0f);
            }
        }

        /** Plain loops for products too small to repay packing. */
        private void multiplySmall(int entry) {
            FloatMatrix b = (FloatMatrix) this.b;
            for (int i = 0; i < m; i++) {
                int cRow = c.index(entry, i, 0);
                if (!accumulate) Arrays.fill(c.data, cRow, cRow + n, 0f);
                for (int p = 0; p < k; p++) {
                    float aip = a.data[a.index(entry, i, p)];
                    int bRow = b.index(entry, p, 0);
                    for (int j = 0; j < n; j++) c.data[cRow + j] += aip * b.data[bRow + j * b.colStride];
                }
            }
        }

        /**
         * C[i0..i1, j0..j1] of one entry. For each slice of the shared dimension, B's columns
         * are packed once and then met by A's rows, packed {@code mc} at a time (or packed already).
         */
        private void multiplyPart(int entry, int i0, int i1, int j0, int j1, Scratch scratch) {
            int mr = kernel.mr(), nr = kernel.nr();
            int mc = Math.max(1, sizes.mc() / mr) * mr;
            int cols = j1 - j0;
            int kcMax = sliceDepth(k, sizes);  // equal slices: no short last one
            float[] panelsA = packedA != null ? packedA.panels
                    : scratch.packedA(Math.min(mc, ceilDiv(i1 - i0, mr) * mr) * kcMax);
            float[] packedB = scratch.packedB(ceilDiv(cols, nr) * nr * kcMax);
            float[] tile = scratch.tile(mr * nr);
            for (int p0 = 0; p0 < k; p0 += kcMax) {
                int kc = Math.min(kcMax, k - p0);
                b.pack(entry, p0, kc, j0, cols, nr, packedB);
                boolean add = accumulate || p0 > 0;
                for (int ic = i0; ic < i1; ic += mc) {
                    int rows = Math.min(mc, i1 - ic);
                    int at = 0;
                    if (packedA != null) {
                        at = packedA.offset(p0, ic, kc);
                    } else {
                        a.packRows(entry, ic, rows, p0, kc, mr, panelsA, 0);
                        flushSubnormals(panelsA, 0, ceilDiv(rows, mr) * mr * kc);
                    }
                    multiplyPacked(entry, ic, rows, j0, cols, kc, panelsA, at, packedB, add, tile);
                }
            }
        }

        /** C[i0..i0+rows, j0..j0+cols] (+)= packed A block (from {@code at}) * packed B block, tile by tile. */
        private void multiplyPacked(int entry, int i0, int rows, int j0, int cols, int kc,
                                    float[] packedA, int at, float[] packedB, boolean add, float[] tile) {
            int mr = kernel.mr(), nr = kernel.nr();
            for (int jt = 0; jt < cols; jt += nr) {
                int w = Math.min(nr, cols - jt);
                for (int it = 0; it < rows; it += mr) {
                    int h = Math.min(mr, rows - it);
                    multiplyTile(kc, packedA, at + it * kc, packedB, jt * kc,
                            c.index(entry, i0 + it, j0 + jt), h, w, add, tile);
                }
            }
        }

        /**
         * One micro-tile. The kernel stores straight into C when the tile is whole and C's old
         * values are not needed; otherwise it stores into {@code tile}, which is then added (or,
         * at an edge, its valid part added or copied) into C.
         */
        private void multiplyTile(int kc, float[] packedA, int aOffset, float[] packedB, int bOffset,
                                  int cIndex, int h, int w, boolean add, float[] tile) {
            int mr = kernel.mr(), nr = kernel.nr();
            boolean whole = h == mr && w == nr;
            if (whole && !add) {
                kernel.multiply(kc, packedA, aOffset, packedB, bOffset, c.data, cIndex, c.rowStride);
                return;
            }
            if (whole) {
                kernel.multiply(kc, packedA, aOffset, packedB, bOffset, tile, 0, nr);
                kernel.addTile(tile, c.data, cIndex, c.rowStride);
                return;
            }
            kernel.multiplyEdge(w, kc, packedA, aOffset, packedB, bOffset, tile, 0, nr);
            for (int r = 0; r < h; r++) {
                int cRow = cIndex + r * c.rowStride;
                for (int j = 0; j < w; j++) {
                    c.data[cRow + j] = add ? c.data[cRow + j] + tile[r * nr + j] : tile[r * nr + j];
                }
            }
        }

    }

    /**
     * Sets the subnormal values of a packed panel to zero, as oneDNN and MKL do with the CPU's
     * denormals-are-zero mode, which Java cannot switch on: on some CPUs (Intel Xeon here) every
     * multiply with a subnormal operand takes a microcode assist, and a GEMM over them ran 40x slower
     * (a confident discriminator's backward pass is full of them). Values below 2^-126 change no
     * float32 sum of normal-sized products; the panels are packed just before, so this pass is in cache.
     */
    static void flushSubnormals(float[] packed, int from, int to) {
        if (VectorSupport.PRESENT) {
            VectorMasks.flushSubnormals(packed, from, to);
        } else {
            for (int i = from; i < to; i++) if (Math.abs(packed[i]) < Float.MIN_NORMAL) packed[i] = 0f;
        }
    }

    /** Per-thread packing buffers, grown on demand and reused by every later product. */
    private static final class Scratch {
        private float[] packedA = new float[0];
        private float[] packedB = new float[0];
        private float[] tile = new float[0];
        private float[] packedWeights = new float[0];
        /** Counts this thread's {@link PackedA}s, so that a stale one is caught. */
        private int packedWeightsGeneration;

        float[] packedWeights(int size) {
            if (packedWeights.length < size) packedWeights = new float[size];
            return packedWeights;
        }

        float[] packedA(int size) {
            if (packedA.length < size) packedA = new float[size];
            return packedA;
        }

        float[] packedB(int size) {
            if (packedB.length < size) packedB = new float[size];
            return packedB;
        }

        float[] tile(int size) {
            if (tile.length < size) tile = new float[size];
            return tile;
        }
    }

    private static void checkArguments(int batch, boolean transA, boolean transB, int m, int n, int k,
                                       int aLength, int aOffset, int lda, int strideA,
                                       int bLength, int bOffset, int ldb, int strideB,
                                       int cLength, int cOffset, int ldc, int strideC) {
        if (batch < 0 || m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: negative size batch=" + batch
                    + " m=" + m + " n=" + n + " k=" + k);
        }
        checkOperand("A", aLength, aOffset, lda, strideA, batch, transA ? k : m, transA ? m : k);
        checkOperand("B", bLength, bOffset, ldb, strideB, batch, transB ? n : k, transB ? k : n);
        checkOperand("C", cLength, cOffset, ldc, strideC, batch, m, n);
        if (batch > 1 && m > 0 && n > 0 && strideC < (long) (m - 1) * ldc + n) {
            throw new IllegalArgumentException("gemm: batch entries of C overlap (strideC=" + strideC + ")");
        }
    }

    /** Checks that a stored {@code rows x cols} matrix (before any transpose) lies inside its array. */
    private static void checkOperand(String name, int length, int offset, int ld, int stride,
                                     int batch, int rows, int cols) {
        if (offset < 0 || stride < 0 || ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("gemm: bad layout of " + name + ": offset=" + offset
                    + " ld=" + ld + " stride=" + stride + " for " + rows + "x" + cols);
        }
        if (batch == 0 || rows == 0 || cols == 0) return;
        long last = offset + (long) (batch - 1) * stride + (long) (rows - 1) * ld + cols - 1;
        if (last >= length) {
            throw new IllegalArgumentException("gemm: " + name + " needs index " + last
                    + " but its array has length " + length);
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
