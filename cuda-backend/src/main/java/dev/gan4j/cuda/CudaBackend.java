package dev.gan4j.cuda;

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
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * The CUDA backend: matrix products on cuBLAS; convolutions, batch norm and the activations it has on
 * cuDNN; everything else on the NVRTC-compiled kernels of {@link KernelSources}. Everything is issued on
 * one stream of one device, float32 only, from one thread at a time (methods are synchronized).
 *
 * <p>Deterministic mode (tests use it; {@code -Dgan4j.cuda.deterministic=true} turns it on) picks only
 * deterministic cuDNN algorithms and strict float32 instead of TF32. The custom kernels and reductions
 * are deterministic in both modes; cuBLAS stays in float32 in both, as PyTorch's default does.
 */
public final class CudaBackend implements Backend {

    private static final long REDUCE_THREADS = 1 << 16;
    private static final long MIN_CHUNK = 64;

    private final Device device;
    private final CudaDevice gpu;
    private final DeviceAllocator allocator;
    private final Kernels kernels;
    private final CublasGemm gemm;
    private final CudnnConvolution convolution;
    private final CudnnBatchNorm batchNorm;
    private final CudnnActivation activation;
    private final CudaEventClock clock;
    private final String name;

    CudaBackend(Device device, String libraries) {
        this.device = device;
        this.gpu = new CudaDevice(device.index());
        this.allocator = new DeviceAllocator(gpu);
        this.kernels = new Kernels(gpu);
        this.gemm = new CublasGemm(gpu);
        Cudnn cudnn = new Cudnn(gpu);
        this.convolution = new CudnnConvolution(cudnn, allocator);
        this.batchNorm = new CudnnBatchNorm(cudnn);
        this.activation = new CudnnActivation(cudnn);
        this.clock = new CudaEventClock(this, gpu);
        this.name = device + " (" + gpu.name + "; " + libraries + ")";
        setDeterministic(Boolean.getBoolean("gan4j.cuda.deterministic"));
    }

    @Override public String name() { return name; }
    @Override public Device device() { return device; }
    /** Kernels are asynchronous: the profiler times them with events on the stream. */
    @Override public KernelClock clock() { return clock; }

    /** Deterministic cuDNN algorithms without TF32 (true), or cuDNN's fastest choice with TF32 allowed. */
    public synchronized void setDeterministic(boolean deterministic) {
        gpu.makeCurrent();
        convolution.setDeterministic(deterministic);
    }

    /** Waits for all issued work; kernel errors surface here. */
    public synchronized void synchronize() {
        gpu.makeCurrent();
        gpu.synchronize();
    }

    /** Device memory held by live tensors and buffers (rounded to the allocator's block sizes). */
    public synchronized long bytesInUse() {
        return allocator.bytesInUse();
    }

    /** Device memory kept by the caching allocator for reuse. */
    public synchronized long bytesCached() {
        return allocator.bytesCached();
    }

    /** The most device memory held by tensors and buffers at once since start-up or {@link #resetPeak()}. */
    public synchronized long peakBytesInUse() {
        return allocator.peakBytesInUse();
    }

    /** Starts a new {@link #peakBytesInUse()} measurement from now. */
    public synchronized void resetPeak() {
        allocator.resetPeak();
    }

    @Override
    public synchronized AllocatorStats allocatorStats() {
        return allocator.stats();
    }

    /** Returns the allocator's cached blocks, and the convolution workspace, to the driver. */
    public synchronized void emptyCache() {
        gpu.makeCurrent();
        convolution.releaseWorkspace();
        allocator.emptyCache();
    }

    // ---- memory ----

    @Override
    public synchronized Storage allocate(DType dtype, int size) {
        CudaStorage s = newStorage(dtype, size);
        gpu.fillWords(s.pointer(0), 0, size);
        return s;
    }

    /** No memset: a recycled block keeps its old values until the kernel that asked for it overwrites them. */
    @Override
    public synchronized Storage allocateUninitialized(DType dtype, int size) {
        return newStorage(dtype, size);
    }

    private CudaStorage newStorage(DType dtype, int size) {
        if (dtype != DType.F32) {
            throw new IllegalArgumentException("cuda backend: " + dtype + " tensors are not supported on " + device
                    + " (float32 only); keep float64 work on the CPU");
        }
        gpu.makeCurrent();
        return new CudaStorage(device, allocator, allocator.allocate((long) size * Float.BYTES), size);
    }

