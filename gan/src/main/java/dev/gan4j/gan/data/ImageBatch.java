package dev.gan4j.gan.data;

import java.util.Objects;

/**
 * A batch of images in NCHW order with pixels in [-1, 1], plus one label per image.
 * This plain record is how images travel between the data loader, the engine and the reports.
 */
public record ImageBatch(float[] pixels, int[] labels, int count, int channels, int height, int width) {

    public ImageBatch {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (count < 0 || channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("bad batch shape " + count + "x" + channels + "x" + height + "x" + width);
        }
        if (pixels.length != (long) count * channels * height * width) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " floats, shape " + count + "x"
                    + channels + "x" + height + "x" + width + " needs " + (long) count * channels * height * width);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries for " + count + " images");
        }
    }

    /** A batch without labels (e.g. generator output); every label is 0. */
    public static ImageBatch unlabelled(float[] pixels, int count, int channels, int height, int width) {
        return new ImageBatch(pixels, new int[count], count, channels, height, width);
    }

    /** Floats per image. */
    public int imageSize() {
        return channels * height * width;
    }

    /** Offset of image {@code index} in {@link #pixels()}. */
    public int offsetOf(int index) {
        Objects.checkIndex(index, count);
        return index * imageSize();
    }
}
