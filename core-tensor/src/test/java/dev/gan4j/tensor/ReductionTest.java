package dev.gan4j.tensor;

import static dev.gan4j.tensor.OpCheck.ANY;
import static dev.gan4j.tensor.OpCheck.EXACT;
import static dev.gan4j.tensor.OpCheck.INTS;
import static dev.gan4j.tensor.OpCheck.assertOp;
import static dev.gan4j.tensor.OpCheck.tol;
import static dev.gan4j.tensor.OpCheck.unaryShapes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gan4j.tensor.OpCheck.Domain;
import dev.gan4j.tensor.OpCheck.Tol;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Reductions over random non-empty axis sets (negative axes included), with and without keepdim.
 * Sums accumulate in double, so float32 results are within a rounding or two (1e-6 relative to
 * max(1, |sum|)); mean and var do a few more float32 steps (1e-5). max, min and arg* are exact.
 */
class ReductionTest {

    @FunctionalInterface
    interface AxesOp {
        Tensor apply(Tensor t, int[] axes, boolean keepDim);
    }

    /** Random non-empty subsets of the axes, each axis randomly written as a negative index. */
    static List<int[]> axisSets(Random rng, int rank) {
        List<int[]> sets = new ArrayList<>();
        if (rank == 0) return sets;
        int[] all = new int[rank];
        for (int d = 0; d < rank; d++) all[d] = d;
        sets.add(all);
        for (int d = 0; d < rank; d++) sets.add(new int[] {rng.nextBoolean() ? d : d - rank});
        for (int i = 0; i < 2 && rank > 2; i++) {
            List<Integer> chosen = new ArrayList<>();
            for (int d = 0; d < rank; d++) if (rng.nextBoolean()) chosen.add(rng.nextBoolean() ? d : d - rank);
            if (!chosen.isEmpty()) sets.add(chosen.stream().mapToInt(Integer::intValue).toArray());
        }
        return sets;
    }

    static void reduction(String name, Domain domain, AxesOp op, ToDoubleFunction<double[]> ref, Tol tol) {
        Random rng = new Random(name.hashCode());
        for (int[] shape : unaryShapes(name.hashCode())) {
            if (name.equals("max") || name.equals("min")) shape = nonEmpty(shape);
            for (int[] axes : axisSets(rng, shape.length)) {
                for (boolean keep : new boolean[] {false, true}) {
                    assertOp(name + java.util.Arrays.toString(axes) + (keep ? " keepdim" : ""), new int[][] {shape},
                            domain, t -> op.apply(t[0], axes, keep), n -> Reference.reduce(n[0], axes, keep, ref), tol);
                }
            }
        }
    }

    private static int[] nonEmpty(int[] shape) {
        int[] s = shape.clone();
        for (int d = 0; d < s.length; d++) s[d] = Math.max(1, s[d]);
        return s;
    }

    @Test void sum() { reduction("sum", ANY, Tensor::sum, Reference::sum, tol(1e-6, 1e-12)); }
    @Test void mean() { reduction("mean", ANY, Tensor::mean, Reference::mean, tol(1e-5, 1e-12)); }
    @Test void max() { reduction("max", INTS, Tensor::max, Reference::max, EXACT); }
    @Test void maxFractional() { reduction("max", ANY, Tensor::max, Reference::max, EXACT); }
    @Test void min() { reduction("min", INTS, Tensor::min, Reference::min, EXACT); }

    @Test void var() {
        reduction("var_unbiased", ANY, (t, a, k) -> t.var(a, k, 1), v -> Reference.var(v, 1), tol(1e-5, 1e-12));
        reduction("var_biased", ANY, (t, a, k) -> t.var(a, k, 0), v -> Reference.var(v, 0), tol(1e-5, 1e-12));
    }

