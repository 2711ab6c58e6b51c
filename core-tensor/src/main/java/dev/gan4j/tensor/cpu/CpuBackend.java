package dev.gan4j.tensor.cpu;

import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Layout;
import dev.gan4j.tensor.Philox;
import dev.gan4j.tensor.Storage;
import dev.gan4j.tensor.backend.AdamStep;
import dev.gan4j.tensor.backend.AllocatorStats;
import dev.gan4j.tensor.backend.Backend;
import dev.gan4j.tensor.backend.BatchNormShape;
import dev.gan4j.tensor.backend.BinaryOp;
import dev.gan4j.tensor.backend.ConvGeometry;
import dev.gan4j.tensor.backend.GemmOperand;
import dev.gan4j.tensor.backend.PoolGeometry;
import dev.gan4j.tensor.backend.ReduceOp;
import dev.gan4j.tensor.backend.RmsPropStep;
import dev.gan4j.tensor.backend.UnaryOp;
import dev.gan4j.tensor.backend.UpsampleGeometry;

import static dev.gan4j.tensor.cpu.CpuStorage.of;
import static dev.gan4j.tensor.cpu.CpuStorage.runStart;

/**
 * The pure-Java backend. Elementwise kernels walk L1-sized blocks (see {@link StridedLoop}): float32
 * storage is read and written as float runs in place, float64 (and reductions, which accumulate in
 * double) through rows of doubles; GEMM and convolution have dedicated float32 kernels
 * ({@link Gemm}, {@link Conv2dKernels}).
 */
public final class CpuBackend implements Backend {

    public static final CpuBackend INSTANCE = new CpuBackend();

    private final HostArrayPool pool = HostArrayPool.sizedToHeap();

    private CpuBackend() {}

    @Override public String name() { return "cpu (" + Parallel.threads() + " threads, " + Gemm.kernelName() + ")"; }
    @Override public Device device() { return Device.CPU; }

    // ---- memory ----

    @Override
    public Storage allocate(DType dtype, int size) {
        return dtype == DType.F32 ? new CpuStorage(pool.zeroedFloats(size), pool)
                : new CpuStorage(pool.zeroedDoubles(size), pool);
    }

    @Override
    public Storage allocateUninitialized(DType dtype, int size) {
        return dtype == DType.F32 ? new CpuStorage(pool.floats(size), pool) : new CpuStorage(pool.doubles(size), pool);
    }

    @Override
    public Storage fromHost(float[] data) {
        float[] copy = pool.floats(data.length);
        System.arraycopy(data, 0, copy, 0, data.length);
        return new CpuStorage(copy, pool);
    }

    @Override
    public Storage fromHost(double[] data) {
        double[] copy = pool.doubles(data.length);
        System.arraycopy(data, 0, copy, 0, data.length);
        return new CpuStorage(copy, pool);
    }

    @Override public AllocatorStats allocatorStats() { return pool.stats(); }

    @Override
    public void toHost(Storage src, int srcOffset, float[] dst) {
        CpuStorage s = of(src);
        if (s.f32 != null) System.arraycopy(s.f32, srcOffset, dst, 0, dst.length);
        else for (int i = 0; i < dst.length; i++) dst[i] = (float) s.f64[srcOffset + i];
    }

    @Override
    public void toHost(Storage src, int srcOffset, double[] dst) {
        CpuStorage s = of(src);
        if (s.f64 != null) System.arraycopy(s.f64, srcOffset, dst, 0, dst.length);
        else for (int i = 0; i < dst.length; i++) dst[i] = s.f32[srcOffset + i];
    }

    // ---- data movement ----

