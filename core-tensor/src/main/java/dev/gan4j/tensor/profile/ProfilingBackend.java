package dev.gan4j.tensor.profile;

import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Layout;
import dev.gan4j.tensor.Storage;
import dev.gan4j.tensor.backend.Backend;
import dev.gan4j.tensor.backend.BatchNormShape;
import dev.gan4j.tensor.backend.BinaryOp;
import dev.gan4j.tensor.backend.ConvGeometry;
import dev.gan4j.tensor.backend.KernelClock;
import dev.gan4j.tensor.backend.PoolGeometry;
import dev.gan4j.tensor.backend.ReduceOp;
import dev.gan4j.tensor.backend.UnaryOp;

import java.util.Arrays;
import java.util.Locale;

/**
 * A {@link Backend} that passes every call to the real one and reports it to a {@link Profiler}: the
 * kernel's name, its FLOPs (from the call's shapes, see {@link Flops}) and its duration on the real
 * backend's {@link KernelClock}. Every call is timed the same way: start, delegate, stop.
 */
final class ProfilingBackend implements Backend {

    private static final String[] UNARY = lowerCaseNames(UnaryOp.values());
    private static final String[] BINARY = lowerCaseNames(BinaryOp.values());
    private static final String[] REDUCE = lowerCaseNames(ReduceOp.values());
    private static final String[] ARG_REDUCE = Arrays.stream(REDUCE).map(n -> "arg" + n).toArray(String[]::new);

    private final Backend real;
    private final String device;
    private final KernelClock clock;
    private final Profiler profiler;

    ProfilingBackend(Backend real, Profiler profiler) {
        this.real = real;
        this.device = real.device().toString();
        this.clock = real.clock();
        this.profiler = profiler;
    }

    private void done(String op, long flops, KernelClock.Timing timing) {
        timing.stop();
        profiler.record(device, op, flops, timing);
    }

    @Override public String name() { return real.name(); }
    @Override public Device device() { return real.device(); }
    @Override public KernelClock clock() { return clock; }

    // ---- memory ----

    @Override
    public Storage allocate(DType dtype, int size) {
        KernelClock.Timing t = clock.start();
        Storage s = real.allocate(dtype, size);
        done("allocate", 0, t);
        return s;
    }

    @Override
    public Storage fromHost(float[] data) {
        KernelClock.Timing t = clock.start();
        Storage s = real.fromHost(data);
        done("from_host", 0, t);
        return s;
    }

    @Override
    public Storage fromHost(double[] data) {
        KernelClock.Timing t = clock.start();
        Storage s = real.fromHost(data);
        done("from_host", 0, t);
        return s;
    }

    @Override
    public void toHost(Storage src, int srcOffset, float[] dst) {
        KernelClock.Timing t = clock.start();
        real.toHost(src, srcOffset, dst);
        done("to_host", 0, t);
    }

    @Override
    public void toHost(Storage src, int srcOffset, double[] dst) {
        KernelClock.Timing t = clock.start();
        real.toHost(src, srcOffset, dst);
        done("to_host", 0, t);
    }

    // ---- data movement ----

    @Override
    public void copy(Storage src, Layout srcLayout, Storage dst, Layout dstLayout) {
        KernelClock.Timing t = clock.start();
        real.copy(src, srcLayout, dst, dstLayout);
        done("copy", 0, t);
    }

    @Override
    public void fill(Storage dst, Layout dstLayout, double value) {
        KernelClock.Timing t = clock.start();
        real.fill(dst, dstLayout, value);
        done("fill", 0, t);
    }

    @Override
    public void indexSelect(Storage x, int[] shape, int dim, int[] index, Storage out) {
        KernelClock.Timing t = clock.start();
        real.indexSelect(x, shape, dim, index, out);
        done("index_select", 0, t);
    }

    @Override
    public void indexAdd(Storage src, int[] outShape, int dim, int[] index, Storage out) {
        KernelClock.Timing t = clock.start();
        real.indexAdd(src, outShape, dim, index, out);
        done("index_add", Flops.indexAdd(outShape, dim, index.length), t);
    }

    // ---- elementwise ----

    @Override
    public void unary(UnaryOp op, Storage x, Layout xLayout, Storage out, Layout outLayout) {
        KernelClock.Timing t = clock.start();
        real.unary(op, x, xLayout, out, outLayout);
        done(UNARY[op.ordinal()], Flops.elementwise(outLayout), t);
    }

    @Override
    public void binary(BinaryOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage out,
                       Layout outLayout) {
        KernelClock.Timing t = clock.start();
        real.binary(op, a, aLayout, b, bLayout, out, outLayout);
        done(BINARY[op.ordinal()], Flops.elementwise(outLayout), t);
    }

