package dev.gan4j.cuda;

import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

/**
 * Backend methods reduce (SUM, MAX, MIN, and mean/var built on SUM) and argReduce on cuda:0 against the
 * CPU, over random axis sets of random rank-4 shapes and permuted views, plus one reduction large enough
 * to be split into many chunks. Both backends accumulate in double: rtol 1e-5, atol 1e-5.
 */
class ReductionDifferentialTest extends Differential {

    private static final double RTOL = 1e-5;
    private static final double ATOL = 1e-5;

    @Test
    void sumMeanVarMaxMinOverRandomAxesWithGradients() {
        Random r = new Random(11);
        for (int trial = 0; trial < 6; trial++) {
            int[] shape = {1 + r.nextInt(4), 1 + r.nextInt(5), 2 + r.nextInt(4), 1 + r.nextInt(6)};
            int[] axes = r.nextBoolean() ? new int[] {r.nextInt(4)} : new int[] {0, 2 + r.nextInt(2)};
            boolean keep = r.nextBoolean();
            Tensor x = random(new Generator(trial), shape);
            String at = java.util.Arrays.toString(shape) + " axes " + java.util.Arrays.toString(axes) + " keep " + keep;
            check("sum " + at, RTOL, ATOL, v -> v.get(0).sum(axes, keep), x);
            check("mean of permuted " + at, RTOL, ATOL, v -> v.get(0).permute(3, 1, 0, 2).mean(axes, keep), x);
            check("var " + at, RTOL, ATOL, v -> v.get(0).var(axes, keep, 1), x);
            check("max " + at, RTOL, ATOL, v -> v.get(0).max(axes, keep), x);
            check("min " + at, RTOL, ATOL, v -> v.get(0).min(axes, keep), x);
        }
    }

    @Test
    void wholeTensorSumIsChunked() {
        Tensor x = random(new Generator(12), 300, 257);
        check("sum of 77100 elements", RTOL, 1e-3, v -> v.get(0).sum(), x);
        checkForward("max of a transposed view", 0, 0, t -> t.t().max(new int[] {0}, false), x);
    }

    @Test
    void argmaxArgminAlongEveryAxisWithTiesAndNaN() {
        Tensor x = random(new Generator(13), 3, 5, 4);
        for (int axis = 0; axis < 3; axis++) {
            int a = axis;
            checkForward("argmax axis " + a, 0, 0, t -> t.argmax(a, false), x);
            checkForward("argmin axis " + a + " of a permuted view", 0, 0, t -> t.permute(2, 0, 1).argmin(a, true), x);
        }
        Tensor special = Tensor.fromArray(new float[] {1, 3, 3, Float.NaN, 2, -1, -1, 0}, 2, 4);
        checkForward("argmax with ties and NaN", 0, 0, t -> t.argmax(1, false), special);
        checkForward("argmin with ties", 0, 0, t -> t.argmin(1, false), special);
        checkForward("max with NaN", 0, 0, t -> t.max(new int[] {1}, false), special);
    }
}
