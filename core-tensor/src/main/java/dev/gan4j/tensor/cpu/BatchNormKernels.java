package dev.gan4j.tensor.cpu;

import dev.gan4j.tensor.backend.BatchNormShape;

/**
 * Batch normalisation over dense {@code [N, C, S]} storage, channels spread over the threads.
 * Channel c is N contiguous planes of S elements at {@code (n*C + c)*S}; each plane is read into a
 * row of doubles, so statistics are exact enough whatever the dtype, and the sums use
 * {@link RowOps#sum}'s several accumulators. Each channel is summed in a fixed order: the bits do
 * not depend on the number of threads.
 */
final class BatchNormKernels {

    private BatchNormKernels() {}

    /** Runs {@code body} for every channel, in parallel, with two plane-sized scratch rows per thread. */
    private interface ChannelBody {
        void run(int c, double[] row, double[] other);
    }

    private static void forChannels(BatchNormShape s, ChannelBody body) {
        Parallel.forRange(s.channels(), 1, (from, to) -> {
            double[] row = new double[s.spatial()];
            double[] other = new double[s.spatial()];
            for (int c = from; c < to; c++) body.run(c, row, other);
        });
    }

    private static int plane(BatchNormShape s, int n, int c) {
        return (n * s.channels() + c) * s.spatial();
    }

    static void training(CpuStorage x, CpuStorage gamma, CpuStorage beta, CpuStorage runningMean,
                         CpuStorage runningVar, double momentum, double eps, CpuStorage y,
                         CpuStorage saveMean, CpuStorage saveInvStd, BatchNormShape s) {
        int count = s.perChannel();
        int size = s.spatial();
        forChannels(s, (c, row, unused) -> {
            double sum = 0;
            for (int n = 0; n < s.batch(); n++) {
                x.loadRow(plane(s, n, c), 1, size, row);
                sum += RowOps.sum(row, size);
            }
            double mean = sum / count;
            // Two passes: the variance of centred values does not cancel catastrophically.
            double squares = 0;
            for (int n = 0; n < s.batch(); n++) {
                x.loadRow(plane(s, n, c), 1, size, row);
                for (int i = 0; i < size; i++) row[i] = (row[i] - mean) * (row[i] - mean);
                squares += RowOps.sum(row, size);
            }
            double variance = squares / count;
            double invStd = 1 / Math.sqrt(variance + eps);
            normalise(x, y, s, c, invStd * gamma.get(c), beta.get(c) - mean * invStd * gamma.get(c), row);
            saveMean.set(c, mean);
            saveInvStd.set(c, invStd);
            if (runningMean != null) {
                double unbiased = count > 1 ? squares / (count - 1) : variance;
                runningMean.set(c, (1 - momentum) * runningMean.get(c) + momentum * mean);
                runningVar.set(c, (1 - momentum) * runningVar.get(c) + momentum * unbiased);
            }
        });
    }

    static void inference(CpuStorage x, CpuStorage gamma, CpuStorage beta, CpuStorage runningMean,
                          CpuStorage runningVar, double eps, CpuStorage y, BatchNormShape s) {
        forChannels(s, (c, row, unused) -> {
            double scale = gamma.get(c) / Math.sqrt(runningVar.get(c) + eps);
            normalise(x, y, s, c, scale, beta.get(c) - runningMean.get(c) * scale, row);
        });
    }

    /** {@code y = x * scale + shift} over channel c. */
    private static void normalise(CpuStorage x, CpuStorage y, BatchNormShape s, int c, double scale, double shift,
                                  double[] row) {
        int size = s.spatial();
        for (int n = 0; n < s.batch(); n++) {
            x.loadRow(plane(s, n, c), 1, size, row);
            for (int i = 0; i < size; i++) row[i] = row[i] * scale + shift;
            y.storeRow(row, size, plane(s, n, c), 1);
        }
    }

    static void backward(CpuStorage x, CpuStorage gy, CpuStorage gamma, CpuStorage saveMean,
                         CpuStorage saveInvStd, CpuStorage gx, CpuStorage gGamma, CpuStorage gBeta,
                         BatchNormShape s) {
        int count = s.perChannel();
        int size = s.spatial();
        forChannels(s, (c, xs, gs) -> {
            double mean = saveMean.get(c);
            double invStd = saveInvStd.get(c);
            double sumGrad = 0;
            double sumGradCentred = 0;
            for (int n = 0; n < s.batch(); n++) {
                x.loadRow(plane(s, n, c), 1, size, xs);
                gy.loadRow(plane(s, n, c), 1, size, gs);
                sumGrad += RowOps.sum(gs, size);
                for (int i = 0; i < size; i++) xs[i] = gs[i] * (xs[i] - mean);
                sumGradCentred += RowOps.sum(xs, size);
            }
            double sumGradXhat = sumGradCentred * invStd;
            gBeta.set(c, sumGrad);
            gGamma.set(c, sumGradXhat);
            // dx = gamma * invStd / M * (M * dy - sum(dy) - xhat * sum(dy * xhat))
            double k = gamma.get(c) * invStd / count;
            double perXhat = invStd * sumGradXhat;
            for (int n = 0; n < s.batch(); n++) {
                x.loadRow(plane(s, n, c), 1, size, xs);
                gy.loadRow(plane(s, n, c), 1, size, gs);
                for (int i = 0; i < size; i++) xs[i] = k * (count * gs[i] - sumGrad - (xs[i] - mean) * perXhat);
                gx.storeRow(xs, size, plane(s, n, c), 1);
            }
        });
    }
}