    @Override
    public void copy(Storage src, Layout srcLayout, Storage dst, Layout dstLayout) {
        CpuStorage in = of(src);
        CpuStorage out = of(dst);
        StridedLoop.over(dstLayout, srcLayout).run((off, st, n, rows) -> {
            if (in.f32 != null && out.f32 != null) {
                // Straight into the output: a strided one is written element by element, not staged.
                float[] from = in.floatRun(off[1], st[1], n, rows.floats(1));
                int start = runStart(off[1], st[1]);
                if (st[0] == 1) System.arraycopy(from, start, out.f32, off[0], n);
                else for (int i = 0; i < n; i++) out.f32[off[0] + i * st[0]] = from[start + i];
                return;
            }
            in.loadRow(off[1], st[1], n, rows.doubles(0));
            out.storeRow(rows.doubles(0), n, off[0], st[0]);
        });
    }

    @Override
    public void fill(Storage dst, Layout dstLayout, double value) {
        CpuStorage out = of(dst);
        StridedLoop.over(dstLayout).run((off, st, n, rows) -> {
            java.util.Arrays.fill(rows.doubles(0), 0, n, value);
            out.storeRow(rows.doubles(0), n, off[0], st[0]);
        });
    }

    @Override
    public void fillRandom(Storage out, int size, Philox.Distribution distribution, long key, long counter, double a,
                           double b) {
        CpuStorage o = of(out);
        Parallel.forRange(size, 4096, (from, to) -> {
            for (int i = from; i < to; i++) {
                double v = Philox.value(distribution, key, counter, i, a, b);
                if (o.f64 != null) o.f64[i] = v;
                else o.f32[i] = distribution == Philox.Distribution.UNIFORM ? Philox.uniformFloat(v, b) : (float) v;
            }
        });
    }

    @Override
    public void indexSelect(Storage x, int[] shape, int dim, int[] index, Storage out) {
        CpuStorage in = of(x);
        CpuStorage o = of(out);
        int outer = product(shape, 0, dim);
        int inner = product(shape, dim + 1, shape.length);
        Parallel.forRange(outer * index.length, Math.max(1, 16384 / Math.max(inner, 1)), (from, to) -> {
            for (int u = from; u < to; u++) {
                int i = u % index.length;
                int srcStart = ((u / index.length) * shape[dim] + index[i]) * inner;
                if (in.f32 != null) System.arraycopy(in.f32, srcStart, o.f32, u * inner, inner);
                else System.arraycopy(in.f64, srcStart, o.f64, u * inner, inner);
            }
        });
    }

    @Override
    public void indexAdd(Storage src, int[] outShape, int dim, int[] index, Storage out) {
        CpuStorage s = of(src);
        CpuStorage o = of(out);
        int outer = product(outShape, 0, dim);
        int inner = product(outShape, dim + 1, outShape.length);
        // Serial over the index: repeated indices must accumulate without races.
        for (int b = 0; b < outer; b++) {
            for (int i = 0; i < index.length; i++) {
                int srcStart = (b * index.length + i) * inner;
                int dstStart = (b * outShape[dim] + index[i]) * inner;
                for (int j = 0; j < inner; j++) o.set(dstStart + j, o.get(dstStart + j) + s.get(srcStart + j));
            }
        }
    }

    // ---- elementwise ----

    // float32 storage takes the float path (see RowOps): operands are read as unit-stride runs in
    // place (copied only when strided or broadcast) and results written straight to the output.

    @Override
    public void unary(UnaryOp op, Storage x, Layout xLayout, Storage out, Layout outLayout) {
        CpuStorage in = of(x);
        CpuStorage o = of(out);
        StridedLoop.over(outLayout, xLayout).run((off, st, n, rows) -> {
            if (o.f32 != null) {
                float[] src = in.floatRun(off[1], st[1], n, rows.floats(1));
                float[] dst = o.floatTarget(st[0], rows.floats(0));
                RowOps.unary(op, src, runStart(off[1], st[1]), dst, runStart(off[0], st[0]), n);
                if (st[0] != 1) o.storeFloats(dst, n, off[0], st[0]);
                return;
            }
            double[] row = rows.doubles(0);
            in.loadRow(off[1], st[1], n, row);
            RowOps.unary(op, row, n);
            o.storeRow(row, n, off[0], st[0]);
        });
    }

