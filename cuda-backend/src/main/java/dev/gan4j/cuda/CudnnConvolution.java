package dev.gan4j.cuda;

import dev.gan4j.tensor.backend.ConvGeometry;
import jcuda.Pointer;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnConvolutionBwdDataAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionBwdFilterAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionDescriptor;
import jcuda.jcudnn.cudnnConvolutionFwdAlgoPerf;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnTensorDescriptor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import static jcuda.jcudnn.cudnnConvolutionMode.CUDNN_CROSS_CORRELATION;
import static jcuda.jcudnn.cudnnDataType.CUDNN_DATA_FLOAT;
import static jcuda.jcudnn.cudnnDeterminism.CUDNN_DETERMINISTIC;
import static jcuda.jcudnn.cudnnMathType.CUDNN_DEFAULT_MATH;
import static jcuda.jcudnn.cudnnMathType.CUDNN_FMA_MATH;

/**
 * The three convolution kernels on cuDNN. Per geometry a {@link Plan} holds the descriptors and the
 * algorithm and workspace size of each pass, chosen once by cuDNN's heuristics; one workspace buffer
 * grows as needed. Transposed convolutions need nothing extra: their forward pass is backward-data and
 * their weight gradient is backward-filter with x and dy swapped, which the tensor layer arranges.
 */
final class CudnnConvolution {

    private final Cudnn cudnn;
    private final DeviceAllocator allocator;
    private final Map<ConvGeometry, Plan> plans = new HashMap<>();
    private boolean deterministic;
    private DeviceAllocator.Block workspace;

    CudnnConvolution(Cudnn cudnn, DeviceAllocator allocator) {
        this.cudnn = cudnn;
        this.allocator = allocator;
    }

    /** Deterministic algorithms and strict float32 (no TF32), or cuDNN's fastest choice. Replans. */
    void setDeterministic(boolean deterministic) {
        this.deterministic = deterministic;
        plans.values().forEach(Plan::destroy);
        plans.clear();
    }

    void forward(CudaStorage x, CudaStorage w, CudaStorage y, ConvGeometry g) {
        if (g.batch() == 0) return;
        Plan p = plan(g);
        CudaStatus.cudnn(JCudnn.cudnnConvolutionForward(cudnn.handle, Cudnn.ONE, p.x, x.pointer(0), p.w, w.pointer(0),
                p.conv, p.forwardAlgo, workspace(p.forwardBytes), p.forwardBytes, Cudnn.ZERO, p.y, y.pointer(0)),
                "cudnnConvolutionForward " + g);
    }

    void backwardData(CudaStorage gy, CudaStorage w, CudaStorage gx, ConvGeometry g) {
        if (g.batch() == 0) return;
        Plan p = plan(g);
        CudaStatus.cudnn(JCudnn.cudnnConvolutionBackwardData(cudnn.handle, Cudnn.ONE, p.w, w.pointer(0), p.y, gy.pointer(0),
                p.conv, p.dataAlgo, workspace(p.dataBytes), p.dataBytes, Cudnn.ZERO, p.x, gx.pointer(0)),
                "cudnnConvolutionBackwardData " + g);
    }

    /** Overwrites gw; with an empty batch that means zeros, which the caller has already written. */
    void backwardFilter(CudaStorage x, CudaStorage gy, CudaStorage gw, ConvGeometry g) {
        if (g.batch() == 0) return;
        Plan p = plan(g);
        CudaStatus.cudnn(JCudnn.cudnnConvolutionBackwardFilter(cudnn.handle, Cudnn.ONE, p.x, x.pointer(0), p.y, gy.pointer(0),
                p.conv, p.filterAlgo, workspace(p.filterBytes), p.filterBytes, Cudnn.ZERO, p.w, gw.pointer(0)),
                "cudnnConvolutionBackwardFilter " + g);
    }

    /** The shared workspace, grown to at least {@code bytes}; a NULL pointer when none is needed. */
    private Pointer workspace(long bytes) {
        if (bytes == 0) return new Pointer();
        if (workspace == null || workspace.bytes() < bytes) {
            if (workspace != null) allocator.release(workspace);
            workspace = allocator.allocate(bytes);
        }
        return workspace.pointer();
    }

    private Plan plan(ConvGeometry g) {
        return plans.computeIfAbsent(g, this::newPlan);
    }

    /** Descriptors, algorithms and workspace sizes of one convolution geometry. */
    private static final class Plan {
        final cudnnTensorDescriptor x;
        final cudnnFilterDescriptor w;
        final cudnnTensorDescriptor y;
        final cudnnConvolutionDescriptor conv = new cudnnConvolutionDescriptor();
        int forwardAlgo;
        int dataAlgo;
        int filterAlgo;
        long forwardBytes;
        long dataBytes;
        long filterBytes;

