package dev.gan4j.gan.data;

/**
 * A fixed, indexable set of equally sized images with integer labels.
 * Pixels come out in CHW order, scaled to [-1, 1] (see {@link Pixels}).
 */
public interface Dataset {
    /** Number of images. */
    int size();

    int channels();

    int height();

    int width();

    /** Labels run from 0 to {@code numClasses() - 1}; an unlabelled dataset has one class. */
    int numClasses();

    /** Writes image {@code index} as {@link #imageSize()} floats into {@code dst} from {@code dstOffset}. */
    void copyImage(int index, float[] dst, int dstOffset);

    int label(int index);

    /** A short human-readable name, e.g. "mnist-train". */
    String name();

    /** Floats per image: channels x height x width. */
    default int imageSize() {
        return channels() * height() * width();
    }
}