    @Override
    public void binary(BinaryOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage out,
                       Layout outLayout) {
        CpuStorage left = of(a);
        CpuStorage right = of(b);
        CpuStorage o = of(out);
        StridedLoop.over(outLayout, aLayout, bLayout).run((off, st, n, rows) -> {
            if (o.f32 != null) {
                if (st[0] == 1 && st[1] == 1 && st[2] == 0
                        && RowOps.binaryScalar(op, left.f32, off[1], right.f32[off[2]], o.f32, off[0], n)) {
                    return;
                }
                float[] x = left.floatRun(off[1], st[1], n, rows.floats(1));
                float[] y = right.floatRun(off[2], st[2], n, rows.floats(2));
                float[] dst = o.floatTarget(st[0], rows.floats(0));
                RowOps.binary(op, x, runStart(off[1], st[1]), y, runStart(off[2], st[2]), dst,
                        runStart(off[0], st[0]), n);
                if (st[0] != 1) o.storeFloats(dst, n, off[0], st[0]);
                return;
            }
            left.loadRow(off[1], st[1], n, rows.doubles(1));
            right.loadRow(off[2], st[2], n, rows.doubles(2));
            RowOps.binary(op, rows.doubles(1), rows.doubles(2), n);
            o.storeRow(rows.doubles(1), n, off[0], st[0]);
        });
    }

    @Override
    public void where(Storage cond, Layout condLayout, Storage a, Layout aLayout, Storage b, Layout bLayout,
                      Storage out, Layout outLayout) {
        CpuStorage c = of(cond);
        CpuStorage left = of(a);
        CpuStorage right = of(b);
        CpuStorage o = of(out);
        StridedLoop.over(outLayout, condLayout, aLayout, bLayout).run((off, st, n, rows) -> {
            if (o.f32 != null) {
                float[] cs = c.floatRun(off[1], st[1], n, rows.floats(1));
                float[] as = left.floatRun(off[2], st[2], n, rows.floats(2));
                float[] bs = right.floatRun(off[3], st[3], n, rows.floats(3));
                float[] dst = o.floatTarget(st[0], rows.floats(0));
                RowOps.where(cs, runStart(off[1], st[1]), as, runStart(off[2], st[2]), bs, runStart(off[3], st[3]),
                        dst, runStart(off[0], st[0]), n);
                if (st[0] != 1) o.storeFloats(dst, n, off[0], st[0]);
                return;
            }
            double[] cs = rows.doubles(1), as = rows.doubles(2), bs = rows.doubles(3), result = rows.doubles(0);
            c.loadRow(off[1], st[1], n, cs);
            left.loadRow(off[2], st[2], n, as);
            right.loadRow(off[3], st[3], n, bs);
            for (int i = 0; i < n; i++) result[i] = cs[i] != 0 ? as[i] : bs[i];
            o.storeRow(result, n, off[0], st[0]);
        });
    }

    // ---- reductions ----

