package dev.gan4j.tensor.backend;

/**
 * Nearest-neighbour upsampling of dense NCHW input {@code [batch, channels, inH, inW]} by an integer
 * {@code scale} into {@code [batch, channels, inH * scale, inW * scale]}: each input pixel becomes a
 * {@code scale x scale} block of the output.
 */
public record UpsampleGeometry(int batch, int channels, int inH, int inW, int scale) {

    public UpsampleGeometry {
        if (batch < 0 || channels < 0 || inH < 0 || inW < 0 || scale < 1) {
            throw new IllegalArgumentException("upsample_nearest: invalid geometry " + this);
        }
    }

    public int planes() { return batch * channels; }

    public int outH() { return inH * scale; }

    public int outW() { return inW * scale; }
}
