package dev.gan4j.tensor.cpu;

import dev.gan4j.tensor.Layout;

import java.util.ArrayList;
import java.util.List;

/**
 * Walks several same-shaped strided operands together, one innermost "row" block at a time, which
 * is how every elementwise CPU kernel touches memory. Dimensions that are contiguous in every
 * operand are merged first, so dense tensors become a single long row; rows are cut into blocks of
 * at most {@link #BLOCK} elements that fit in L1, and blocks are spread over the thread pool.
 */
final class StridedLoop {

    static final int BLOCK = 1024;
    /** Below this many elements a loop stays on the calling thread. */
    private static final int PARALLEL_GRAIN = 32 * 1024;

    /** Processes {@code n} elements; operand k starts at {@code offsets[k]} and steps by {@code strides[k]}. */
    @FunctionalInterface
    interface RowKernel {
        void apply(int[] offsets, int[] strides, int n, Scratch scratch);
    }

    /**
     * One thread's working space: a row of up to {@link #BLOCK} elements per operand, in double (the
     * generic path) or float (the float32 path), made on first use; and the index of the block being
     * processed, for kernels that keep one result per block.
     */
    static final class Scratch {
        private final double[][] doubles;
        private final float[][] floats;
        private final int length;
        int block;

        Scratch(int operands, int length) {
            this.doubles = new double[operands][];
            this.floats = new float[operands][];
            this.length = length;
        }

        double[] doubles(int operand) {
            if (doubles[operand] == null) doubles[operand] = new double[length];
            return doubles[operand];
        }

        float[] floats(int operand) {
            if (floats[operand] == null) floats[operand] = new float[length];
            return floats[operand];
        }
    }

    private final int[] shape;
    private final int[][] strides;
    private final int[] offsets;

    private StridedLoop(int[] shape, int[][] strides, int[] offsets) {
        this.shape = shape;
        this.strides = strides;
        this.offsets = offsets;
    }

    /** A loop over the shape of {@code layouts[0]}; all layouts must have that shape. */
    static StridedLoop over(Layout... layouts) {
        int[] shape = layouts[0].shape();
        int k = layouts.length;
        List<Integer> dims = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) if (shape[d] != 1) dims.add(d);
        // Merge dim d into the dim after it when every operand steps over d as one run.
        List<int[]> merged = new ArrayList<>(); // {size, stride_0, ..., stride_k-1}
        for (int d : dims) {
            int[] next = new int[k + 1];
            next[0] = shape[d];
            for (int j = 0; j < k; j++) next[j + 1] = layouts[j].stride(d);
            if (!merged.isEmpty()) {
                int[] prev = merged.get(merged.size() - 1);
                boolean contiguous = true;
                for (int j = 0; j < k; j++) contiguous &= prev[j + 1] == next[j + 1] * next[0];
                if (contiguous) {
                    next[0] *= prev[0];
                    merged.set(merged.size() - 1, next);
                    continue;
                }
            }
            merged.add(next);
        }
        if (merged.isEmpty()) merged.add(scalarDim(k));
        int rank = merged.size();
        int[] newShape = new int[rank];
        int[][] newStrides = new int[k][rank];
        for (int d = 0; d < rank; d++) {
            newShape[d] = merged.get(d)[0];
            for (int j = 0; j < k; j++) newStrides[j][d] = merged.get(d)[j + 1];
        }
        int[] offsets = new int[k];
        for (int j = 0; j < k; j++) offsets[j] = layouts[j].offset();
        for (int d : shape) if (d == 0) newShape[0] = 0;
        return new StridedLoop(newShape, newStrides, offsets);
    }

    private static int[] scalarDim(int operands) {
        int[] dim = new int[operands + 1];
        dim[0] = 1;
        return dim;
    }

    /** How many blocks {@link #run} hands to kernels; {@link Scratch#block} counts them in row-major order. */
    int blocks() {
        int rank = shape.length;
        int blocks = (shape[rank - 1] + BLOCK - 1) / BLOCK;
        for (int d = 0; d < rank - 1; d++) blocks *= shape[d];
        return blocks;
    }

    /** The step of operand {@code k} along the rows (the innermost merged dim). */
    int innerStride(int k) {
        return strides[k][shape.length - 1];
    }

    /** Runs {@code kernel} over every block, in parallel when the loop is large. */
    void run(RowKernel kernel) {
        run(kernel, true);
    }

    /** Runs {@code kernel} over every block in order on this thread (for kernels that accumulate). */
    void runSerial(RowKernel kernel) {
        run(kernel, false);
    }

    private void run(RowKernel kernel, boolean parallel) {
        int rank = shape.length;
        int rowLength = shape[rank - 1];
        if (rowLength == 0) return;
        int blocksPerRow = (rowLength + BLOCK - 1) / BLOCK;
        int rows = 1;
        for (int d = 0; d < rank - 1; d++) rows *= shape[d];
        if (rows == 0) return;
        int units = rows * blocksPerRow;
        int unitSize = Math.min(rowLength, BLOCK);
        if (!parallel) {
            runUnits(0, units, blocksPerRow, rowLength, kernel);
            return;
        }
        Parallel.forRange(units, Math.max(1, PARALLEL_GRAIN / unitSize),
                (from, to) -> runUnits(from, to, blocksPerRow, rowLength, kernel));
    }

    private void runUnits(int from, int to, int blocksPerRow, int rowLength, RowKernel kernel) {
        int rank = shape.length;
        int k = offsets.length;
        Scratch scratch = new Scratch(k, Math.min(rowLength, BLOCK));
        int[] innerStrides = new int[k];
        for (int j = 0; j < k; j++) innerStrides[j] = strides[j][rank - 1];
        // Multi-index of the row that unit `from` belongs to, and the operands' offsets there.
        int[] index = new int[rank];
        int row = from / blocksPerRow;
        for (int d = rank - 2; d >= 0; d--) {
            index[d] = row % shape[d];
            row /= shape[d];
        }
        int[] rowStart = new int[k];
        for (int j = 0; j < k; j++) {
            rowStart[j] = offsets[j];
            for (int d = 0; d < rank - 1; d++) rowStart[j] += index[d] * strides[j][d];
        }
        int[] blockStart = new int[k];
        int block = from % blocksPerRow;
        for (int u = from; u < to; u++) {
            int start = block * BLOCK;
            for (int j = 0; j < k; j++) blockStart[j] = rowStart[j] + start * innerStrides[j];
            scratch.block = u;
            kernel.apply(blockStart, innerStrides, Math.min(BLOCK, rowLength - start), scratch);
            if (++block == blocksPerRow) {
                block = 0;
                advance(index, rowStart);
            }
        }
    }

    /** Odometer step to the next row, updating each operand's row offset. */
    private void advance(int[] index, int[] rowStart) {
        for (int d = shape.length - 2; d >= 0; d--) {
            index[d]++;
            for (int j = 0; j < rowStart.length; j++) rowStart[j] += strides[j][d];
            if (index[d] < shape[d]) return;
            for (int j = 0; j < rowStart.length; j++) rowStart[j] -= strides[j][d] * shape[d];
            index[d] = 0;
        }
    }
}
