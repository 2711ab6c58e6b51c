package dev.gan4j.gan.data;

/** How decoded images are turned into channels. */
public enum ColorMode {
    /** Three planes: red, green, blue. */
    RGB(3),
    /** One plane of ITU-R BT.601 luma (0.299 R + 0.587 G + 0.114 B). */
    GRAYSCALE(1);

    private final int channels;

    ColorMode(int channels) {
        this.channels = channels;
    }

    public int channels() {
        return channels;
    }
}