    @Override
    public synchronized Storage fromHost(float[] data) {
        CudaStorage s = newStorage(DType.F32, data.length);
        gpu.upload(Pointer.to(data), s.pointer(0), (long) data.length * Float.BYTES);
        return s;
    }

    @Override
    public Storage fromHost(double[] data) {
        return newStorage(DType.F64, data.length);
    }

    @Override
    public synchronized void toHost(Storage src, int srcOffset, float[] dst) {
        gpu.makeCurrent();
        gpu.download(of(src).pointer(srcOffset), Pointer.to(dst), (long) dst.length * Float.BYTES);
    }

    @Override
    public void toHost(Storage src, int srcOffset, double[] dst) {
        float[] values = new float[dst.length];
        toHost(src, srcOffset, values);
        for (int i = 0; i < values.length; i++) dst[i] = values[i];
    }

    // ---- data movement ----

    @Override
    public synchronized void copy(Storage src, Layout srcLayout, Storage dst, Layout dstLayout) {
        gpu.makeCurrent();
        long n = dstLayout.numel();
        kernels.launch("copy_f32", n, base(src), base(dst), StridedParams.of(dstLayout, srcLayout), n);
    }

    @Override
    public synchronized void fill(Storage dst, Layout dstLayout, double value) {
        gpu.makeCurrent();
        long n = dstLayout.numel();
        kernels.launch("fill_f32", n, base(dst), (float) value, StridedParams.of(dstLayout), n);
    }

    @Override
    public synchronized void fillRandom(Storage out, int size, Philox.Distribution distribution, long key, long counter,
                                        double a, double b) {
        gpu.makeCurrent();
        kernels.launch("philox_fill", size, base(out), (long) size, distribution.ordinal(), key, counter, a, b);
    }

    @Override
    public synchronized void indexSelect(Storage x, int[] shape, int dim, int[] index, Storage out) {
        indexKernel("index_select", x, shape, dim, index, out, (long) index.length);
    }

    @Override
    public synchronized void indexAdd(Storage src, int[] outShape, int dim, int[] index, Storage out) {
        indexKernel("index_add", src, outShape, dim, index, out, (long) outShape[dim]);
    }

    /** Both index kernels see dense tensors as {@code [outer, dim, inner]}; {@code perOuter} is the output's dim. */
    private void indexKernel(String kernel, Storage in, int[] shape, int dim, int[] index, Storage out, long perOuter) {
        gpu.makeCurrent();
        long outer = product(shape, 0, dim);
        long inner = product(shape, dim + 1, shape.length);
        if (outer * perOuter * inner == 0) return;
        DeviceAllocator.Block indices = allocator.allocate((long) index.length * Integer.BYTES);
        try {
            gpu.upload(Pointer.to(index), indices.pointer(), (long) index.length * Integer.BYTES);
            kernels.launch(kernel, outer * perOuter * inner, base(in), indices.pointer(), base(out), outer, shape[dim],
                    index.length, inner);
        } finally {
            allocator.release(indices);
        }
    }

    // ---- elementwise ----

    @Override
    public synchronized void unary(UnaryOp op, Storage x, Layout xLayout, Storage out, Layout outLayout) {
        gpu.makeCurrent();
        if (CudnnActivation.supports(op) && xLayout.isContiguous() && outLayout.isContiguous()) {
            activation.forward(op, of(x), xLayout.offset(), of(out), outLayout.offset(), outLayout.numel());
            return;
        }
        long n = outLayout.numel();
        kernels.launch("unary_f32", n, op.ordinal(), base(x), base(out), StridedParams.of(outLayout, xLayout), n);
    }

    @Override
    public synchronized void binary(BinaryOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage out,
                                    Layout outLayout) {
        gpu.makeCurrent();
        long n = outLayout.numel();
        kernels.launch("binary_f32", n, op.ordinal(), base(a), base(b), base(out),
                StridedParams.of(outLayout, aLayout, bLayout), n);
    }

    @Override
    public synchronized void where(Storage cond, Layout condLayout, Storage a, Layout aLayout, Storage b, Layout bLayout,
                                   Storage out, Layout outLayout) {
        gpu.makeCurrent();
        long n = outLayout.numel();
        kernels.launch("where_f32", n, base(cond), base(a), base(b), base(out),
                StridedParams.of(outLayout, condLayout, aLayout, bLayout), n);
    }

    // ---- reductions ----

