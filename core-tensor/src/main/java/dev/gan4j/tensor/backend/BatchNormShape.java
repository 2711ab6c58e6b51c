package dev.gan4j.tensor.backend;

/**
 * Batch norm sees its input as dense {@code [batch, channels, spatial]}: spatial is H*W for
 * BatchNorm2d and 1 for BatchNorm1d. Statistics are per channel.
 */
public record BatchNormShape(int batch, int channels, int spatial) {

    /** Elements that share one channel's statistics. */
    public int perChannel() { return batch * spatial; }
}
