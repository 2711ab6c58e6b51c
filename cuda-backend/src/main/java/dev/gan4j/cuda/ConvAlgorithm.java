package dev.gan4j.cuda;

import java.util.List;

import static jcuda.jcudnn.cudnnMathType.CUDNN_DEFAULT_MATH;
import static jcuda.jcudnn.cudnnMathType.CUDNN_FMA_MATH;

/**
 * One candidate of cuDNN's algorithm heuristics ({@code cudnnGet*Algorithm_v7}), in the order cuDNN ranks
 * them, and the rules for trying it: whether it may be tried at all, and the math type to run it with.
 *
 * <p>JCuda 12.6 copies {@code mathType} back only for backward-filter results; for forward and backward-data
 * it leaves the Java field as it was, so the query pre-sets it to {@link #UNREPORTED} and the candidate then
 * runs with the mode's own math type.
 */
record ConvAlgorithm(int algo, int status, long workspace, boolean deterministic, int mathType) {

    static final long WORKSPACE_LIMIT = 1L << 30;
    static final int UNREPORTED = -1;

    /** The candidates worth trying, best first: ran the query successfully, fit the limit, deterministic if asked. */
    static List<ConvAlgorithm> usable(List<ConvAlgorithm> ranked, boolean strict) {
        return ranked.stream()
                .filter(a -> a.status == 0 && a.workspace <= WORKSPACE_LIMIT && (a.deterministic || !strict))
                .toList();
    }

    /** Strict float32 always runs FMA kernels (no TF32), whatever cuDNN proposed; otherwise the candidate's own. */
    int mathTypeFor(boolean strict) {
        if (strict) return CUDNN_FMA_MATH;
        return mathType == UNREPORTED ? CUDNN_DEFAULT_MATH : mathType;
    }

    @Override
    public String toString() {
        return "algo " + algo + (status == 0 ? "" : " (status " + status + ")") + ", workspace " + workspace
                + " B" + (deterministic ? ", deterministic" : "") + (mathType == UNREPORTED ? "" : ", math " + mathType);
    }
}
