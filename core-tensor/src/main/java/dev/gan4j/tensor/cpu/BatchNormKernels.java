package dev.gan4j.tensor.cpu;

import dev.gan4j.tensor.backend.BatchNormShape;

/**
 * Batch normalisation over dense {@code [N, C, S]} storage, channels spread over the threads.
 * Channel c is N contiguous planes of S elements at {@code (n*C + c)*S}. float32 runs fused loops
 * over the planes in place ({@link ChannelLoops}: float in, double arithmetic and sums, float out;
 * the second pass over a channel finds it in cache). float64 gathers each channel once into a row
 * of doubles, sums it with {@link RowOps#sum}'s several accumulators, and scatters the result back.
 * Each channel is summed in a fixed order by one thread: the bits do not depend on the number of
 * threads. A float32 BatchNorm1d ({@code S = 1}) would give the channel loops N runs of one float
 * each; it works on the transpose {@code [C, N]} instead, where each channel is one run of N.
 */
final class BatchNormKernels {

    private static final ChannelLoops FLOAT = ChannelLoops.best();

    private static final ThreadLocal<Transposes> TRANSPOSES = ThreadLocal.withInitial(Transposes::new);

    private BatchNormKernels() {}

    /** Channels per task: enough elements that a task is worth handing to another thread. */
    private static int grain(BatchNormShape s) {
        return Math.max(1, 16_384 / Math.max(1, s.perChannel()));
    }

    private static void trainingFloat(float[] x, CpuStorage gamma, CpuStorage beta, CpuStorage runningMean,
                                      CpuStorage runningVar, double momentum, double eps, float[] y,
                                      CpuStorage saveMean, CpuStorage saveInvStd, BatchNormShape s) {
        int count = s.perChannel(), len = s.spatial(), step = s.channels() * len, planes = s.batch();
        Parallel.forRange(s.channels(), grain(s), (from, to) -> {
            for (int c = from; c < to; c++) {
                int first = c * len;
                double mean = FLOAT.sum(x, first, step, planes, len) / count;
                // Two passes: the variance of centred values does not cancel catastrophically.
                double sumSquares = FLOAT.centredSquares(x, first, step, planes, len, mean);
                double variance = sumSquares / count;
                double invStd = 1 / Math.sqrt(variance + eps);
                double scale = invStd * gamma.get(c);
                FLOAT.affine(x, y, first, step, planes, len, mean, scale, beta.get(c));
                saveMean.set(c, mean);
                saveInvStd.set(c, invStd);
                if (runningMean != null) updateRunning(runningMean, runningVar, momentum, c, mean, sumSquares, count);
            }
        });
    }

