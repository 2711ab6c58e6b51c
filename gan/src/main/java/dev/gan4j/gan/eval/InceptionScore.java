package dev.gan4j.gan.eval;

import dev.gan4j.tensor.Tensor;

/**
 * The Inception Score (Salimans et al. 2016) with a dataset's own classifier in place of Inception:
 * {@code exp(E_x KL(p(y|x) || p(y)))}, computed on each of {@code splits} equal parts of the samples, as
 * the reference implementation does, and reported as mean and standard deviation over the parts. It
 * runs from 1 (every sample gets the same class distribution) to the number of classes (confident and
 * evenly spread samples).
 */
public record InceptionScore(double mean, double std) {

    public static final int DEFAULT_SPLITS = 10;

    /** @param probabilities class probabilities {@code [N, K]}, rows summing to 1, N >= splits */
    public static InceptionScore of(Tensor probabilities, int splits) {
        int n = probabilities.size(0);
        if (splits < 1 || n < splits) {
            throw new IllegalArgumentException("Inception Score: " + n + " samples cannot make " + splits + " splits");
        }
        double[] scores = new double[splits];
        for (int s = 0; s < splits; s++) {
            int from = s * n / splits;
            int to = (s + 1) * n / splits;
            Tensor p = probabilities.narrow(0, from, to - from);
            Tensor marginal = p.mean(new int[] {0}, true);
            // p log p is taken as 0 where p = 0; the tiny floor keeps log finite without changing other terms.
            Tensor kl = p.mul(p.maximum(1e-30).log().sub(marginal.maximum(1e-30).log())).sum(new int[] {1}, false);
            scores[s] = Math.exp(kl.mean().item());
        }
        double mean = 0;
        for (double v : scores) mean += v / splits;
        double variance = 0;
        for (double v : scores) variance += (v - mean) * (v - mean) / splits;
        return new InceptionScore(mean, Math.sqrt(variance));
    }
}
