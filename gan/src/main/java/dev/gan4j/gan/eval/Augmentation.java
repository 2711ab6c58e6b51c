package dev.gan4j.gan.eval;

import dev.gan4j.gan.data.ImageBatch;
import dev.gan4j.tensor.Generator;

import java.util.Arrays;

/**
 * Random shifts, and optionally left-right flips, of training images: each image is shifted by up to
 * {@code shift} pixels in each direction, the uncovered border filled with black (-1) — a random crop of
 * the image padded by {@code shift}, the standard CIFAR-10 augmentation together with the flips.
 */
final class Augmentation {

    private final int shift;
    private final boolean flips;
    private final Generator random;

    Augmentation(int shift, boolean flips, Generator random) {
        this.shift = shift;
        this.flips = flips;
        this.random = random;
    }

    ImageBatch apply(ImageBatch batch) {
        int c = batch.channels();
        int h = batch.height();
        int w = batch.width();
        float[] src = batch.pixels();
        float[] dst = new float[src.length];
        Arrays.fill(dst, -1f);
        for (int n = 0; n < batch.count(); n++) {
            boolean flip = flips && random.nextInt(2) == 1;
            int dy = random.nextInt(2 * shift + 1) - shift;
            int dx = random.nextInt(2 * shift + 1) - shift;
            int base = batch.offsetOf(n);
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    int sy = y + dy;
                    if (sy < 0 || sy >= h) continue;
                    for (int x = 0; x < w; x++) {
                        int sx = (flip ? w - 1 - x : x) + dx;
                        if (sx >= 0 && sx < w) dst[base + (ch * h + y) * w + x] = src[base + (ch * h + sy) * w + sx];
                    }
                }
            }
        }
        return new ImageBatch(dst, batch.labels(), batch.count(), c, h, w);
    }
}
