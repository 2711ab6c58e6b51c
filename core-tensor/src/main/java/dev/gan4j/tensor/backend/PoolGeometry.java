package dev.gan4j.tensor.backend;

/**
 * Sizes of a 2-D pooling window over dense NCHW input {@code [batch, channels, inH, inW]} producing
 * {@code [batch, channels, outH, outW]}. Padding counts as -infinity for max and as zeros that are
 * included in the divisor for average pooling (PyTorch's {@code count_include_pad=True}).
 */
public record PoolGeometry(int batch, int channels, int inH, int inW,
                           int kernelH, int kernelW, int strideH, int strideW, int padH, int padW,
                           int outH, int outW) {

    public PoolGeometry {
        if (kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0 || padH < 0 || padW < 0
                || 2 * padH > kernelH || 2 * padW > kernelW || outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("pool2d: invalid geometry " + this
                    + " (padding must be at most half the kernel)");
        }
    }

    public int planes() { return batch * channels; }
}
