package dev.gan4j.tensor.profile;

import dev.gan4j.tensor.Layout;
import dev.gan4j.tensor.backend.AdamStep;
import dev.gan4j.tensor.backend.BatchNormShape;
import dev.gan4j.tensor.backend.ConvGeometry;
import dev.gan4j.tensor.backend.PoolGeometry;
import dev.gan4j.tensor.backend.RmsPropStep;
import dev.gan4j.tensor.backend.UpsampleGeometry;

/**
 * Floating-point operations of one kernel call, counted from its shapes the usual way: a multiply-add is
 * two, every other arithmetic operation (a comparison, an exp) one. Data movement (copy, fill, transfers,
 * index select) counts none; its time still counts.
 */
final class Flops {

    /** Batch norm per element, from the formulas: mean 1, variance 3 (subtract, square, add), normalise and scale 4. */
    private static final long BATCH_NORM_TRAINING = 8;
    /** {@code (x - mean) * invStd * gamma + beta}. */
    private static final long BATCH_NORM_INFERENCE = 4;
    /** x-hat 2, the two channel sums 3, {@code gamma * invStd * (gy - mean(gy) - xhat * mean(gy * xhat))} 5. */
    private static final long BATCH_NORM_BACKWARD = 10;

    private Flops() {}

    /** One operation per output element: unary, binary and where. */
    static long elementwise(Layout out) {
        return out.numel();
    }

    /** One combine per input element. */
    static long reduction(Layout x) {
        return x.numel();
    }

    /** {@code a [B, M, K] @ b [B, K, N]}: a multiply-add per (batch, row, column, inner) index. */
    static long matmul(Layout a, Layout b) {
        long batch = Math.max(a.size(0), b.size(0));
        return 2 * batch * a.size(1) * a.size(2) * b.size(2);
    }

    /** The forward, input-gradient and weight-gradient kernels all do one multiply-add per (output, tap) pair. */
    static long convolution(ConvGeometry g) {
        return 2L * g.batch() * g.outChannels() * g.outH() * g.outW() * g.inChannels() * g.kernelH() * g.kernelW();
    }

    static long batchNormTraining(BatchNormShape s) {
        return BATCH_NORM_TRAINING * elements(s);
    }

    static long batchNormInference(BatchNormShape s) {
        return BATCH_NORM_INFERENCE * elements(s);
    }

    static long batchNormBackward(BatchNormShape s) {
        return BATCH_NORM_BACKWARD * elements(s);
    }

    /**
     * Adam per element: the two moments 3 and 4, {@code sqrt(v) / c + eps} 3, {@code p - m / denom * lr} 3; weight
     * decay 2 more, AMSGrad's maximum 1.
     */
    static long adamStep(int size, AdamStep h) {
        return (13L + (h.weightDecay() != 0 ? 2 : 0) + (h.amsgrad() ? 1 : 0)) * size;
    }

    /**
     * RMSprop per element: the square average 4, {@code g / (sqrt(ms) + eps)} 3, {@code p - step * lr} 2; weight
     * decay 2 more, centering 5 (the gradient average 3, {@code sq - ga * ga} 2), momentum 2.
     */
    static long rmsPropStep(int size, RmsPropStep h) {
        return (9L + (h.weightDecay() != 0 ? 2 : 0) + (h.centered() ? 5 : 0) + (h.momentum() > 0 ? 2 : 0)) * size;
    }

    /** One add or comparison per (output, window tap) pair; the adjoint of average pooling does the same. */
    static long poolWindows(PoolGeometry g) {
        return (long) g.planes() * g.outH() * g.outW() * g.kernelH() * g.kernelW();
    }

    /** The adjoint of nearest upsampling adds every output gradient into its block's sum once; the forward copies. */
    static long upsampleBlocks(UpsampleGeometry g) {
        return (long) g.planes() * g.outH() * g.outW();
    }

    /** Max pooling's backward adds each output gradient to its winner once. */
    static long poolOutputs(PoolGeometry g) {
        return (long) g.planes() * g.outH() * g.outW();
    }

    /** Index add: one add per source element, the source having {@code indices} slices along {@code dim}. */
    static long indexAdd(int[] outShape, int dim, int indices) {
        return Layout.numel(outShape) / Math.max(outShape[dim], 1) * (long) indices;
    }

    private static long elements(BatchNormShape s) {
        return (long) s.batch() * s.channels() * s.spatial();
    }
}
