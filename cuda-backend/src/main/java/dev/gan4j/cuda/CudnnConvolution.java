package dev.gan4j.cuda;

import dev.gan4j.tensor.backend.ConvGeometry;
import jcuda.Pointer;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnConvolutionBwdDataAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionBwdFilterAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionDescriptor;
import jcuda.jcudnn.cudnnConvolutionFwdAlgoPerf;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnHandle;
import jcuda.jcudnn.cudnnTensorDescriptor;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import static java.lang.System.Logger.Level.DEBUG;
import static jcuda.jcudnn.cudnnConvolutionMode.CUDNN_CROSS_CORRELATION;
import static jcuda.jcudnn.cudnnDataType.CUDNN_DATA_FLOAT;
import static jcuda.jcudnn.cudnnDeterminism.CUDNN_DETERMINISTIC;
import static jcuda.jcudnn.cudnnMathType.CUDNN_DEFAULT_MATH;
import static jcuda.jcudnn.cudnnMathType.CUDNN_FMA_MATH;

/**
 * The three convolution kernels on cuDNN. Per geometry a {@link Plan} holds the descriptors and, per pass,
 * the heuristics' candidates; the first call of a pass runs them in cuDNN's order until one succeeds (a
 * candidate can fail at run time, or its workspace may not fit in memory, as happens on GPUs), and that
 * choice is kept for the geometry and logged once at debug level. Each candidate runs with its own math type
 * set on the convolution descriptor. One workspace buffer grows as needed. Transposed convolutions need
 * nothing extra: their forward pass is backward-data and their weight gradient is backward-filter with x and
 * dy swapped, which the tensor layer arranges.
 */
final class CudnnConvolution {

