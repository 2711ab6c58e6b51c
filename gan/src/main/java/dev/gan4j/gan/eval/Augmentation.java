package dev.gan4j.gan.eval;

import dev.gan4j.gan.data.ImageBatch;
import dev.gan4j.tensor.Generator;

import java.util.Arrays;

/**
 * The standard CIFAR-10 augmentation: each image is flipped left-right with probability 1/2 and shifted by
 * up to {@value #SHIFT} pixels in each direction, the uncovered border filled with black (-1), which is a
 * random crop of the image padded by {@value #SHIFT}.
 */
final class Augmentation {

    static final int SHIFT = 4;

    private final Generator random;

    Augmentation(Generator random) {
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
            boolean flip = random.nextInt(2) == 1;
            int dy = random.nextInt(2 * SHIFT + 1) - SHIFT;
            int dx = random.nextInt(2 * SHIFT + 1) - SHIFT;
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