    /**
     * Two passes without atomics: chunks of each output's inputs are folded in parallel (in double), then
     * each output folds its chunks in order. Chunks are sized to keep about {@link #REDUCE_THREADS} threads busy.
     */
    @Override
    public synchronized void reduce(ReduceOp op, Storage x, Layout xLayout, boolean[] reduced, Storage out) {
        gpu.makeCurrent();
        long kept = 1;
        long folded = 1;
        for (int d = 0; d < reduced.length; d++) {
            if (reduced[d]) folded *= xLayout.size(d);
            else kept *= xLayout.size(d);
        }
        if (kept == 0) return;
        long chunks = Math.max(1, Math.min(ceilDiv(REDUCE_THREADS, kept), ceilDiv(folded, MIN_CHUNK)));
        long chunk = Math.max(1, ceilDiv(folded, chunks));
        chunks = Math.max(1, ceilDiv(folded, chunk));
        int[] view = StridedParams.of(StridedParams.keptAxesFirst(xLayout, reduced));
        DeviceAllocator.Block partial = allocator.allocate(kept * chunks * Double.BYTES);
        try {
            kernels.launch("reduce_chunks", kept * chunks, op.ordinal(), op.identity(), base(x), view, kept, folded,
                    chunk, chunks, partial.pointer());
            kernels.launch("reduce_partials", kept, op.ordinal(), op.identity(), partial.pointer(), kept, chunks, base(out));
        } finally {
            allocator.release(partial);
        }
    }

    @Override
    public synchronized void argReduce(ReduceOp op, Storage x, Layout xLayout, int axis, Storage out) {
        gpu.makeCurrent();
        boolean[] last = new boolean[xLayout.rank()];
        last[axis] = true;
        long length = xLayout.size(axis);
        long kept = length == 0 ? 0 : xLayout.numel() / length;
        kernels.launch("arg_reduce", kept, op.ordinal(), base(x), StridedParams.of(StridedParams.keptAxesFirst(xLayout, last)),
                kept, length, base(out));
    }

    // ---- linear algebra, convolution, batch norm ----

    @Override
    public synchronized void matmul(Storage a, Layout aLayout, Storage b, Layout bLayout, Storage out) {
        gpu.makeCurrent();
        gemm.matmul(of(a), aLayout, of(b), bLayout, of(out));
    }

    @Override
    public synchronized void conv2d(Storage x, Storage w, Storage y, ConvGeometry g) {
        gpu.makeCurrent();
        convolution.forward(of(x), of(w), of(y), g);
    }

    @Override
    public synchronized void conv2dBackwardInput(Storage gy, Storage w, Storage gx, ConvGeometry g) {
        gpu.makeCurrent();
        convolution.backwardData(of(gy), of(w), of(gx), g);
    }

    @Override
    public synchronized void conv2dBackwardWeight(Storage x, Storage gy, Storage gw, ConvGeometry g) {
        gpu.makeCurrent();
        if (g.batch() == 0) gpu.fillWords(of(gw).pointer(0), 0, g.weightSize());
        convolution.backwardFilter(of(x), of(gy), of(gw), g);
    }

    @Override
    public synchronized void batchNormTraining(Storage x, Storage gamma, Storage beta, Storage runningMean,
                                               Storage runningVar, double momentum, double eps, Storage y,
                                               Storage saveMean, Storage saveInvStd, BatchNormShape s) {
        gpu.makeCurrent();
        batchNorm.training(of(x), of(gamma), of(beta), runningMean == null ? null : of(runningMean),
                runningVar == null ? null : of(runningVar), momentum, eps, of(y), of(saveMean), of(saveInvStd), s);
    }

    @Override
    public synchronized void batchNormInference(Storage x, Storage gamma, Storage beta, Storage runningMean,
                                                Storage runningVar, double eps, Storage y, BatchNormShape s) {
        gpu.makeCurrent();
        batchNorm.inference(of(x), of(gamma), of(beta), of(runningMean), of(runningVar), eps, of(y), s);
    }

    @Override
    public synchronized void batchNormBackward(Storage x, Storage gy, Storage gamma, Storage saveMean,
                                               Storage saveInvStd, Storage gx, Storage gGamma, Storage gBeta,
                                               BatchNormShape s) {
        gpu.makeCurrent();
        batchNorm.backward(of(x), of(gy), of(gamma), of(saveMean), of(saveInvStd), of(gx), of(gGamma), of(gBeta), s);
    }

    // ---- optimiser updates ----