    @Override
    public void reduce(ReduceOp op, Storage x, Layout xLayout, boolean[] reduced, Storage out) {
        CpuStorage in = of(x);
        int[] shape = xLayout.shape();
        int[] outShape = shape.clone();
        for (int d = 0; d < shape.length; d++) if (reduced[d]) outShape[d] = 1;
        // Accumulate in double through a view of the output that repeats (stride 0) over reduced axes.
        int[] accStrides = Layout.contiguousStrides(outShape);
        for (int d = 0; d < shape.length; d++) if (reduced[d]) accStrides[d] = 0;
        double[] acc = new double[Layout.numel(outShape)];
        java.util.Arrays.fill(acc, op.identity());
        StridedLoop loop = StridedLoop.over(xLayout, new Layout(shape, accStrides, 0));
        if (loop.innerStride(1) == 0) {
            // Each block reduces to one value (sums over all axes, over H*W for a bias gradient): the
            // blocks run in parallel, then their results are combined in block order, so the bits
            // do not depend on the number of threads.
            double[] partial = new double[loop.blocks()];
            loop.run((off, st, n, rows) -> {
                if (op == ReduceOp.SUM && in.f32 != null && st[0] == 1) {
                    partial[rows.block] = RowOps.sum(in.f32, off[0], n);
                    return;
                }
                in.loadRow(off[0], st[0], n, rows.doubles(0));
                partial[rows.block] = RowOps.reduce(op, rows.doubles(0), n);
            });
            loop.runSerial((off, st, n, rows) -> acc[off[1]] = op.combine(acc[off[1]], partial[rows.block]));
        } else {
            // Rows of x fold into a row of outputs (leading axes reduced): serial, in row order.
            loop.runSerial((off, st, n, rows) -> {
                double[] row = rows.doubles(0);
                in.loadRow(off[0], st[0], n, row);
                if (op == ReduceOp.SUM && st[1] == 1) {
                    for (int i = 0; i < n; i++) acc[off[1] + i] += row[i];
                } else {
                    for (int i = 0; i < n; i++) acc[off[1] + i * st[1]] = op.combine(acc[off[1] + i * st[1]], row[i]);
                }
            });
        }
        CpuStorage o = of(out);
        o.storeRow(acc, acc.length, 0, 1);
    }

    @Override
    public void argReduce(ReduceOp op, Storage x, Layout xLayout, int axis, Storage out) {
        CpuStorage in = of(x);
        CpuStorage o = of(out);
        int length = xLayout.size(axis);
        int step = xLayout.stride(axis);
        Layout starts = xLayout.select(axis, 0);
        Layout outView = Layout.contiguous(starts.shape());
        StridedLoop.over(outView, starts).run((off, st, n, rows) -> {
            for (int i = 0; i < n; i++) {
                int base = off[1] + i * st[1];
                int best = 0;
                double bestValue = in.get(base);
                for (int j = 1; j < length && !Double.isNaN(bestValue); j++) {
                    double v = in.get(base + j * step);
                    if (op.combine(bestValue, v) != bestValue || Double.isNaN(v)) {
                        best = j;
                        bestValue = v;
                    }
                }
                rows.doubles(0)[i] = best;
            }
            o.storeRow(rows.doubles(0), n, off[0], st[0]);
        });
    }

    // ---- linear algebra ----

    @Override
    public void matmul(Storage a, Layout aLayout, Storage b, Layout bLayout, Storage out) {
        GemmOperand left = GemmOperand.require(aLayout);
        GemmOperand right = GemmOperand.require(bLayout);
        int batch = aLayout.size(0);
        int m = aLayout.size(1);
        int k = aLayout.size(2);
        int n = bLayout.size(2);
        CpuStorage x = of(a);
        CpuStorage y = of(b);
        CpuStorage c = of(out);
        if (c.f32 != null) {
            Gemm.sgemmBatched(batch, left.transposed(), right.transposed(), m, n, k,
                    x.f32, aLayout.offset(), left.leading(), left.batchStride(),
                    y.f32, bLayout.offset(), right.leading(), right.batchStride(),
                    c.f32, 0, n, m * n, false);
        } else {
            Gemm.dgemmBatched(batch, left.transposed(), right.transposed(), m, n, k,
                    x.f64, aLayout.offset(), left.leading(), left.batchStride(),
                    y.f64, bLayout.offset(), right.leading(), right.batchStride(),
                    c.f64, 0, n, m * n, false);
        }
    }


    // ---- convolution ----

    @Override
    public void conv2d(Storage x, Storage w, Storage y, ConvGeometry g) {
        CpuStorage in = of(x);
        if (in.f32 != null) Conv2dKernels.forward(in.f32, of(w).f32, of(y).f32, g);
        else Conv2dKernels.forward(in.f64, of(w).f64, of(y).f64, g);
    }