        Plan(ConvGeometry g, boolean deterministic) {
            x = Cudnn.tensor(g.batch(), g.inChannels(), g.inH(), g.inW());
            w = Cudnn.filter(g.outChannels(), g.inChannels(), g.kernelH(), g.kernelW());
            y = Cudnn.tensor(g.batch(), g.outChannels(), g.outH(), g.outW());
            CudaStatus.cudnn(JCudnn.cudnnCreateConvolutionDescriptor(conv), "cudnnCreateConvolutionDescriptor");
            CudaStatus.cudnn(JCudnn.cudnnSetConvolution2dDescriptor(conv, g.padH(), g.padW(), g.strideH(), g.strideW(),
                    g.dilationH(), g.dilationW(), CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT),
                    "cudnnSetConvolution2dDescriptor " + g);
            CudaStatus.cudnn(JCudnn.cudnnSetConvolutionMathType(conv, deterministic ? CUDNN_FMA_MATH : CUDNN_DEFAULT_MATH),
                    "cudnnSetConvolutionMathType");
        }

        void destroy() {
            JCudnn.cudnnDestroyTensorDescriptor(x);
            JCudnn.cudnnDestroyFilterDescriptor(w);
            JCudnn.cudnnDestroyTensorDescriptor(y);
            JCudnn.cudnnDestroyConvolutionDescriptor(conv);
        }
    }

    private Plan newPlan(ConvGeometry g) {
        Plan p = new Plan(g, deterministic);
        int[] max = {0};
        int[] found = {0};
        long[] bytes = {0};

        CudaStatus.cudnn(JCudnn.cudnnGetConvolutionForwardAlgorithmMaxCount(cudnn.handle, max), "cudnnGetConvolutionForwardAlgorithmMaxCount");
        cudnnConvolutionFwdAlgoPerf[] fwd = new cudnnConvolutionFwdAlgoPerf[max[0]];
        CudaStatus.cudnn(JCudnn.cudnnGetConvolutionForwardAlgorithm_v7(cudnn.handle, p.x, p.w, p.conv, p.y, max[0], found, fwd),
                "cudnnGetConvolutionForwardAlgorithm_v7 " + g);
        p.forwardAlgo = ConvAlgorithm.choose("forward", ranked(found[0],
                i -> new ConvAlgorithm(fwd[i].algo, fwd[i].status, fwd[i].memory, fwd[i].determinism == CUDNN_DETERMINISTIC)),
                deterministic);
        CudaStatus.cudnn(JCudnn.cudnnGetConvolutionForwardWorkspaceSize(cudnn.handle, p.x, p.w, p.conv, p.y, p.forwardAlgo, bytes),
                "cudnnGetConvolutionForwardWorkspaceSize");
        p.forwardBytes = bytes[0];

        CudaStatus.cudnn(JCudnn.cudnnGetConvolutionBackwardDataAlgorithmMaxCount(cudnn.handle, max), "cudnnGetConvolutionBackwardDataAlgorithmMaxCount");
        cudnnConvolutionBwdDataAlgoPerf[] data = new cudnnConvolutionBwdDataAlgoPerf[max[0]];
        CudaStatus.cudnn(JCudnn.cudnnGetConvolutionBackwardDataAlgorithm_v7(cudnn.handle, p.w, p.y, p.conv, p.x, max[0], found, data),
                "cudnnGetConvolutionBackwardDataAlgorithm_v7 " + g);
        p.dataAlgo = ConvAlgorithm.choose("backward-data", ranked(found[0],
                i -> new ConvAlgorithm(data[i].algo, data[i].status, data[i].memory, data[i].determinism == CUDNN_DETERMINISTIC)),
                deterministic);
        CudaStatus.cudnn(JCudnn.cudnnGetConvolutionBackwardDataWorkspaceSize(cudnn.handle, p.w, p.y, p.conv, p.x, p.dataAlgo, bytes),
                "cudnnGetConvolutionBackwardDataWorkspaceSize");
        p.dataBytes = bytes[0];

        CudaStatus.cudnn(JCudnn.cudnnGetConvolutionBackwardFilterAlgorithmMaxCount(cudnn.handle, max), "cudnnGetConvolutionBackwardFilterAlgorithmMaxCount");
        cudnnConvolutionBwdFilterAlgoPerf[] filter = new cudnnConvolutionBwdFilterAlgoPerf[max[0]];
        CudaStatus.cudnn(JCudnn.cudnnGetConvolutionBackwardFilterAlgorithm_v7(cudnn.handle, p.x, p.y, p.conv, p.w, max[0], found, filter),
                "cudnnGetConvolutionBackwardFilterAlgorithm_v7 " + g);
        p.filterAlgo = ConvAlgorithm.choose("backward-filter", ranked(found[0],
                i -> new ConvAlgorithm(filter[i].algo, filter[i].status, filter[i].memory,
                        filter[i].determinism == CUDNN_DETERMINISTIC)), deterministic);
        CudaStatus.cudnn(JCudnn.cudnnGetConvolutionBackwardFilterWorkspaceSize(cudnn.handle, p.x, p.y, p.conv, p.w, p.filterAlgo, bytes),
                "cudnnGetConvolutionBackwardFilterWorkspaceSize");
        p.filterBytes = bytes[0];
        return p;
    }

    /** The first {@code found} results of a heuristics query, as candidates in cuDNN's order. */
    private static List<ConvAlgorithm> ranked(int found, IntFunction<ConvAlgorithm> candidate) {
        List<ConvAlgorithm> ranked = new ArrayList<>();
        for (int i = 0; i < found; i++) ranked.add(candidate.apply(i));
        return ranked;
    }
}
