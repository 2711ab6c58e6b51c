package dev.gan4j.tensor.profile;

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
import dev.gan4j.tensor.backend.KernelClock;
import dev.gan4j.tensor.backend.PoolGeometry;
import dev.gan4j.tensor.backend.ReduceOp;
import dev.gan4j.tensor.backend.RmsPropStep;
import dev.gan4j.tensor.backend.UnaryOp;
import dev.gan4j.tensor.backend.UpsampleGeometry;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A {@link Backend} that passes every call to the real one and reports it to a {@link Profiler}: the
 * kernel's name, its FLOPs (from the call's shapes, see {@link Flops}) and its duration on the real
 * backend's {@link KernelClock}.
 */
final class ProfilingBackend implements Backend {

    private static final String[] REDUCE = lowerCaseNames(ReduceOp.values());
    private static final String[] ARG_REDUCE = Arrays.stream(REDUCE).map(n -> "arg" + n).toArray(String[]::new);

    private final Backend real;
    private final String device;
    private final KernelClock clock;
    private final Profiler profiler;
    /** The real backend's allocator counters when the current recording started. */
    private AllocatorStats allocatorAtStart;

    ProfilingBackend(Backend real, Profiler profiler) {
        this.real = real;
        this.device = real.device().toString();
        this.clock = real.clock();
        this.profiler = profiler;
        this.allocatorAtStart = real.allocatorStats();
    }

    /** Called when a recording starts: its allocations are counted from here. */
    void markRecordingStart() {
        allocatorAtStart = real.allocatorStats();
    }

    /** The allocations of the recording that is ending: cache hits, misses, and the bytes cached now. */
    AllocatorStats allocatorDuringRecording() {
        return real.allocatorStats().since(allocatorAtStart);
    }

    String deviceName() {
        return device;
    }

    /** Times one call of a kernel that counts {@code flops} operations. */
    private void timed(String op, long flops, Runnable kernel) {
        KernelClock.Timing timing = clock.start();
        kernel.run();
        timing.stop();
        profiler.record(device, op, flops, timing);
    }

    /** Times one allocating call. */
    private Storage timed(String op, Supplier<Storage> allocation) {
        KernelClock.Timing timing = clock.start();
        Storage storage = allocation.get();
        timing.stop();
        profiler.record(device, op, 0, timing);
        return storage;
    }

    @Override public String name() { return real.name(); }
    @Override public Device device() { return real.device(); }
    @Override public KernelClock clock() { return clock; }

    // ---- memory ----

    @Override
    public Storage allocate(DType dtype, int size) {
        return timed("allocate", () -> real.allocate(dtype, size));
    }

    @Override
    public Storage allocateUninitialized(DType dtype, int size) {
        return timed("allocate", () -> real.allocateUninitialized(dtype, size));
    }

    @Override
    public AllocatorStats allocatorStats() {
        return real.allocatorStats();
    }

    @Override
    public Storage fromHost(float[] data) {
        return timed("from_host", () -> real.fromHost(data));
    }

    @Override
    public Storage fromHost(double[] data) {
        return timed("from_host", () -> real.fromHost(data));
    }

    @Override
    public void toHost(Storage src, int srcOffset, float[] dst) {
        timed("to_host", 0, () -> real.toHost(src, srcOffset, dst));
    }

    @Override
    public void toHost(Storage src, int srcOffset, double[] dst) {
        timed("to_host", 0, () -> real.toHost(src, srcOffset, dst));
    }

    // ---- data movement ----

    @Override
    public void copy(Storage src, Layout srcLayout, Storage dst, Layout dstLayout) {
        timed("copy", 0, () -> real.copy(src, srcLayout, dst, dstLayout));
    }

    @Override
    public void fill(Storage dst, Layout dstLayout, double value) {
        timed("fill", 0, () -> real.fill(dst, dstLayout, value));
    }

    @Override
    public void fillRandom(Storage out, int size, Philox.Distribution distribution, long key, long counter,
                           double a, double b) {
        timed("fill_random", 0, () -> real.fillRandom(out, size, distribution, key, counter, a, b));
    }

    @Override
    public void indexSelect(Storage x, int[] shape, int dim, int[] index, Storage out) {
        timed("index_select", 0, () -> real.indexSelect(x, shape, dim, index, out));
    }

    @Override
    public void indexAdd(Storage src, int[] outShape, int dim, int[] index, Storage out) {
        timed("index_add", Flops.indexAdd(outShape, dim, index.length), () -> real.indexAdd(src, outShape, dim, index, out));
    }

    // ---- elementwise ----

    @Override
    public void unary(UnaryOp op, Storage x, Layout xLayout, Storage out, Layout outLayout) {
        timed(op.opName(), Flops.elementwise(outLayout), () -> real.unary(op, x, xLayout, out, outLayout));
    }

    @Override
    public void binary(BinaryOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage out,
                       Layout outLayout) {
        timed(op.opName(), Flops.elementwise(outLayout), () -> real.binary(op, a, aLayout, b, bLayout, out, outLayout));
    }

    @Override
    public void where(Storage cond, Layout condLayout, Storage a, Layout aLayout, Storage b, Layout bLayout,
                      Storage out, Layout outLayout) {
        timed("where", Flops.elementwise(outLayout), () -> real.where(cond, condLayout, a, aLayout, b, bLayout, out, outLayout));
    }

