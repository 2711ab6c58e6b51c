package dev.gan4j.tensor.cpu;

import dev.gan4j.tensor.backend.BatchNormShape;

/**
 * Batch normalisation over dense {@code [N, C, S]} storage, channels spread over the threads.
 * Channel c is N contiguous planes of S elements at {@code (n*C + c)*S}; each channel is gathered
 * once into a row of doubles (so the statistics are exact enough whatever the dtype, and x is read
 * from memory once however small the planes), summed with {@link RowOps#sum}'s several
 * accumulators, and the result scattered back. Each channel is summed in a fixed order: the bits do
 * not depend on the number of threads.
 */
final class BatchNormKernels {

    private BatchNormKernels() {}

    /** Work on channel c with two scratch rows of one channel's length. */
    private interface ChannelBody {
        void run(int c, double[] row, double[] other);
    }

    private static void forChannels(BatchNormShape s, ChannelBody body) {
        Parallel.forRange(s.channels(), 1, (from, to) -> {
            double[] row = new double[s.perChannel()];
            double[] other = new double[s.perChannel()];
            for (int c = from; c < to; c++) body.run(c, row, other);
        });
    }

    private static int plane(BatchNormShape s, int n, int c) {
        return (n * s.channels() + c) * s.spatial();
    }

    private static void gather(CpuStorage from, BatchNormShape s, int c, double[] row) {
        for (int n = 0; n < s.batch(); n++) from.loadRow(plane(s, n, c), 1, s.spatial(), row, n * s.spatial());
    }

    private static void scatter(double[] row, CpuStorage to, BatchNormShape s, int c) {
        for (int n = 0; n < s.batch(); n++) to.storeRow(row, n * s.spatial(), s.spatial(), plane(s, n, c), 1);
    }

    static void training(CpuStorage x, CpuStorage gamma, CpuStorage beta, CpuStorage runningMean,
                         CpuStorage runningVar, double momentum, double eps, CpuStorage y,
                         CpuStorage saveMean, CpuStorage saveInvStd, BatchNormShape s) {
        int count = s.perChannel();
        forChannels(s, (c, xs, squares) -> {
            gather(x, s, c, xs);
            double mean = RowOps.sum(xs, count) / count;
            // Two passes: the variance of centred values does not cancel catastrophically.
            for (int i = 0; i < count; i++) squares[i] = (xs[i] - mean) * (xs[i] - mean);
            double sumSquares = RowOps.sum(squares, count);
            double variance = sumSquares / count;
            double invStd = 1 / Math.sqrt(variance + eps);
            normalise(xs, y, s, c, invStd * gamma.get(c), beta.get(c) - mean * invStd * gamma.get(c));
            saveMean.set(c, mean);
            saveInvStd.set(c, invStd);
            if (runningMean != null) {
                double unbiased = count > 1 ? sumSquares / (count - 1) : variance;
                runningMean.set(c, (1 - momentum) * runningMean.get(c) + momentum * mean);
                runningVar.set(c, (1 - momentum) * runningVar.get(c) + momentum * unbiased);
            }
        });
    }

    static void inference(CpuStorage x, CpuStorage gamma, CpuStorage beta, CpuStorage runningMean,
                          CpuStorage runningVar, double eps, CpuStorage y, BatchNormShape s) {
        forChannels(s, (c, xs, unused) -> {
            gather(x, s, c, xs);
            double scale = gamma.get(c) / Math.sqrt(runningVar.get(c) + eps);
            normalise(xs, y, s, c, scale, beta.get(c) - runningMean.get(c) * scale);
        });
    }

    /** {@code y = x * scale + shift} over channel c, whose x is gathered in {@code xs} (overwritten). */
    private static void normalise(double[] xs, CpuStorage y, BatchNormShape s, int c, double scale, double shift) {
        for (int i = 0; i < s.perChannel(); i++) xs[i] = xs[i] * scale + shift;
        scatter(xs, y, s, c);
    }

    static void backward(CpuStorage x, CpuStorage gy, CpuStorage gamma, CpuStorage saveMean,
                         CpuStorage saveInvStd, CpuStorage gx, CpuStorage gGamma, CpuStorage gBeta,
                         BatchNormShape s) {
        int count = s.perChannel();
        forChannels(s, (c, xhat, gs) -> {
            double mean = saveMean.get(c);
            double invStd = saveInvStd.get(c);
            gather(x, s, c, xhat);
            gather(gy, s, c, gs);
            for (int i = 0; i < count; i++) xhat[i] = (xhat[i] - mean) * invStd;
            double sumGrad = RowOps.sum(gs, count);
            double sumGradXhat = RowOps.dot(gs, xhat, count);
            gBeta.set(c, sumGrad);
            gGamma.set(c, sumGradXhat);
            // dx = gamma * invStd / M * (M * dy - sum(dy) - xhat * sum(dy * xhat))
            double k = gamma.get(c) * invStd / count;
            for (int i = 0; i < count; i++) xhat[i] = k * (count * gs[i] - sumGrad - xhat[i] * sumGradXhat);
            scatter(xhat, gx, s, c);
        });
    }
}
