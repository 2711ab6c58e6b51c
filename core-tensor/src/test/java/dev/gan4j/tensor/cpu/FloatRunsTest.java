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
}