    @Override
    public synchronized void adamStep(Storage param, Storage grad, Storage expAvg, Storage expAvgSq,
                                      Storage maxExpAvgSq, int size, AdamStep h) {
        gpu.makeCurrent();
        kernels.launch("adam_step_f32", size, base(param), base(grad), base(expAvg), base(expAvgSq),
                baseOrNull(maxExpAvgSq), h.weightDecay() != 0 ? 1 : 0,
                (float) h.weightDecay(), (float) h.beta1(), (float) (1 - h.beta1()), (float) h.beta2(),
                (float) (1 - h.beta2()), (float) h.biasCorrection2Sqrt(), (float) h.eps(), (float) h.stepSize(),
                (long) size);
    }

    @Override
    public synchronized void rmsPropStep(Storage param, Storage grad, Storage squareAvg, Storage gradAvg,
                                         Storage momentumBuffer, int size, RmsPropStep h) {
        gpu.makeCurrent();
        kernels.launch("rmsprop_step_f32", size, base(param), base(grad), base(squareAvg), baseOrNull(gradAvg),
                baseOrNull(momentumBuffer), h.weightDecay() != 0 ? 1 : 0, (float) h.weightDecay(), (float) h.alpha(),
                (float) (1 - h.alpha()), (float) h.eps(), (float) h.momentum(), (float) h.lr(), (long) size);
    }

    // ---- pooling ----

    @Override
    public synchronized void maxPool2d(Storage x, Storage y, Storage argmax, PoolGeometry g) {
        gpu.makeCurrent();
        kernels.launch("max_pool_forward", outputs(g), base(x), base(y), base(argmax), poolShape(g));
    }

    @Override
    public synchronized void maxPool2dBackward(Storage gy, Storage argmax, Storage gx, PoolGeometry g) {
        gpu.makeCurrent();
        kernels.launch("max_pool_backward", inputs(g), base(gy), base(argmax), base(gx), poolShape(g));
    }

    @Override
    public synchronized void avgPool2d(Storage x, Storage y, PoolGeometry g) {
        gpu.makeCurrent();
        kernels.launch("avg_pool_forward", outputs(g), base(x), base(y), poolShape(g));
    }

    @Override
    public synchronized void avgPool2dBackward(Storage gy, Storage gx, PoolGeometry g) {
        gpu.makeCurrent();
        kernels.launch("avg_pool_backward", inputs(g), base(gy), base(gx), poolShape(g));
    }

    // ---- nearest upsampling ----

    @Override
    public synchronized void upsampleNearest(Storage x, Storage y, UpsampleGeometry g) {
        gpu.makeCurrent();
        kernels.launch("upsample_nearest_forward", (long) g.planes() * g.outH() * g.outW(), base(x), base(y),
                upsampleShape(g));
    }

    @Override
    public synchronized void upsampleNearestBackward(Storage gy, Storage gx, UpsampleGeometry g) {
        gpu.makeCurrent();
        kernels.launch("upsample_nearest_backward", (long) g.planes() * g.inH() * g.inW(), base(gy), base(gx),
                upsampleShape(g));
    }

    /** The kernels' {@code UpsampleShape} struct. */
    private static int[] upsampleShape(UpsampleGeometry g) {
        return new int[] {g.planes(), g.inH(), g.inW(), g.scale()};
    }

    /** The kernels' {@code PoolShape} struct. */
    private static int[] poolShape(PoolGeometry g) {
        return new int[] {g.planes(), g.inH(), g.inW(), g.kernelH(), g.kernelW(), g.strideH(), g.strideW(), g.padH(),
                g.padW(), g.outH(), g.outW()};
    }

    private static long outputs(PoolGeometry g) {
        return (long) g.planes() * g.outH() * g.outW();
    }

    private static long inputs(PoolGeometry g) {
        return (long) g.planes() * g.inH() * g.inW();
    }

    // ---- helpers ----

    private CudaStorage of(Storage storage) {
        if (storage instanceof CudaStorage s && s.device().equals(device)) return s;
        throw new IllegalArgumentException("cuda backend: storage on " + storage.device() + " passed to a kernel on "
                + device + "; move tensors with to(Device) first");
    }

    private Pointer base(Storage storage) {
        return of(storage).pointer(0);
    }

    /** A kernel's optional operand: the null device pointer when absent. */
    private Pointer baseOrNull(Storage storage) {
        return storage == null ? new CUdeviceptr() : base(storage);
    }

    private static long product(int[] shape, int from, int to) {
        long p = 1;
        for (int d = from; d < to; d++) p *= shape[d];
        return p;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
