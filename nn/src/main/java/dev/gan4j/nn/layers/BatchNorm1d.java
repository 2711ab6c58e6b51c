package dev.gan4j.nn.layers;

/** Batch norm over {@code [N, C]} (or {@code [N, C, L]}) inputs. */
public final class BatchNorm1d extends BatchNorm {

    public BatchNorm1d(int features) {
        this(features, 1e-5, 0.1, true, true);
    }

    public BatchNorm1d(int features, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(2, features, eps, momentum, affine, trackRunningStats);
    }
}
