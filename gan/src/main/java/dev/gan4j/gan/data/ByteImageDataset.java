package dev.gan4j.gan.data;

import java.util.Objects;

/**
 * A dataset held in memory as 8-bit CHW pixels: a quarter of the memory of floats,
 * converted to [-1, 1] only when an image is copied out.
 */
public final class ByteImageDataset implements Dataset {
    private final String name;
    private final byte[] pixels;
    private final int[] labels;
    private final int channels;
    private final int height;
    private final int width;
    private final int numClasses;

    /**
     * @param pixels images one after another, each channels x height x width bytes in CHW order
     * @param labels one label per image, each in [0, numClasses)
     */
    public ByteImageDataset(String name, byte[] pixels, int[] labels, int channels, int height, int width,
                            int numClasses) {
        this.name = Objects.requireNonNull(name, "name");
        this.pixels = Objects.requireNonNull(pixels, "pixels");
        this.labels = Objects.requireNonNull(labels, "labels");
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.numClasses = numClasses;
        if (channels <= 0 || height <= 0 || width <= 0 || numClasses <= 0) {
            throw new IllegalArgumentException(name + ": bad shape " + channels + "x" + height + "x" + width
                    + " with " + numClasses + " classes");
        }
        if (pixels.length != (long) labels.length * imageSize()) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixel bytes do not hold "
                    + labels.length + " images of " + imageSize() + " bytes");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of image " + i
                        + " is outside [0, " + numClasses + ")");
            }
        }
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public void copyImage(int index, float[] dst, int dstOffset) {
        Objects.checkIndex(index, labels.length);
        int n = imageSize();
        int src = index * n;
        for (int i = 0; i < n; i++) {
            dst[dstOffset + i] = Pixels.fromByte(pixels[src + i]);
        }
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public String name() {
        return name;
    }
}
