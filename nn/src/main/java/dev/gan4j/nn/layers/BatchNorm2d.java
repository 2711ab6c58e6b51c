package dev.gan4j.nn.layers;

/** Batch norm over {@code [N, C, H, W]} inputs, statistics per channel. */
public final class BatchNorm2d extends BatchNorm {

    public BatchNorm2d(int features) {
        this(features, 1e-5, 0.1, true, true);
    }

    public BatchNorm2d(int features, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(4, features, eps, momentum, affine, trackRunningStats);
    }
}