    private static void updateRunning(CpuStorage runningMean, CpuStorage runningVar, double momentum, int c,
                                      double mean, double sumSquares, int count) {
        double unbiased = count > 1 ? sumSquares / (count - 1) : sumSquares / count;
        runningMean.set(c, (1 - momentum) * runningMean.get(c) + momentum * mean);
        runningVar.set(c, (1 - momentum) * runningVar.get(c) + momentum * unbiased);
    }

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
        if (x.f32 != null && s.spatial() == 1) {
            Transposes t = TRANSPOSES.get();
            float[] xt = t.transpose(0, x.f32, s.batch(), s.channels()), yt = t.buffer(1, xt.length);
            trainingFloat(xt, gamma, beta, runningMean, runningVar, momentum, eps, yt, saveMean, saveInvStd,
                    Transposes.channelRuns(s));
            Transposes.transpose(yt, s.channels(), s.batch(), y.f32);
            return;
        }
        if (x.f32 != null) {
            trainingFloat(x.f32, gamma, beta, runningMean, runningVar, momentum, eps, y.f32, saveMean, saveInvStd, s);
            return;
        }
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
            if (runningMean != null) updateRunning(runningMean, runningVar, momentum, c, mean, sumSquares, count);
        });
    }

    static void inference(CpuStorage x, CpuStorage gamma, CpuStorage beta, CpuStorage runningMean,
                          CpuStorage runningVar, double eps, CpuStorage y, BatchNormShape s) {
        if (x.f32 != null) {
            int len = s.spatial(), step = s.channels() * len;
            Parallel.forRange(s.channels(), grain(s), (from, to) -> {
                for (int c = from; c < to; c++) {
                    double scale = gamma.get(c) / Math.sqrt(runningVar.get(c) + eps);
                    FLOAT.affine(x.f32, y.f32, c * len, step, s.batch(), len, runningMean.get(c), scale,
                            beta.get(c));
                }
            });
            return;
        }
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
        if (x.f32 != null && s.spatial() == 1) {
            Transposes t = TRANSPOSES.get();
            float[] xt = t.transpose(0, x.f32, s.batch(), s.channels()), gyt = t.transpose(1, gy.f32, s.batch(), s.channels());
            float[] gxt = t.buffer(2, xt.length);
            backwardFloat(xt, gyt, gamma, saveMean, saveInvStd, gxt, gGamma, gBeta, Transposes.channelRuns(s));
            Transposes.transpose(gxt, s.channels(), s.batch(), gx.f32);
            return;
        }
        if (x.f32 != null) {
            backwardFloat(x.f32, gy.f32, gamma, saveMean, saveInvStd, gx.f32, gGamma, gBeta, s);
            return;
        }
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

    private static void backwardFloat(float[] x, float[] gy, CpuStorage gamma, CpuStorage saveMean,
                                      CpuStorage saveInvStd, float[] gx, CpuStorage gGamma, CpuStorage gBeta,
                                      BatchNormShape s) {
        int count = s.perChannel(), len = s.spatial(), step = s.channels() * len, planes = s.batch();
        Parallel.forRange(s.channels(), grain(s), (from, to) -> {
            double[] sums = new double[2];
            for (int c = from; c < to; c++) {
                int first = c * len;
                double mean = saveMean.get(c), invStd = saveInvStd.get(c);
                FLOAT.gradSums(x, gy, first, step, planes, len, mean, sums);
                double sumGrad = sums[0], sumGradXhat = sums[1] * invStd;
                gBeta.set(c, sumGrad);
                gGamma.set(c, sumGradXhat);
                // dx = gamma * invStd / M * (M * dy - sum(dy) - xhat * sum(dy * xhat)), xhat = (x - mean) * invStd
                double k = gamma.get(c) * invStd / count;
                FLOAT.gradInput(x, gy, gx, first, step, planes, len, mean, k * count, -k * sumGradXhat * invStd,
                        -k * sumGrad);
            }
        });
    }

    /** The calling thread's buffers for BatchNorm1d's transposes, grown on demand and reused. */
    private static final class Transposes {
        private final float[][] buffers = new float[3][0];

        /** The layout of the transpose {@code [C, N]}: one "sample" whose planes are whole channels. */
        static BatchNormShape channelRuns(BatchNormShape s) {
            return new BatchNormShape(1, s.channels(), s.batch());
        }

        float[] buffer(int which, int size) {
            if (buffers[which].length < size) buffers[which] = new float[size];
            return buffers[which];
        }

        /** {@code a [rows x cols]} transposed into buffer {@code which}. */
        float[] transpose(int which, float[] a, int rows, int cols) {
            float[] t = buffer(which, rows * cols);
            transpose(a, rows, cols, t);
            return t;
        }

        /** {@code t = a^T} for {@code a [rows x cols]}, in bands of columns over the threads. */
        static void transpose(float[] a, int rows, int cols, float[] t) {
            Parallel.forRange(cols, Math.max(1, 16_384 / Math.max(1, rows)), (from, to) -> {
                for (int r = 0; r < rows; r++) {
                    for (int c = from; c < to; c++) t[c * rows + r] = a[r * cols + c];
                }
            });
        }
    }
}
