package dev.gan4j.tensor.backend;

import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Layout;
import dev.gan4j.tensor.Philox;
import dev.gan4j.tensor.Storage;

/**
 * The one list of kernels. The tensor layer ({@code Tensor}) checks shapes, allocates outputs and
 * calls exactly one of these per op; a backend only computes. Adding an op means adding a method
 * here, implementing it in every backend, and giving it an autograd rule.
 *
 * <p>Conventions. Storages passed to one call all belong to this backend's device and share one
 * dtype. Inputs described by a {@link Layout} may be any strided view (stride 0 = broadcast);
 * arguments without a layout are <em>dense</em>: row-major, starting at element 0. An output with a
 * layout is written through it (so ops can write into views, in place); outputs without one are
 * dense and fully overwritten unless the method says it accumulates.
 */
public interface Backend {

    /** A short name for messages, e.g. {@code cpu} or {@code cuda (cuBLAS 12.6, cuDNN 9.5)}. */
    String name();

    Device device();

    /** How the profiler times this backend's kernels; the host clock unless kernels run asynchronously. */
    default KernelClock clock() {
        return KernelClock.HOST;
    }

    // ---- memory ----

    /** A zero-filled storage. */
    Storage allocate(DType dtype, int size);

    /**
     * A storage whose contents are undefined (a recycled buffer may hold old values): for outputs that a
     * kernel overwrites entirely, so a cache hit costs no zero-fill.
     */
    default Storage allocateUninitialized(DType dtype, int size) {
        return allocate(dtype, size);
    }

    /** How this backend's buffer cache has done so far (released storages come back to it). */
    default AllocatorStats allocatorStats() {
        return AllocatorStats.NONE;
    }

    Storage fromHost(float[] data);

    Storage fromHost(double[] data);

    /** Copies {@code dst.length} elements starting at {@code srcOffset} to the host, converting to float. */
    void toHost(Storage src, int srcOffset, float[] dst);

    void toHost(Storage src, int srcOffset, double[] dst);

    // ---- data movement ----

    /** {@code dst[i] = src[i]} for every index of the (equal) shapes; converts between dtypes. */
    void copy(Storage src, Layout srcLayout, Storage dst, Layout dstLayout);

    void fill(Storage dst, Layout dstLayout, double value);

    /**
     * {@code out[i] = Philox.value(distribution, key, counter, i, a, b)} for {@code i < size}, out dense: uniform
     * in {@code [a, b)} or normal with mean {@code a} and standard deviation {@code b}; the same numbers on every backend.
     */
    void fillRandom(Storage out, int size, Philox.Distribution distribution, long key, long counter, double a, double b);

    /** {@code out = x.select(dim, index[i])} stacked along {@code dim}; x dense with shape {@code shape}. */
    void indexSelect(Storage x, int[] shape, int dim, int[] index, Storage out);

    /** The adjoint of {@link #indexSelect}: {@code out.select(dim, index[i]) += src.select(dim, i)}; out dense with shape {@code outShape}. */
    void indexAdd(Storage src, int[] outShape, int dim, int[] index, Storage out);

    // ---- elementwise (every layout has the output's shape; inputs may broadcast through stride 0) ----

    void unary(UnaryOp op, Storage x, Layout xLayout, Storage out, Layout outLayout);

    void binary(BinaryOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage out, Layout outLayout);

    /** {@code out = cond != 0 ? a : b}. */
    void where(Storage cond, Layout condLayout, Storage a, Layout aLayout, Storage b, Layout bLayout,
               Storage out, Layout outLayout);

    // ---- reductions ----

    /** Reduces the axes marked in {@code reduced}; out is dense with x's shape, size 1 on reduced axes. */
    void reduce(ReduceOp op, Storage x, Layout xLayout, boolean[] reduced, Storage out);

    /** Index (as a number) of the first MAX or MIN along {@code axis}; out dense, size 1 on that axis. */
    void argReduce(ReduceOp op, Storage x, Layout xLayout, int axis, Storage out);

    // ---- linear algebra ----

    /**
     * Batched matrix product {@code out[b] = a[b] @ bMat[b]} for rank-3 layouts {@code a [B, M, K]} and
     * {@code bMat [B, K, N]}; each has unit stride in one of its last two dims (plain or transposed)
     * and a leading stride at least the size of that dim (never 0 unless the other dim has size 1),
     * any batch stride (0 = shared). out is dense {@code [B, M, N]}.
     */
    void matmul(Storage a, Layout aLayout, Storage b, Layout bLayout, Storage out);

    // ---- convolution (dense NCHW, see ConvGeometry) ----

