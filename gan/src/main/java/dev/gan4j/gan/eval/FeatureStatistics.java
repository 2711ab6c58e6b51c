package dev.gan4j.gan.eval;

import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Tensor;

import java.util.Arrays;

/**
 * The Gaussian that FID fits to a set of feature vectors: their mean and covariance (unbiased, divided by
 * N - 1, as in the reference implementation).
 */
public record FeatureStatistics(double[] mean, double[][] covariance, int count) {

    /** Statistics of feature rows {@code [N, F]}, N >= 2, computed in float64. */
    public static FeatureStatistics of(Tensor features) {
        if (features.rank() != 2 || features.size(0) < 2) {
            throw new IllegalArgumentException("feature statistics need [N >= 2, F] features, got "
                    + Arrays.toString(features.shape()));
        }
        Tensor x = features.to(DType.F64);
        int n = x.size(0);
        int f = x.size(1);
        Tensor mean = x.mean(new int[] {0}, true);
        Tensor centred = x.sub(mean);
        double[] cov = centred.t().matmul(centred).div(n - 1).toDoubleArray();
        double[][] covariance = new double[f][f];
        for (int i = 0; i < f; i++) System.arraycopy(cov, i * f, covariance[i], 0, f);
        return new FeatureStatistics(mean.toDoubleArray(), covariance, n);
    }

    /**
     * The Fréchet distance between the two Gaussians (Heusel et al. 2017):
     * {@code |mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr(sqrt(S1 S2))}.
     */
    public double frechetDistance(FeatureStatistics other) {
        if (mean.length != other.mean.length) {
            throw new IllegalArgumentException("FID: feature sizes differ, " + mean.length + " vs " + other.mean.length);
        }
        double meanTerm = 0;
        double traces = 0;
        for (int i = 0; i < mean.length; i++) {
            double d = mean[i] - other.mean[i];
            meanTerm += d * d;
            traces += covariance[i][i] + other.covariance[i][i];
        }
        // Clamped at zero: rounding can leave a distance of identical statistics a hair below it.
        return Math.max(0, meanTerm + traces - 2 * MatrixSqrt.traceOfSqrtProduct(covariance, other.covariance));
    }
}
