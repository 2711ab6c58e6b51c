package dev.gan4j.tensor.cpu;

import dev.gan4j.tensor.backend.BatchNormShape;

/** Batch normalisation over dense {@code [N, C, S]} storage, one channel per task, statistics in double. */
final class BatchNormKernels {

    private BatchNormKernels() {}

    /** Visits element indices of channel c: {@code (n*C + c)*S + s}. */
    private static int at(BatchNormShape s, int n, int c, int i) {
        return (n * s.channels() + c) * s.spatial() + i;
    }

    static void training(CpuStorage x, CpuStorage gamma, CpuStorage beta, CpuStorage runningMean,
                         CpuStorage runningVar, double momentum, double eps, CpuStorage y,
                         CpuStorage saveMean, CpuStorage saveInvStd, BatchNormShape s) {
        int count = s.perChannel();
        Parallel.forRange(s.channels(), 1, (from, to) -> {
            for (int c = from; c < to; c++) {
                double sum = 0;
                for (int n = 0; n < s.batch(); n++) {
                    for (int i = 0; i < s.spatial(); i++) sum += x.get(at(s, n, c, i));
                }
                double mean = sum / count;
                // Two passes: the variance of centred values does not cancel catastrophically.
                double squares = 0;
                for (int n = 0; n < s.batch(); n++) {
                    for (int i = 0; i < s.spatial(); i++) {
                        double d = x.get(at(s, n, c, i)) - mean;
                        squares += d * d;
                    }
                }
                double variance = squares / count;
                double invStd = 1 / Math.sqrt(variance + eps);
                double scale = invStd * gamma.get(c);
                double shift = beta.get(c) - mean * scale;
                for (int n = 0; n < s.batch(); n++) {
                    for (int i = 0; i < s.spatial(); i++) {
                        int j = at(s, n, c, i);
                        y.set(j, x.get(j) * scale + shift);
                    }
                }
                saveMean.set(c, mean);
                saveInvStd.set(c, invStd);
                if (runningMean != null) {
                    double unbiased = count > 1 ? squares / (count - 1) : variance;
                    runningMean.set(c, (1 - momentum) * runningMean.get(c) + momentum * mean);
                    runningVar.set(c, (1 - momentum) * runningVar.get(c) + momentum * unbiased);
                }
            }
        });
    }

    static void inference(CpuStorage x, CpuStorage gamma, CpuStorage beta, CpuStorage runningMean,
                          CpuStorage runningVar, double eps, CpuStorage y, BatchNormShape s) {
        Parallel.forRange(s.channels(), 1, (from, to) -> {
            for (int c = from; c < to; c++) {
                double scale = gamma.get(c) / Math.sqrt(runningVar.get(c) + eps);
                double shift = beta.get(c) - runningMean.get(c) * scale;
                for (int n = 0; n < s.batch(); n++) {
                    for (int i = 0; i < s.spatial(); i++) {
                        int j = at(s, n, c, i);
                        y.set(j, x.get(j) * scale + shift);
                    }
                }
            }
        });
    }

    static void backward(CpuStorage x, CpuStorage gy, CpuStorage gamma, CpuStorage saveMean,
                         CpuStorage saveInvStd, CpuStorage gx, CpuStorage gGamma, CpuStorage gBeta,
                         BatchNormShape s) {
        int count = s.perChannel();
        Parallel.forRange(s.channels(), 1, (from, to) -> {
            for (int c = from; c < to; c++) {
                double mean = saveMean.get(c);
                double invStd = saveInvStd.get(c);
                double sumGrad = 0;
                double sumGradXhat = 0;
                for (int n = 0; n < s.batch(); n++) {
                    for (int i = 0; i < s.spatial(); i++) {
                        int j = at(s, n, c, i);
                        double g = gy.get(j);
                        sumGrad += g;
                        sumGradXhat += g * (x.get(j) - mean) * invStd;
                    }
                }
                gBeta.set(c, sumGrad);
                gGamma.set(c, sumGradXhat);
                // dx = gamma * invStd / M * (M * dy - sum(dy) - xhat * sum(dy * xhat))
                double k = gamma.get(c) * invStd / count;
                for (int n = 0; n < s.batch(); n++) {
                    for (int i = 0; i < s.spatial(); i++) {
                        int j = at(s, n, c, i);
                        double xhat = (x.get(j) - mean) * invStd;
                        gx.set(j, k * (count * gy.get(j) - sumGrad - xhat * sumGradXhat));
                    }
                }
            }
        });
    }
}