    @Override
    public void where(Storage cond, Layout condLayout, Storage a, Layout aLayout, Storage b, Layout bLayout,
                      Storage out, Layout outLayout) {
        KernelClock.Timing t = clock.start();
        real.where(cond, condLayout, a, aLayout, b, bLayout, out, outLayout);
        done("where", Flops.elementwise(outLayout), t);
    }

    // ---- reductions ----

    @Override
    public void reduce(ReduceOp op, Storage x, Layout xLayout, boolean[] reduced, Storage out) {
        KernelClock.Timing t = clock.start();
        real.reduce(op, x, xLayout, reduced, out);
        done(REDUCE[op.ordinal()], Flops.reduction(xLayout), t);
    }

    @Override
    public void argReduce(ReduceOp op, Storage x, Layout xLayout, int axis, Storage out) {
        KernelClock.Timing t = clock.start();
        real.argReduce(op, x, xLayout, axis, out);
        done(ARG_REDUCE[op.ordinal()], Flops.reduction(xLayout), t);
    }

    // ---- linear algebra ----

    @Override
    public void matmul(Storage a, Layout aLayout, Storage b, Layout bLayout, Storage out) {
        KernelClock.Timing t = clock.start();
        real.matmul(a, aLayout, b, bLayout, out);
        done("matmul", Flops.matmul(aLayout, bLayout), t);
    }

    // ---- convolution ----

    @Override
    public void conv2d(Storage x, Storage w, Storage y, ConvGeometry g) {
        KernelClock.Timing t = clock.start();
        real.conv2d(x, w, y, g);
        done("conv2d", Flops.convolution(g), t);
    }

    @Override
    public void conv2dBackwardInput(Storage gy, Storage w, Storage gx, ConvGeometry g) {
        KernelClock.Timing t = clock.start();
        real.conv2dBackwardInput(gy, w, gx, g);
        done("conv2d_backward_input", Flops.convolution(g), t);
    }

    @Override
    public void conv2dBackwardWeight(Storage x, Storage gy, Storage gw, ConvGeometry g) {
        KernelClock.Timing t = clock.start();
        real.conv2dBackwardWeight(x, gy, gw, g);
        done("conv2d_backward_weight", Flops.convolution(g), t);
    }

    // ---- batch norm ----

    @Override
    public void batchNormTraining(Storage x, Storage gamma, Storage beta, Storage runningMean, Storage runningVar,
                                  double momentum, double eps, Storage y, Storage saveMean, Storage saveInvStd,
                                  BatchNormShape s) {
        KernelClock.Timing t = clock.start();
        real.batchNormTraining(x, gamma, beta, runningMean, runningVar, momentum, eps, y, saveMean, saveInvStd, s);
        done("batch_norm_training", Flops.batchNormTraining(s), t);
    }

    @Override
    public void batchNormInference(Storage x, Storage gamma, Storage beta, Storage runningMean, Storage runningVar,
                                   double eps, Storage y, BatchNormShape s) {
        KernelClock.Timing t = clock.start();
        real.batchNormInference(x, gamma, beta, runningMean, runningVar, eps, y, s);
        done("batch_norm_inference", Flops.batchNormInference(s), t);
    }

    @Override
    public void batchNormBackward(Storage x, Storage gy, Storage gamma, Storage saveMean, Storage saveInvStd,
                                  Storage gx, Storage gGamma, Storage gBeta, BatchNormShape s) {
        KernelClock.Timing t = clock.start();
        real.batchNormBackward(x, gy, gamma, saveMean, saveInvStd, gx, gGamma, gBeta, s);
        done("batch_norm_backward", Flops.batchNormBackward(s), t);
    }

    // ---- pooling ----

    @Override
    public void maxPool2d(Storage x, Storage y, Storage argmax, PoolGeometry g) {
        KernelClock.Timing t = clock.start();
        real.maxPool2d(x, y, argmax, g);
        done("max_pool2d", Flops.poolWindows(g), t);
    }

    @Override
    public void maxPool2dBackward(Storage gy, Storage argmax, Storage gx, PoolGeometry g) {
        KernelClock.Timing t = clock.start();
        real.maxPool2dBackward(gy, argmax, gx, g);
        done("max_pool2d_backward", Flops.poolOutputs(g), t);
    }

    @Override
    public void avgPool2d(Storage x, Storage y, PoolGeometry g) {
        KernelClock.Timing t = clock.start();
        real.avgPool2d(x, y, g);
        done("avg_pool2d", Flops.poolWindows(g), t);
    }

    @Override
    public void avgPool2dBackward(Storage gy, Storage gx, PoolGeometry g) {
        KernelClock.Timing t = clock.start();
        real.avgPool2dBackward(gy, gx, g);
        done("avg_pool2d_backward", Flops.poolWindows(g), t);
    }

    private static String[] lowerCaseNames(Enum<?>[] values) {
        String[] names = new String[values.length];
        for (Enum<?> v : values) names[v.ordinal()] = v.name().toLowerCase(Locale.ROOT);
        return names;
    }
}