    private static final System.Logger LOG = System.getLogger(CudnnConvolution.class.getName());

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
        run(p, Pass.FORWARD, (algo, ws, bytes) -> JCudnn.cudnnConvolutionForward(cudnn.handle, Cudnn.ONE, p.x,
                x.pointer(0), p.w, w.pointer(0), p.conv, algo, ws, bytes, Cudnn.ZERO, p.y, y.pointer(0)));
    }

    void backwardData(CudaStorage gy, CudaStorage w, CudaStorage gx, ConvGeometry g) {
        if (g.batch() == 0) return;
        Plan p = plan(g);
        run(p, Pass.BACKWARD_DATA, (algo, ws, bytes) -> JCudnn.cudnnConvolutionBackwardData(cudnn.handle, Cudnn.ONE,
                p.w, w.pointer(0), p.y, gy.pointer(0), p.conv, algo, ws, bytes, Cudnn.ZERO, p.x, gx.pointer(0)));
    }

    /** Overwrites gw; with an empty batch that means zeros, which the caller has already written. */
    void backwardFilter(CudaStorage x, CudaStorage gy, CudaStorage gw, ConvGeometry g) {
        if (g.batch() == 0) return;
        Plan p = plan(g);
        run(p, Pass.BACKWARD_FILTER, (algo, ws, bytes) -> JCudnn.cudnnConvolutionBackwardFilter(cudnn.handle,
                Cudnn.ONE, p.x, x.pointer(0), p.y, gy.pointer(0), p.conv, algo, ws, bytes, Cudnn.ZERO, p.w, gw.pointer(0)));
    }

    /** Returns the workspace to the allocator (it is grown again when next needed). */
    void releaseWorkspace() {
        if (workspace == null) return;
        allocator.release(workspace);
        workspace = null;
    }

    /** One pass run with the given algorithm and workspace; returns cuDNN's status. */
    @FunctionalInterface
    private interface Execution {
        int run(int algo, Pointer workspace, long workspaceBytes);
    }

    /** The algorithm a pass settled on for a geometry, with the math type and workspace it ran with. */
    private record Choice(int algo, int mathType, long workspaceBytes) {}

    private void run(Plan p, Pass pass, Execution execution) {
        Choice chosen = p.chosen.get(pass);
        if (chosen == null) {
            p.chosen.put(pass, choose(p, pass, execution));
            return;
        }
        p.setMathType(chosen.mathType);
        CudaStatus.cudnn(execution.run(chosen.algo, workspace(chosen.workspaceBytes), chosen.workspaceBytes),
                pass.call + " " + p.geometry);
    }

    /** Runs the candidates in cuDNN's order until one succeeds; a candidate fails on its status or its workspace. */
    private Choice choose(Plan p, Pass pass, Execution execution) {
        List<String> failures = new ArrayList<>();
        for (ConvAlgorithm candidate : p.candidates.get(pass)) {
            int math = candidate.mathTypeFor(deterministic);
            p.setMathType(math);
            long bytes = pass.workspaceSize(cudnn.handle, p, candidate.algo());
            Pointer ws;
            try {
                ws = workspace(bytes);
            } catch (CudaOutOfMemoryException e) {
                failures.add("algo " + candidate.algo() + ": no memory for its " + bytes + " B workspace");
                continue;
            }
            int status = execution.run(candidate.algo(), ws, bytes);
            if (status == 0) {
                Choice choice = new Choice(candidate.algo(), math, bytes);
                LOG.log(DEBUG, () -> "cuDNN " + pass.label + " " + p.geometry + ": algo " + choice.algo + ", math type "
                        + choice.mathType + ", workspace " + bytes + " B" + (failures.isEmpty() ? "" : " after " + failures));
                return choice;
            }
            failures.add("algo " + candidate.algo() + ": " + JCudnn.cudnnGetErrorString(status));
        }
        throw new IllegalStateException("cuDNN: no " + (deterministic ? "deterministic " : "") + pass.label
                + " algorithm ran for " + p.geometry + " (workspace limit " + (ConvAlgorithm.WORKSPACE_LIMIT >> 20)
                + " MiB); tried " + failures + " of " + p.ranked.get(pass));
    }

    /** The shared workspace, grown to at least {@code bytes}; a NULL pointer when none is needed. */
    private Pointer workspace(long bytes) {
        if (bytes == 0) return new Pointer();
        if (workspace == null || workspace.bytes() < bytes) {
            releaseWorkspace();
            workspace = allocator.allocate(bytes);
        }
        return workspace.pointer();
    }

    private Plan plan(ConvGeometry g) {
        return plans.computeIfAbsent(g, geometry -> new Plan(cudnn.handle, geometry, deterministic));
    }

    /** Descriptors of one convolution geometry, its heuristics' candidates and choices per pass. */
    private static final class Plan {
        final ConvGeometry geometry;
        final cudnnTensorDescriptor x;
        final cudnnFilterDescriptor w;
        final cudnnTensorDescriptor y;
        final cudnnConvolutionDescriptor conv = new cudnnConvolutionDescriptor();
        final Map<Pass, List<ConvAlgorithm>> ranked = new EnumMap<>(Pass.class);
        final Map<Pass, List<ConvAlgorithm>> candidates = new EnumMap<>(Pass.class);
        final Map<Pass, Choice> chosen = new EnumMap<>(Pass.class);
        private int mathType = -1;

        /** The heuristics are asked with the mode's math type on the descriptor: FMA when strict, else DEFAULT. */
        Plan(cudnnHandle handle, ConvGeometry g, boolean strict) {
            geometry = g;
            x = Cudnn.tensor(g.batch(), g.inChannels(), g.inH(), g.inW());
            w = Cudnn.filter(g.outChannels(), g.inChannels(), g.kernelH(), g.kernelW());
            y = Cudnn.tensor(g.batch(), g.outChannels(), g.outH(), g.outW());
            CudaStatus.cudnn(JCudnn.cudnnCreateConvolutionDescriptor(conv), "cudnnCreateConvolutionDescriptor");
            CudaStatus.cudnn(JCudnn.cudnnSetConvolution2dDescriptor(conv, g.padH(), g.padW(), g.strideH(), g.strideW(),
                    g.dilationH(), g.dilationW(), CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT),
                    "cudnnSetConvolution2dDescriptor " + g);
            setMathType(strict ? CUDNN_FMA_MATH : CUDNN_DEFAULT_MATH);
            for (Pass pass : Pass.values()) {
                List<ConvAlgorithm> all = pass.heuristics(handle, this);
                ranked.put(pass, all);
                candidates.put(pass, ConvAlgorithm.usable(all, strict));
            }
        }

        /** cuDNN picks tensor-core kernels or not from the algorithm and the descriptor's math type together. */
        void setMathType(int type) {
            if (type == mathType) return;
            CudaStatus.cudnn(JCudnn.cudnnSetConvolutionMathType(conv, type), "cudnnSetConvolutionMathType(" + type + ")");
            mathType = type;
        }

        void destroy() {
            JCudnn.cudnnDestroyTensorDescriptor(x);
            JCudnn.cudnnDestroyFilterDescriptor(w);
            JCudnn.cudnnDestroyTensorDescriptor(y);
            JCudnn.cudnnDestroyConvolutionDescriptor(conv);
        }
    }

    /** The three passes' heuristics and workspace queries, with the roles of x, w and y each one takes. */
    private enum Pass {
        FORWARD("forward", "cudnnConvolutionForward") {
            @Override List<ConvAlgorithm> heuristics(cudnnHandle h, Plan p) {
                int max = count(JCudnn::cudnnGetConvolutionForwardAlgorithmMaxCount, h, "ForwardAlgorithmMaxCount");
                cudnnConvolutionFwdAlgoPerf[] perf = new cudnnConvolutionFwdAlgoPerf[max];
                for (int i = 0; i < max; i++) (perf[i] = new cudnnConvolutionFwdAlgoPerf()).mathType = ConvAlgorithm.UNREPORTED;
                int[] found = {0};
                CudaStatus.cudnn(JCudnn.cudnnGetConvolutionForwardAlgorithm_v7(h, p.x, p.w, p.conv, p.y, max, found, perf),
                        "cudnnGetConvolutionForwardAlgorithm_v7 " + p.geometry);
                return ranked(found[0], i -> new ConvAlgorithm(perf[i].algo, perf[i].status, perf[i].memory,
                        perf[i].determinism == CUDNN_DETERMINISTIC, perf[i].mathType));
            }

            @Override long workspaceSize(cudnnHandle h, Plan p, int algo) {
                long[] bytes = {0};
                CudaStatus.cudnn(JCudnn.cudnnGetConvolutionForwardWorkspaceSize(h, p.x, p.w, p.conv, p.y, algo, bytes),
                        "cudnnGetConvolutionForwardWorkspaceSize");
                return bytes[0];
            }
        },
        BACKWARD_DATA("backward-data", "cudnnConvolutionBackwardData") {
            @Override List<ConvAlgorithm> heuristics(cudnnHandle h, Plan p) {
                int max = count(JCudnn::cudnnGetConvolutionBackwardDataAlgorithmMaxCount, h, "BackwardDataAlgorithmMaxCount");
                cudnnConvolutionBwdDataAlgoPerf[] perf = new cudnnConvolutionBwdDataAlgoPerf[max];
                for (int i = 0; i < max; i++) (perf[i] = new cudnnConvolutionBwdDataAlgoPerf()).mathType = ConvAlgorithm.UNREPORTED;
                int[] found = {0};
                CudaStatus.cudnn(JCudnn.cudnnGetConvolutionBackwardDataAlgorithm_v7(h, p.w, p.y, p.conv, p.x, max, found,
                        perf), "cudnnGetConvolutionBackwardDataAlgorithm_v7 " + p.geometry);
                return ranked(found[0], i -> new ConvAlgorithm(perf[i].algo, perf[i].status, perf[i].memory,
                        perf[i].determinism == CUDNN_DETERMINISTIC, perf[i].mathType));
            }

            @Override long workspaceSize(cudnnHandle h, Plan p, int algo) {
                long[] bytes = {0};
                CudaStatus.cudnn(JCudnn.cudnnGetConvolutionBackwardDataWorkspaceSize(h, p.w, p.y, p.conv, p.x, algo, bytes),
                        "cudnnGetConvolutionBackwardDataWorkspaceSize");
                return bytes[0];
            }
        },
        BACKWARD_FILTER("backward-filter", "cudnnConvolutionBackwardFilter") {
            @Override List<ConvAlgorithm> heuristics(cudnnHandle h, Plan p) {
                int max = count(JCudnn::cudnnGetConvolutionBackwardFilterAlgorithmMaxCount, h, "BackwardFilterAlgorithmMaxCount");
                cudnnConvolutionBwdFilterAlgoPerf[] perf = new cudnnConvolutionBwdFilterAlgoPerf[max];
                for (int i = 0; i < max; i++) (perf[i] = new cudnnConvolutionBwdFilterAlgoPerf()).mathType = ConvAlgorithm.UNREPORTED;
                int[] found = {0};
                CudaStatus.cudnn(JCudnn.cudnnGetConvolutionBackwardFilterAlgorithm_v7(h, p.x, p.y, p.conv, p.w, max, found,
                        perf), "cudnnGetConvolutionBackwardFilterAlgorithm_v7 " + p.geometry);
                return ranked(found[0], i -> new ConvAlgorithm(perf[i].algo, perf[i].status, perf[i].memory,
                        perf[i].determinism == CUDNN_DETERMINISTIC, perf[i].mathType));
            }

            @Override long workspaceSize(cudnnHandle h, Plan p, int algo) {
                long[] bytes = {0};
                CudaStatus.cudnn(JCudnn.cudnnGetConvolutionBackwardFilterWorkspaceSize(h, p.x, p.y, p.conv, p.w, algo,
                        bytes), "cudnnGetConvolutionBackwardFilterWorkspaceSize");
                return bytes[0];
            }
        };

        final String label;
        final String call;

        Pass(String label, String call) {
            this.label = label;
            this.call = call;
        }

        /** The {@code _v7} candidates, best first, with {@link ConvAlgorithm#UNREPORTED} math types JCuda left alone. */
        abstract List<ConvAlgorithm> heuristics(cudnnHandle h, Plan p);

        /** The workspace {@code algo} needs with the descriptor's current math type. */
        abstract long workspaceSize(cudnnHandle h, Plan p, int algo);

        private interface CountQuery {
            int run(cudnnHandle h, int[] count);
        }

        private static int count(CountQuery query, cudnnHandle h, String what) {
            int[] max = {0};
            CudaStatus.cudnn(query.run(h, max), "cudnnGetConvolution" + what);
            return max[0];
        }

        /** The first {@code found} results of a heuristics query, as candidates in cuDNN's order. */
        private static List<ConvAlgorithm> ranked(int found, IntFunction<ConvAlgorithm> candidate) {
            List<ConvAlgorithm> ranked = new ArrayList<>();
            for (int i = 0; i < found; i++) ranked.add(candidate.apply(i));
            return ranked;
        }
    }
}
