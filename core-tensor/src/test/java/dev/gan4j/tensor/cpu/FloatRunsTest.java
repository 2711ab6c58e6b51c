package dev.gan4j.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Both {@link FloatRuns} against loops in double, on every length up to a few vectors (so every
 * tail), at offsets that are no multiple of a vector, reading and writing two parts of one array; the
 * dot product's partial sums added up by the caller.
 * Tolerance: float32 rounding of the result, {@code 1e-6 * sqrt(n)} relative to {@code max(1, |sum|)}.
 */
class FloatRunsTest {

    @Test
    void axpyAndDotMatchDoubleLoops() {
        Random random = new Random(11);
        for (FloatRuns runs : List.of(new FloatRunsPlain(), FloatRuns.best())) {
            String name = runs.getClass().getSimpleName();
            for (int n = 0; n <= 70; n++) {
                float[] data = new float[2 * n + 10];
                for (int i = 0; i < data.length; i++) data[i] = random.nextFloat() * 2 - 1;
                int xo = 3, yo = n + 7;
                float a = random.nextFloat() * 2 - 1;
                double dot = 0;
                double[] axpy = new double[n];
                for (int i = 0; i < n; i++) {
                    dot += (double) data[xo + i] * data[yo + i];
                    axpy[i] = data[yo + i] + (double) a * data[xo + i];
                }
                float[] lanes = new float[runs.lanes() + 1];
                lanes[1] = 0.25f;  // partial sums are added to, from their offset on
                runs.dotInto(data, xo, data, yo, n, lanes, 1);
                float total = -0.25f;
                for (float lane : lanes) total += lane;
                assertEquals(dot, total, 1e-6 * Math.sqrt(n + 1) * Math.max(1, Math.abs(dot)), name + " dot of " + n);
                runs.axpy(a, data, xo, data, yo, n);
                for (int i = 0; i < n; i++) {
                    assertEquals(axpy[i], data[yo + i], 1e-6 * Math.max(1, Math.abs(axpy[i])), name + " axpy " + i + " of " + n);
                }
            }
        }
    }

    /**
     * The stride-2 gather and scatter-add of im2col / col2im, against plain loops, bit for bit: every
     * run length up to a few vectors, at odd offsets and ending at the array's end (so the vector loops
     * must stop early); the gather writes nothing past {@code slack(n)}, and the scatter leaves every
     * other element as it was (the odd positions and those past {@code end}; whether a whole vector was
     * stored back over them with their own values cannot be seen from one thread).
     */
    @Test
    void strideTwoGatherAndScatterMatchPlainLoops() {
        Random random = new Random(12);
        for (FloatRuns runs : List.of(new FloatRunsPlain(), FloatRuns.best())) {
            String name = runs.getClass().getSimpleName();
            for (int n = 0; n <= 70; n++) {
                for (int tail : new int[] {0, 1, 40}) {
                    float[] x = new float[5 + 2 * n + tail];
                    for (int i = 0; i < x.length; i++) x[i] = random.nextFloat() * 2 - 1;
                    int d = 3;
                    float[] dst = new float[d + n + runs.slack(n) + tail];
                    java.util.Arrays.fill(dst, 7f);
                    runs.gatherEven(x, 5, dst, d, n);
                    for (int i = 0; i < dst.length; i++) {
                        boolean run = i >= d && i < d + n, junk = i >= d + n && i < d + n + runs.slack(n);
                        if (run) assertEquals(x[5 + 2 * (i - d)], dst[i], name + " gather " + i + " of " + n);
                        else if (!junk) assertEquals(7f, dst[i], name + " gather wrote " + i + " of " + n);
                    }

                    float[] grads = new float[4 + n + tail];
                    for (int i = 0; i < grads.length; i++) grads[i] = random.nextFloat() * 2 - 1;
                    float[] sums = new float[2 + 2 * n + tail];
                    for (int i = 0; i < sums.length; i++) sums[i] = random.nextFloat() * 2 - 1;
                    float[] expected = sums.clone();
                    for (int i = 0; i < n; i++) expected[1 + 2 * i] += grads[4 + i];
                    int end = Math.min(sums.length, 1 + 2 * n + tail / 2);
                    runs.scatterAddEven(grads, 4, sums, 1, n, end);
                    for (int i = 0; i < sums.length; i++) {
                        assertEquals(expected[i], sums[i], 0f, name + " scatter-add " + i + " of " + n);
                    }
                }
            }
        }
    }
}
