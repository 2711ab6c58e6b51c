package dev.gan4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;

/** Random test data and closeness checks shared by the nn tests. */
public final class TestTensors {

    private TestTensors() {}

    /** Float64 values uniform in [-1, 1), seeded. */
    public static Tensor random(long seed, int... shape) {
        return Tensor.uniform(new Generator(seed), -1, 1, DType.F64, Device.CPU, shape);
    }

    /**
     * Float64 values at least {@code gap} away from each other and from 0, in random order: inputs for
     * finite differences through relu kinks and max-pool ties.
     */
    public static Tensor distinct(long seed, double gap, int... shape) {
        int n = Tensor.zeros(shape).numel();
        int[] order = new Generator(seed).permutation(n);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = (order[i] - n / 2 + 0.5) * gap;
        return Tensor.fromArray(values, shape);
    }

    /** Every element within {@code tol * max(1, |expected|)}, and the same shape. */
    public static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertClose(expected.toDoubleArray(), actual.toDoubleArray(), tol, what);
    }

    public static void assertClose(double[] expected, double[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * Math.max(1, Math.abs(expected[i])), what + "[" + i + "]");
        }
    }
}
