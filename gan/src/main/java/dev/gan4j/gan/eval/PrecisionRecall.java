package dev.gan4j.gan.eval;

import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Tensor;

import java.util.Arrays;

/**
 * Improved precision and recall (Kynkäänniemi et al. 2019). Each set of feature vectors stands for a
 * manifold: the union of balls around its points, each ball reaching to the point's k-th nearest
 * neighbour within the set. Precision is the fraction of samples inside the real manifold (samples
 * that look real); recall is the fraction of real points inside the samples' manifold (how much of
 * the data the samples cover).
 */
public record PrecisionRecall(double precision, double recall) {

    public static final int DEFAULT_K = 3;
    /** Rows of one distance block: 1000 x 10 000 floats = 40 MB. */
    private static final int BLOCK = 1000;

    /** @param real, fake feature rows {@code [N, F]} with the same F */
    public static PrecisionRecall of(Tensor real, Tensor fake, int k) {
        if (real.size(1) != fake.size(1)) {
            throw new IllegalArgumentException("precision/recall: feature sizes differ, " + real.size(1) + " vs "
                    + fake.size(1));
        }
        Tensor r = real.to(DType.F32).contiguous();
        Tensor f = fake.to(DType.F32).contiguous();
        double[] realRadii = kthNeighbourDistances(r, k);
        double[] fakeRadii = kthNeighbourDistances(f, k);
        return new PrecisionRecall(fractionInside(f, r, realRadii), fractionInside(r, f, fakeRadii));
    }

    /**
     * The squared distance from each point to its k-th nearest other point in the same set. The point
     * itself is at distance 0 and takes the first place, so the k-th neighbour is at sorted place k.
     */
    static double[] kthNeighbourDistances(Tensor points, int k) {
        int n = points.size(0);
        if (n <= k) throw new IllegalArgumentException("precision/recall: " + n + " points have no " + k
                + "-th neighbour");
        double[] radii = new double[n];
        for (int from = 0; from < n; from += BLOCK) {
            int rows = Math.min(BLOCK, n - from);
            float[] d = squaredDistances(points.narrow(0, from, rows), points);
            double[] smallest = new double[k + 1];
            for (int i = 0; i < rows; i++) {
                Arrays.fill(smallest, Double.POSITIVE_INFINITY);
                for (int j = 0; j < n; j++) insert(smallest, d[i * n + j]);
                radii[from + i] = smallest[k];
            }
        }
        return radii;
    }

    /** Keeps {@code sorted} the smallest values seen so far, ascending. */
    private static void insert(double[] sorted, double value) {
        int last = sorted.length - 1;
        if (value >= sorted[last]) return;
        int i = last;
        while (i > 0 && sorted[i - 1] > value) {
            sorted[i] = sorted[i - 1];
            i--;
        }
        sorted[i] = value;
    }

    /** The fraction of {@code queries} within the ball of at least one of {@code centres}. */
    private static double fractionInside(Tensor queries, Tensor centres, double[] radii) {
        int n = queries.size(0);
        int m = centres.size(0);
        int inside = 0;
        for (int from = 0; from < n; from += BLOCK) {
            int rows = Math.min(BLOCK, n - from);
            float[] d = squaredDistances(queries.narrow(0, from, rows), centres);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < m; j++) {
                    if (d[i * m + j] <= radii[j]) {
                        inside++;
                        break;
                    }
                }
            }
        }
        return (double) inside / n;
    }

    /** {@code |a_i - b_j|^2 = |a_i|^2 + |b_j|^2 - 2 a_i.b_j} for every pair, row-major [rows of a, rows of b]. */
    private static float[] squaredDistances(Tensor a, Tensor b) {
        int[] rowSum = {1};
        Tensor aa = a.mul(a).sum(rowSum, true);
        Tensor bb = b.mul(b).sum(rowSum, true).t();
        // Rounding can make a distance slightly negative; it is a distance, so at least 0.
        return aa.add(bb).sub(a.matmul(b.t()).mul(2)).maximum(0).toFloatArray();
    }
}
