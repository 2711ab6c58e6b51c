package dev.gan4j.tensor.backend;

/**
 * Every size a 2-D convolution kernel needs, computed once by the tensor layer.
 *
 * <p>The same geometry describes the three kernels of one convolution: forward
 * ({@code x, w -> y}), backward-data ({@code gy, w -> gx}, which is also the forward pass of a
 * transposed convolution) and backward-filter ({@code x, gy -> gw}). Layouts are dense NCHW:
 * {@code x [batch, inChannels, inH, inW]}, {@code w [outChannels, inChannels, kernelH, kernelW]},
 * {@code y [batch, outChannels, outH, outW]}.
 */
public record ConvGeometry(
        int batch, int inChannels, int inH, int inW,
        int outChannels, int kernelH, int kernelW,
        int strideH, int strideW, int padH, int padW, int dilationH, int dilationW,
        int outH, int outW) {

    public ConvGeometry {
        if (batch < 0 || inChannels <= 0 || outChannels <= 0 || kernelH <= 0 || kernelW <= 0
                || strideH <= 0 || strideW <= 0 || dilationH <= 0 || dilationW <= 0
                || padH < 0 || padW < 0 || outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("conv2d: invalid geometry " + this);
        }
    }

    /** Output size of a convolution along one axis, PyTorch's formula. */
    public static int outputSize(int in, int kernel, int stride, int pad, int dilation) {
        return Math.floorDiv(in + 2 * pad - dilation * (kernel - 1) - 1, stride) + 1;
    }

    public int inputSize() { return batch * inChannels * inH * inW; }
    public int weightSize() { return outChannels * inChannels * kernelH * kernelW; }
    public int outputSize() { return batch * outChannels * outH * outW; }
}
