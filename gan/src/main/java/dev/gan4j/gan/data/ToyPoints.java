package dev.gan4j.gan.data;

import java.util.Locale;
import java.util.Random;

/**
 * The two 2-D mixtures on which mode collapse shows in seconds (Metz et al. 2017, Srivastava et al. 2017):
 * {@code ring8}, 8 Gaussians of standard deviation 0.02 on a circle of radius 2, and {@code grid25}, 25
 * Gaussians of standard deviation 0.05 on the grid {-4, -2, 0, 2, 4}^2. Both are scaled into [-0.8, 0.8]
 * (ring by 1/2.5, grid by 1/5) to suit a tanh generator; a point is a 2-channel 1x1 "image", so the
 * usual trainer and MLP models work on it unchanged, and its label is the mode it was drawn from.
 */
public enum ToyPoints {
    RING8("ring8", 0.02 / 2.5),
    GRID25("grid25", 0.05 / 5);

    private final String id;
    private final double sigma;

    ToyPoints(String id, double sigma) {
        this.id = id;
        this.sigma = sigma;
    }

    public String id() { return id; }

    /** Standard deviation of each mode, in the scaled coordinates. */
    public double sigma() { return sigma; }

    /** The mode centres {@code [modes][2]}, in the scaled coordinates. */
    public double[][] modes() {
        return switch (this) {
            case RING8 -> {
                double[][] m = new double[8][];
                for (int i = 0; i < 8; i++) {
                    double angle = 2 * Math.PI * i / 8;
                    m[i] = new double[] {0.8 * Math.cos(angle), 0.8 * Math.sin(angle)};
                }
                yield m;
            }
            case GRID25 -> {
                double[][] m = new double[25][];
                for (int i = 0; i < 25; i++) m[i] = new double[] {-0.8 + 0.4 * (i / 5), -0.8 + 0.4 * (i % 5)};
                yield m;
            }
        };
    }

    /** Whether a dataset name names a toy dataset. */
    public static boolean isToy(String name) {
        for (ToyPoints t : values()) if (t.id.equals(name.toLowerCase(Locale.ROOT))) return true;
        return false;
    }

    public static ToyPoints byId(String name) {
        for (ToyPoints t : values()) if (t.id.equals(name.toLowerCase(Locale.ROOT))) return t;
        throw new IllegalArgumentException("unknown toy dataset '" + name + "'; known: ring8, grid25");
    }

    /** {@code count} points, each from a uniformly chosen mode, drawn from {@code seed}. */
    public Dataset sample(int count, long seed) {
        Random random = new Random(seed);
        double[][] modes = modes();
        float[] xy = new float[2 * count];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            int m = random.nextInt(modes.length);
            labels[i] = m;
            xy[2 * i] = (float) (modes[m][0] + sigma * random.nextGaussian());
            xy[2 * i + 1] = (float) (modes[m][1] + sigma * random.nextGaussian());
        }
        return new PointDataset(id, xy, labels, modes.length);
    }

    /** 2-D points as a dataset of 2-channel 1x1 images. */
    private record PointDataset(String name, float[] xy, int[] labels, int numClasses) implements Dataset {
        @Override public int size() { return labels.length; }
        @Override public int channels() { return 2; }
        @Override public int height() { return 1; }
        @Override public int width() { return 1; }
        @Override public int label(int index) { return labels[index]; }

        @Override
        public void copyImage(int index, float[] dst, int dstOffset) {
            dst[dstOffset] = xy[2 * index];
            dst[dstOffset + 1] = xy[2 * index + 1];
        }
    }
}
