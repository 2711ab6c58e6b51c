package dev.gan4j.cuda;

import dev.gan4j.autograd.Functional;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Backend methods maxPool2d, maxPool2dBackward, avgPool2d, avgPool2dBackward, upsampleNearest,
 * upsampleNearestBackward, indexSelect and indexAdd against the CPU, forward and backward, on random
 * geometries; plus the ops composed from copies (pad, concat, stack). These kernels add in the CPU's
 * order: rtol 1e-6, atol 1e-6.
 */
class PoolingAndIndexingDifferentialTest extends Differential {

    private static final double RTOL = 1e-6;
    private static final double ATOL = 1e-6;

    @Test
    void maxAndAveragePoolingOnRandomGeometries() {
        Random r = new Random(51);
        for (int trial = 0; trial < 5; trial++) {
            int kernel = 1 + r.nextInt(3);
            int stride = 1 + r.nextInt(2);
            int padding = r.nextInt(kernel / 2 + 1);
            Tensor x = random(new Generator(trial), 2, 3, kernel + 2 + r.nextInt(5), kernel + 2 + r.nextInt(5));
            String g = "kernel " + kernel + " stride " + stride + " padding " + padding;
            check("max pool " + g, RTOL, ATOL, v -> Functional.maxPool2d(v.get(0), kernel, stride, padding), x);
            check("avg pool " + g, RTOL, ATOL, v -> Functional.avgPool2d(v.get(0), kernel, stride, padding), x);
        }
        Tensor ties = Tensor.fromArray(new float[] {1, 1, 2, 2, 1, Float.NaN, 2, 0, 3, 3, 3, 3, 0, 0, 0, 0}, 1, 1, 4, 4);
        checkForward("max pool with ties and NaN", 0, 0, t -> t.maxPool2d(2, 1, 0), ties);
        checkForward("argmax with ties and NaN", 0, 0, t -> t.maxPool2dWithIndices(2, 1, 1).argmax(), ties);
    }

    @Test
    void upsampleNearestOnOddSizes() {
        Random r = new Random(54);
        for (int scale = 1; scale <= 3; scale++) {
            int k = scale;
            Tensor x = random(new Generator(54 + k), 2, 3, 1 + r.nextInt(7), 1 + r.nextInt(7));
            check("upsample nearest x" + k + " " + Arrays.toString(x.shape()), RTOL, ATOL,
                    v -> Functional.upsampleNearest(v.get(0), k), x);
        }
    }

    @Test
    void indexSelectAndIndexAddWithRepeats() {
        Tensor x = random(new Generator(52), 4, 5, 3);
        int[] index = {4, 0, 4, 2, 4};
        check("index_select dim 1 (its gradient is index_add)", RTOL, ATOL,
                v -> Functional.indexSelect(v.get(0), 1, index), x);
        checkForward("index_add dim 0", RTOL, ATOL, t -> t.indexAdd(0, new int[] {1, 1, 3}, t.narrow(0, 0, 3).mul(2)), x);
    }

    @Test
    void padConcatAndStackThroughCopies() {
        Generator gen = new Generator(53);
        Tensor a = random(gen, 2, 3, 4, 4);
        Tensor b = random(gen, 2, 3, 4, 4);
        check("pad", RTOL, ATOL, v -> Functional.pad(v.get(0), new int[] {1, 2, 0, 1}, 0.5), a);
        check("concat and stack", RTOL, ATOL, v -> Functional.stack(List.of(
                Functional.concat(List.of(v.get(0), v.get(1)), 1).narrow(1, 0, 3), v.get(1)), 0), a, b);
    }
}
