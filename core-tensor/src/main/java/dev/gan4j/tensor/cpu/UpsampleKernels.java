package dev.gan4j.tensor.cpu;

import dev.gan4j.tensor.backend.UpsampleGeometry;

/**
 * Nearest-neighbour upsampling and its adjoint over dense NCHW storage. Both work on whole rows:
 * input row {@code r} (plane and height flattened, {@code inW} pixels) owns output rows
 * {@code r * scale ... r * scale + scale - 1}, so rows are independent and split among threads.
 * Rows pass through doubles ({@link CpuStorage#loadRow}), which serves float32 and float64 alike and
 * sums a block exactly before rounding once.
 */
final class UpsampleKernels {

    /** Output elements worth a task of their own. */
    private static final int GRAIN = 16 * 1024;

    private UpsampleKernels() {}

    /** {@code y[r * scale + i][w] = x[r][w / scale]} for every block row {@code i}. */
    static void forward(CpuStorage x, CpuStorage y, UpsampleGeometry g) {
        int s = g.scale(), inW = g.inW(), outW = g.outW();
        forEachRow(g, (from, to) -> {
            double[] in = new double[inW], out = new double[outW];
            for (int r = from; r < to; r++) {
                x.loadRow(r * inW, 1, inW, in);
                for (int w = 0, o = 0; w < inW; w++) {
                    for (int j = 0; j < s; j++, o++) out[o] = in[w];
                }
                for (int i = 0; i < s; i++) y.storeRow(out, outW, (r * s + i) * outW, 1);
            }
        });
    }

    /**
     * {@code gx[r][w] =} the sum of gy's block over it: the block's rows are added column by
     * column first (a loop over whole rows), then each block's {@code scale} column sums.
     */
    static void backward(CpuStorage gy, CpuStorage gx, UpsampleGeometry g) {
        int s = g.scale(), inW = g.inW(), outW = g.outW();
        forEachRow(g, (from, to) -> {
            double[] row = new double[outW], columns = new double[outW], sums = new double[inW];
            for (int r = from; r < to; r++) {
                java.util.Arrays.fill(columns, 0.0);
                for (int i = 0; i < s; i++) {
                    gy.loadRow((r * s + i) * outW, 1, outW, row);
                    for (int o = 0; o < outW; o++) columns[o] += row[o];
                }
                for (int w = 0; w < inW; w++) {
                    double sum = 0;
                    for (int j = 0; j < s; j++) sum += columns[w * s + j];
                    sums[w] = sum;
                }
                gx.storeRow(sums, inW, r * inW, 1);
            }
        });
    }

    /** Runs {@code body} over the input rows {@code [0, planes * inH)}, in parallel when they are many. */
    private static void forEachRow(UpsampleGeometry g, Parallel.RangeBody body) {
        int outRow = g.outW() * g.scale();
        Parallel.forRange(g.planes() * g.inH(), Math.max(1, GRAIN / Math.max(outRow, 1)), body);
    }
}