    void conv2d(Storage x, Storage w, Storage y, ConvGeometry g);

    /** The input gradient of conv2d, which is also the forward pass of conv_transpose2d. */
    void conv2dBackwardInput(Storage gy, Storage w, Storage gx, ConvGeometry g);

    void conv2dBackwardWeight(Storage x, Storage gy, Storage gw, ConvGeometry g);

    // ---- batch norm (dense [N, C, S], see BatchNormShape) ----

    /**
     * Normalises with the batch's statistics: {@code y = (x - mean) * invStd * gamma + beta}, and
     * saves {@code mean} and {@code invStd = 1/sqrt(var + eps)} (biased var) per channel. When
     * {@code runningMean} is not null, updates the running stats in place with PyTorch's meaning of
     * momentum: {@code running = (1 - momentum) * running + momentum * batchStat}, using the unbiased
     * variance for {@code runningVar}.
     */
    void batchNormTraining(Storage x, Storage gamma, Storage beta, Storage runningMean, Storage runningVar,
                           double momentum, double eps, Storage y, Storage saveMean, Storage saveInvStd,
                           BatchNormShape s);

    /** {@code y = (x - runningMean) / sqrt(runningVar + eps) * gamma + beta}. */
    void batchNormInference(Storage x, Storage gamma, Storage beta, Storage runningMean, Storage runningVar,
                            double eps, Storage y, BatchNormShape s);

    /** Gradients of {@link #batchNormTraining}'s y with respect to x, gamma and beta. */
    void batchNormBackward(Storage x, Storage gy, Storage gamma, Storage saveMean, Storage saveInvStd,
                           Storage gx, Storage gGamma, Storage gBeta, BatchNormShape s);

    // ---- optimiser updates (dense, in place) ----

    /**
     * One Adam update of {@code size} elements, in place: with {@code g = grad + weightDecay * param},
     * {@code expAvg = expAvg * beta1 + g * (1 - beta1)}, {@code expAvgSq = expAvgSq * beta2 + (g * g) * (1 - beta2)},
     * with AMSGrad {@code maxExpAvgSq = max(maxExpAvgSq, expAvgSq)} (else null) taking expAvgSq's place below,
     * {@code param = param - expAvg / (sqrt(expAvgSq) / biasCorrection2Sqrt + eps) * stepSize}. Each operation
     * rounds to the storage's precision, in this order, with every scalar first rounded to it: the same bits
     * as that chain of elementwise ops, with one pass over memory instead of thirteen.
     */
    void adamStep(Storage param, Storage grad, Storage expAvg, Storage expAvgSq, Storage maxExpAvgSq, int size,
                  AdamStep h);

    /**
     * One RMSprop update of {@code size} elements, in place, each operation rounded like {@link #adamStep}'s:
     * with {@code g = grad + weightDecay * param}, {@code squareAvg = squareAvg * alpha + (g * g) * (1 - alpha)};
     * centered, {@code gradAvg = gradAvg * alpha + g * (1 - alpha)} (else null) and the mean square is
     * {@code squareAvg - gradAvg * gradAvg}, else squareAvg; {@code avg = sqrt(meanSquare) + eps}; with momentum,
     * {@code momentumBuffer = momentumBuffer * momentum + g / avg} (else null) and
     * {@code param = param - momentumBuffer * lr}, else {@code param = param - (g / avg) * lr}.
     */
    void rmsPropStep(Storage param, Storage grad, Storage squareAvg, Storage gradAvg, Storage momentumBuffer, int size,
                     RmsPropStep h);

    // ---- pooling (dense NCHW, see PoolGeometry) ----

    /** Max pooling; {@code argmax} receives, per output, the flat index {@code h*inW + w} of the winner in its plane. */
    void maxPool2d(Storage x, Storage y, Storage argmax, PoolGeometry g);

    /** Routes each output gradient to its winner: overwrites gx. */
    void maxPool2dBackward(Storage gy, Storage argmax, Storage gx, PoolGeometry g);

    void avgPool2d(Storage x, Storage y, PoolGeometry g);

    /** The adjoint of avgPool2d: overwrites gx. */
    void avgPool2dBackward(Storage gy, Storage gx, PoolGeometry g);

    // ---- nearest upsampling (dense NCHW, see UpsampleGeometry) ----

    /** Repeats each pixel of x into a {@code scale x scale} block of y; overwrites y. */
    void upsampleNearest(Storage x, Storage y, UpsampleGeometry g);

    /** The adjoint of upsampleNearest: each pixel of gx is the sum of its block of gy; overwrites gx. */
    void upsampleNearestBackward(Storage gy, Storage gx, UpsampleGeometry g);
}