    @Test void argmaxAndArgminTakeTheFirstOfTies() {
        Random rng = new Random(7);
        for (int[] shape : unaryShapes(11)) {
            shape = nonEmpty(shape);
            for (int axis = -shape.length; axis < shape.length; axis++) {
                int ax = axis;
                for (boolean keep : new boolean[] {false, true}) {
                    assertOp("argmax" + ax, new int[][] {shape}, INTS, t -> t[0].argmax(ax, keep),
                            n -> Reference.reduce(n[0], new int[] {ax}, keep, Reference::argmax), EXACT);
                    assertOp("argmin" + ax, new int[][] {shape}, rng.nextBoolean() ? INTS : ANY,
                            t -> t[0].argmin(ax, keep),
                            n -> Reference.reduce(n[0], new int[] {ax}, keep, Reference::argmin), EXACT);
                }
            }
        }
    }

    @Test void wholeTensorReductions() {
        for (int[] shape : unaryShapes(3)) {
            assertOp("sum()", new int[][] {shape}, t -> t[0].sum(),
                    n -> Reference.reduce(n[0], all(n[0]), false, Reference::sum), tol(1e-6, 1e-12));
            assertOp("mean()", new int[][] {shape}, t -> t[0].mean(),
                    n -> Reference.reduce(n[0], all(n[0]), false, Reference::mean), tol(1e-5, 1e-12));
            if (Nd.numel(shape) > 0) {
                assertOp("max()", new int[][] {shape}, t -> t[0].max(),
                        n -> Reference.reduce(n[0], all(n[0]), false, Reference::max), EXACT);
                assertOp("min()", new int[][] {shape}, t -> t[0].min(),
                        n -> Reference.reduce(n[0], all(n[0]), false, Reference::min), EXACT);
            }
        }
    }

    private static int[] all(Nd n) {
        int[] a = new int[n.rank()];
        for (int d = 0; d < a.length; d++) a[d] = d;
        return a;
    }

    @Test void nanWinsMaxMinAndArgmax() {
        for (DType dtype : OpCheck.DTYPES) {
            Tensor x = OpCheck.tensor(new double[] {1, Double.NaN, 3, 4, 5, 6, Double.NaN, 0}, dtype, 2, 4);
            assertArrayEquals(new double[] {Double.NaN, Double.NaN}, x.max(new int[] {1}, false).toDoubleArray());
            assertArrayEquals(new double[] {Double.NaN, Double.NaN}, x.min(new int[] {1}, false).toDoubleArray());
            assertArrayEquals(new double[] {5, Double.NaN, Double.NaN, 4}, x.max(new int[] {0}, false).toDoubleArray());
            assertArrayEquals(new double[] {1, 2}, x.argmax(1, false).toDoubleArray());
            assertArrayEquals(new double[] {1, 2}, x.argmin(1, false).toDoubleArray());
            assertArrayEquals(new double[] {1, 0, 1, 0}, x.argmax(0, false).toDoubleArray());
            assertTrue(Double.isNaN(x.max().item()));
        }
    }

    @Test void emptyReductions() {
        Tensor e = Tensor.zeros(0, 3);
        assertArrayEquals(new float[] {0, 0, 0}, e.sum(new int[] {0}, false).toFloatArray());
        assertEquals(0, e.sum().item());
        assertTrue(Double.isNaN(e.mean().item()));
        assertArrayEquals(new int[] {0}, e.max(new int[] {1}, false).shape());
    }

    @Test void keepDimShapes() {
        Tensor x = Tensor.zeros(2, 3, 4, 5);
        assertArrayEquals(new int[] {2, 1, 4, 1}, x.sum(new int[] {1, -1}, true).shape());
        assertArrayEquals(new int[] {2, 4}, x.sum(new int[] {1, -1}, false).shape());
        assertArrayEquals(new int[] {}, x.sum().shape());
        assertArrayEquals(new int[] {2, 3, 1, 5}, x.argmax(2, true).shape());
        assertArrayEquals(new int[] {2, 3, 5}, x.argmax(-2, false).shape());
    }
}