    // ---- reductions ----

    @Override
    public void reduce(ReduceOp op, Storage x, Layout xLayout, boolean[] reduced, Storage out) {
        timed(REDUCE[op.ordinal()], Flops.reduction(xLayout), () -> real.reduce(op, x, xLayout, reduced, out));
    }

    @Override
    public void argReduce(ReduceOp op, Storage x, Layout xLayout, int axis, Storage out) {
        timed(ARG_REDUCE[op.ordinal()], Flops.reduction(xLayout), () -> real.argReduce(op, x, xLayout, axis, out));
    }

    // ---- linear algebra ----

    @Override
    public void matmul(Storage a, Layout aLayout, Storage b, Layout bLayout, Storage out) {
        timed("matmul", Flops.matmul(aLayout, bLayout), () -> real.matmul(a, aLayout, b, bLayout, out));
    }

    // ---- convolution ----

    @Override
    public void conv2d(Storage x, Storage w, Storage y, ConvGeometry g) {
        timed("conv2d", Flops.convolution(g), () -> real.conv2d(x, w, y, g));
    }

    @Override
    public void conv2dBackwardInput(Storage gy, Storage w, Storage gx, ConvGeometry g) {
        timed("conv2d_backward_input", Flops.convolution(g), () -> real.conv2dBackwardInput(gy, w, gx, g));
    }

    @Override
    public void conv2dBackwardWeight(Storage x, Storage gy, Storage gw, ConvGeometry g) {
        timed("conv2d_backward_weight", Flops.convolution(g), () -> real.conv2dBackwardWeight(x, gy, gw, g));
    }

    // ---- batch norm ----

    @Override
    public void batchNormTraining(Storage x, Storage gamma, Storage beta, Storage runningMean, Storage runningVar,
                                  double momentum, double eps, Storage y, Storage saveMean, Storage saveInvStd,
                                  BatchNormShape s) {
        timed("batch_norm_training", Flops.batchNormTraining(s), () -> real.batchNormTraining(x, gamma, beta,
                runningMean, runningVar, momentum, eps, y, saveMean, saveInvStd, s));
    }

    @Override
    public void batchNormInference(Storage x, Storage gamma, Storage beta, Storage runningMean, Storage runningVar,
                                   double eps, Storage y, BatchNormShape s) {
        timed("batch_norm_inference", Flops.batchNormInference(s),
                () -> real.batchNormInference(x, gamma, beta, runningMean, runningVar, eps, y, s));
    }

    @Override
    public void batchNormBackward(Storage x, Storage gy, Storage gamma, Storage saveMean, Storage saveInvStd,
                                  Storage gx, Storage gGamma, Storage gBeta, BatchNormShape s) {
        timed("batch_norm_backward", Flops.batchNormBackward(s),
                () -> real.batchNormBackward(x, gy, gamma, saveMean, saveInvStd, gx, gGamma, gBeta, s));
    }

    // ---- optimiser updates ----

    @Override
    public void adamStep(Storage param, Storage grad, Storage expAvg, Storage expAvgSq, Storage maxExpAvgSq, int size,
                         AdamStep h) {
        timed("adam_step", Flops.adamStep(size, h),
                () -> real.adamStep(param, grad, expAvg, expAvgSq, maxExpAvgSq, size, h));
    }

    @Override
    public void rmsPropStep(Storage param, Storage grad, Storage squareAvg, Storage gradAvg, Storage momentumBuffer,
                            int size, RmsPropStep h) {
        timed("rmsprop_step", Flops.rmsPropStep(size, h),
                () -> real.rmsPropStep(param, grad, squareAvg, gradAvg, momentumBuffer, size, h));
    }

    // ---- pooling ----

    @Override
    public void maxPool2d(Storage x, Storage y, Storage argmax, PoolGeometry g) {
        timed("max_pool2d", Flops.poolWindows(g), () -> real.maxPool2d(x, y, argmax, g));
    }

    @Override
    public void maxPool2dBackward(Storage gy, Storage argmax, Storage gx, PoolGeometry g) {
        timed("max_pool2d_backward", Flops.poolOutputs(g), () -> real.maxPool2dBackward(gy, argmax, gx, g));
    }

    @Override
    public void avgPool2d(Storage x, Storage y, PoolGeometry g) {
        timed("avg_pool2d", Flops.poolWindows(g), () -> real.avgPool2d(x, y, g));
    }

    @Override
    public void avgPool2dBackward(Storage gy, Storage gx, PoolGeometry g) {
        timed("avg_pool2d_backward", Flops.poolWindows(g), () -> real.avgPool2dBackward(gy, gx, g));
    }

    // ---- nearest upsampling ----

    @Override
    public void upsampleNearest(Storage x, Storage y, UpsampleGeometry g) {
        timed("upsample_nearest", 0, () -> real.upsampleNearest(x, y, g));
    }

    @Override
    public void upsampleNearestBackward(Storage gy, Storage gx, UpsampleGeometry g) {
        timed("upsample_nearest_backward", Flops.upsampleBlocks(g), () -> real.upsampleNearestBackward(gy, gx, g));
    }

    private static String[] lowerCaseNames(Enum<?>[] values) {
        String[] names = new String[values.length];
        for (Enum<?> v : values) names[v.ordinal()] = v.name().toLowerCase(Locale.ROOT);
        return names;
    }
}
