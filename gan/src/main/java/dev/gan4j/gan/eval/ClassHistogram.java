package dev.gan4j.gan.eval;

import dev.gan4j.tensor.Tensor;

/**
 * What the classifier says the samples are: how many fall in each class (mode collapse shows as empty
 * classes), how many classes are covered by at least {@value #COVERED_SHARE} of the samples, and which
 * fraction of the samples it classifies with a top probability of at least {@value #CONFIDENT}; for samples
 * drawn for asked classes (a class-conditional generator), the fraction whose top class is the one asked for.
 *
 * @param askedClassAgreement null when no class was asked for
 */
public record ClassHistogram(int[] counts, int classesCovered, double confidentFraction, Double askedClassAgreement) {

    public static final double COVERED_SHARE = 0.01;
    public static final double CONFIDENT = 0.9;

    /** @param probabilities class probabilities {@code [N, K]} */
    public static ClassHistogram of(Tensor probabilities) {
        return of(probabilities, null);
    }

    /** @param asked the class each sample was drawn for, or null */
    public static ClassHistogram of(Tensor probabilities, int[] asked) {
        int n = probabilities.size(0);
        if (asked != null && asked.length != n) {
            throw new IllegalArgumentException(asked.length + " asked classes for " + n + " samples");
        }
        int k = probabilities.size(1);
        double[] p = probabilities.toDoubleArray();
        int[] counts = new int[k];
        int confident = 0;
        int agreeing = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < k; c++) if (p[i * k + c] > p[i * k + best]) best = c;
            counts[best]++;
            if (p[i * k + best] >= CONFIDENT) confident++;
            if (asked != null && asked[i] == best) agreeing++;
        }
        int covered = 0;
        for (int count : counts) if (count >= COVERED_SHARE * n) covered++;
        return new ClassHistogram(counts, covered, (double) confident / n, asked == null ? null : (double) agreeing / n);
    }
}
