package dev.gan4j.gan.eval;

import dev.gan4j.gan.data.ToyPoints;

/**
 * The standard mode metrics of the 2-D toy mixtures: a sample is of high quality when it lies within
 * 3 standard deviations of its nearest mode; a mode is hit when at least {@value #HIT_SHARE} of the
 * samples are high-quality samples of it (so a handful of strays do not count as coverage).
 */
public record ModeCoverage(int modesHit, int modes, double highQualityFraction, int[] perMode) {

    public static final double HIT_SHARE = 0.01;

    /** @param xy points as x0, y0, x1, y1, ... in the dataset's scaled coordinates */
    public static ModeCoverage of(float[] xy, ToyPoints toy) {
        double[][] modes = toy.modes();
        double limit = 3 * toy.sigma();
        int n = xy.length / 2;
        int[] perMode = new int[modes.length];
        int highQuality = 0;
        for (int i = 0; i < n; i++) {
            int nearest = 0;
            double best = Double.POSITIVE_INFINITY;
            for (int m = 0; m < modes.length; m++) {
                double dx = xy[2 * i] - modes[m][0];
                double dy = xy[2 * i + 1] - modes[m][1];
                double d = dx * dx + dy * dy;
                if (d < best) {
                    best = d;
                    nearest = m;
                }
            }
            if (best <= limit * limit) {
                perMode[nearest]++;
                highQuality++;
            }
        }
        int hit = 0;
        for (int count : perMode) if (count >= HIT_SHARE * n) hit++;
        return new ModeCoverage(hit, modes.length, (double) highQuality / n, perMode);
    }
}