    @Override
    public void conv2dBackwardInput(Storage gy, Storage w, Storage gx, ConvGeometry g) {
        CpuStorage grad = of(gy);
        if (grad.f32 != null) Conv2dKernels.backwardInput(grad.f32, of(w).f32, of(gx).f32, g);
        else Conv2dKernels.backwardInput(grad.f64, of(w).f64, of(gx).f64, g);
    }

    @Override
    public void conv2dBackwardWeight(Storage x, Storage gy, Storage gw, ConvGeometry g) {
        CpuStorage in = of(x);
        if (in.f32 != null) Conv2dKernels.backwardWeight(in.f32, of(gy).f32, of(gw).f32, g);
        else Conv2dKernels.backwardWeight(in.f64, of(gy).f64, of(gw).f64, g);
    }

    // ---- batch norm ----

    @Override
    public void batchNormTraining(Storage x, Storage gamma, Storage beta, Storage runningMean, Storage runningVar,
                                  double momentum, double eps, Storage y, Storage saveMean, Storage saveInvStd,
                                  BatchNormShape s) {
        BatchNormKernels.training(of(x), of(gamma), of(beta), runningMean == null ? null : of(runningMean),
                runningVar == null ? null : of(runningVar), momentum, eps, of(y), of(saveMean), of(saveInvStd), s);
    }

    @Override
    public void batchNormInference(Storage x, Storage gamma, Storage beta, Storage runningMean, Storage runningVar,
                                   double eps, Storage y, BatchNormShape s) {
        BatchNormKernels.inference(of(x), of(gamma), of(beta), of(runningMean), of(runningVar), eps, of(y), s);
    }

    @Override
    public void batchNormBackward(Storage x, Storage gy, Storage gamma, Storage saveMean, Storage saveInvStd,
                                  Storage gx, Storage gGamma, Storage gBeta, BatchNormShape s) {
        BatchNormKernels.backward(of(x), of(gy), of(gamma), of(saveMean), of(saveInvStd), of(gx), of(gGamma),
                of(gBeta), s);
    }

    // ---- optimiser updates ----

    @Override
    public void adamStep(Storage param, Storage grad, Storage expAvg, Storage expAvgSq, Storage maxExpAvgSq, int size,
                         AdamStep h) {
        OptimizerKernels.adam(of(param), of(grad), of(expAvg), of(expAvgSq), orNull(maxExpAvgSq), size, h);
    }

    @Override
    public void rmsPropStep(Storage param, Storage grad, Storage squareAvg, Storage gradAvg, Storage momentumBuffer,
                            int size, RmsPropStep h) {
        OptimizerKernels.rmsProp(of(param), of(grad), of(squareAvg), orNull(gradAvg), orNull(momentumBuffer), size, h);
    }

    private static CpuStorage orNull(Storage optional) {
        return optional == null ? null : of(optional);
    }

    // ---- pooling ----

    @Override
    public void maxPool2d(Storage x, Storage y, Storage argmax, PoolGeometry g) {
        PoolKernels.maxForward(of(x), of(y), of(argmax), g);
    }

    @Override
    public void maxPool2dBackward(Storage gy, Storage argmax, Storage gx, PoolGeometry g) {
        PoolKernels.maxBackward(of(gy), of(argmax), of(gx), g);
    }

    @Override
    public void avgPool2d(Storage x, Storage y, PoolGeometry g) {
        PoolKernels.avgForward(of(x), of(y), g);
    }

    @Override
    public void avgPool2dBackward(Storage gy, Storage gx, PoolGeometry g) {
        PoolKernels.avgBackward(of(gy), of(gx), g);
    }

    // ---- nearest upsampling ----

    @Override
    public void upsampleNearest(Storage x, Storage y, UpsampleGeometry g) {
        UpsampleKernels.forward(of(x), of(y), g);
    }

    @Override
    public void upsampleNearestBackward(Storage gy, Storage gx, UpsampleGeometry g) {
        UpsampleKernels.backward(of(gy), of(gx), g);
    }

    private static int product(int[] shape, int from, int to) {
        int p = 1;
        for (int d = from; d < to; d++) p *= shape[d];
        return p;
    }
}
