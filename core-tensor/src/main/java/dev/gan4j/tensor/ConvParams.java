package dev.gan4j.tensor;

/** Stride, padding and dilation of a 2-D convolution, per axis (H, W). */
public record ConvParams(int strideH, int strideW, int padH, int padW, int dilationH, int dilationW) {

    public ConvParams {
        if (strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("conv: stride and dilation must be >= 1 and padding >= 0, got " + this);
        }
    }

    public static ConvParams of(int stride, int padding) {
        return new ConvParams(stride, stride, padding, padding, 1, 1);
    }

    public static ConvParams of(int stride, int padding, int dilation) {
        return new ConvParams(stride, stride, padding, padding, dilation, dilation);
    }
}
