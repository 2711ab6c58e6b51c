package dev.gan4j.gan.eval;

import dev.gan4j.tensor.ConvParams;
import dev.gan4j.tensor.Tensor;

/** A separable Gaussian blur of single-channel images, as a convolution with zero padding of -1 (black). */
final class GaussianBlur {

    private GaussianBlur() {}

    /** Images {@code [N, 1, S, S]} in [-1, 1] blurred with a Gaussian of {@code sigma} pixels (radius 3 sigma). */
    static Tensor of(Tensor images, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        int size = 2 * radius + 1;
        float[] kernel = new float[size * size];
        double total = 0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double d2 = (x - radius) * (x - radius) + (y - radius) * (y - radius);
                kernel[y * size + x] = (float) Math.exp(-d2 / (2 * sigma * sigma));
                total += kernel[y * size + x];
            }
        }
        for (int i = 0; i < kernel.length; i++) kernel[i] /= (float) total;
        // Blurring x + 1 (black = 0) with zero padding treats the border as black, like MNIST's background.
        Tensor shifted = images.add(1);
        Tensor w = Tensor.fromArray(kernel, 1, 1, size, size);
        return Tensor.conv2d(shifted, w, null, ConvParams.of(1, radius)).sub(1);
    }
}
