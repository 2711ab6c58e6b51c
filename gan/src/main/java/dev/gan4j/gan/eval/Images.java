package dev.gan4j.gan.eval;

import dev.gan4j.gan.data.Dataset;
import dev.gan4j.tensor.Tensor;

/** Dataset images as one tensor, the form every metric takes. */
final class Images {

    private Images() {}

    /** The first {@code count} images of a dataset as {@code [count, C, H, W]} in [-1, 1]. */
    static Tensor of(Dataset data, int count) {
        if (count > data.size()) {
            throw new IllegalArgumentException(data.name() + " has " + data.size() + " images, fewer than " + count);
        }
        float[] pixels = new float[count * data.imageSize()];
        for (int i = 0; i < count; i++) data.copyImage(i, pixels, i * data.imageSize());
        return Tensor.fromArray(pixels, count, data.channels(), data.height(), data.width());
    }
}
