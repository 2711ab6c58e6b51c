package dev.gan4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

/**
 * The forward values of the composites that live only in this layer (the tensor layer has one method
 * per kernel): {@link Functional#linear}, {@link Variable#matmul}'s promotion of vectors and
 * {@link Functional#stack}, and of {@link Functional#upsampleNearest} (a kernel of its own, once a
 * composite of views), against loops in double (float64 inputs; 1e-12). Their gradients are in
 * OpGradTest and SecondOrderTest.
 */
class CompositeOpsTest {

    private final TestData r = new TestData(7);

    private static Variable v(Tensor t) {
        return Variable.constant(t);
    }

    private static void assertValues(double[] expected, Tensor actual, int[] shape) {
        assertArrayEquals(shape, actual.shape(), "shape");
        assertArrayEquals(expected, actual.toDoubleArray(), 1e-12);
    }

    /** {@code y[b, o] = sum_i x[b, i] w[o, i] + bias[o]} over x viewed as {@code [rows, in]}. */
    private static double[] linear(double[] x, double[] w, double[] bias, int rows, int in, int out) {
        double[] y = new double[rows * out];
        for (int b = 0; b < rows; b++) {
            for (int o = 0; o < out; o++) {
                double s = bias == null ? 0 : bias[o];
                for (int i = 0; i < in; i++) s += x[b * in + i] * w[o * in + i];
                y[b * out + o] = s;
            }
        }
        return y;
    }

    @Test
    void linearOnBatchesVectorsAndHigherRanks() {
        Tensor w = r.randn(3, 6);
        Tensor bias = r.randn(3);
        for (int[] shape : new int[][] {{4, 6}, {6}, {2, 4, 6}}) {
            Tensor x = r.randn(shape);
            int rows = x.numel() / 6;
            int[] outShape = shape.clone();
            outShape[shape.length - 1] = 3;
            assertValues(linear(x.toDoubleArray(), w.toDoubleArray(), bias.toDoubleArray(), rows, 6, 3),
                    Functional.linear(v(x), v(w), v(bias)).data(), outShape);
            assertValues(linear(x.toDoubleArray(), w.toDoubleArray(), null, rows, 6, 3),
                    Functional.linear(v(x), v(w), null).data(), outShape);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.linear(v(r.randn(2, 3)), v(r.randn(4, 5)), null));
        assertEquals("linear: input [2, 3], weight [4, 5] and bias none do not match"
                + " (expects [..., in], [out, in] and [out])", e.getMessage());
    }

    /**
     * The functional grad (what the trainer uses) hands gradients out as computed: linear's weight gradient
     * must not be a transposed view, which the optimiser's in-place kernel would have to copy.
     */
    @Test
    void linearWeightGradientIsDenseInTheWeightsLayout() {
        Variable w = Variable.of(r.randn(3, 6), true);
        Tensor x = r.randn(2, 4, 6);
        Tensor grad = Autograd.grad(List.of(Functional.linear(v(x), w, null).sum()), List.of(w), null, false).get(0).data();
        assertTrue(grad.layout().isContiguous() && grad.layout().offset() == 0, "dense [3, 6], got strides "
                + Arrays.toString(grad.layout().strides()));
        double[] xv = x.toDoubleArray();
        double[] expected = new double[18];
        for (int row = 0; row < 8; row++) for (int o = 0; o < 3; o++) for (int i = 0; i < 6; i++) expected[o * 6 + i] += xv[row * 6 + i];
        assertValues(expected, grad, new int[] {3, 6});
    }

    @Test
    void matmulPromotesVectorsAndSqueezesThemAway() {
        Tensor a = r.randn(4, 5);
        Tensor x = r.randn(5);
        Tensor y = r.randn(5);
        double[] av = a.toDoubleArray(), xv = x.toDoubleArray(), yv = y.toDoubleArray();
        double dot = 0;
        for (int i = 0; i < 5; i++) dot += xv[i] * yv[i];
        assertValues(new double[] {dot}, v(x).matmul(v(y)).data(), new int[0]);
        double[] ax = new double[4];
        for (int row = 0; row < 4; row++) for (int i = 0; i < 5; i++) ax[row] += av[row * 5 + i] * xv[i];
        assertValues(ax, v(a).matmul(v(x)).data(), new int[] {4});
        Tensor b = r.randn(5, 3);
        double[] bv = b.toDoubleArray();
        double[] xb = new double[3];
        for (int c = 0; c < 3; c++) for (int i = 0; i < 5; i++) xb[c] += xv[i] * bv[i * 3 + c];
        assertValues(xb, v(x).matmul(v(b)).data(), new int[] {3});
    }

    @Test
    void upsampleNearestRepeatsEachPixel() {
        Tensor x = r.randn(2, 3, 2, 3);
        double[] xv = x.toDoubleArray();
        int scale = 3;
        double[] expected = new double[2 * 3 * 6 * 9];
        for (int nc = 0; nc < 6; nc++) {
            for (int h = 0; h < 6; h++) {
                for (int w = 0; w < 9; w++) expected[(nc * 6 + h) * 9 + w] = xv[(nc * 2 + h / scale) * 3 + w / scale];
            }
        }
        assertValues(expected, Functional.upsampleNearest(v(x), scale).data(), new int[] {2, 3, 6, 9});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.upsampleNearest(v(r.randn(2, 3)), 2));
        assertEquals("upsample_nearest: expects [N, C, H, W] and scale >= 1, got [2, 3] and 2", e.getMessage());
    }

    @Test
    void stackJoinsAlongANewDimension() {
        Tensor p = r.randn(2, 3);
        Tensor q = r.randn(2, 3);
        double[] pv = p.toDoubleArray(), qv = q.toDoubleArray();
        double[] alongLast = new double[12];
        for (int i = 0; i < 6; i++) {
            alongLast[2 * i] = pv[i];
            alongLast[2 * i + 1] = qv[i];
        }
        assertValues(alongLast, Functional.stack(List.of(v(p), v(q)), -1).data(), new int[] {2, 3, 2});
        double[] alongFirst = new double[12];
        System.arraycopy(pv, 0, alongFirst, 0, 6);
        System.arraycopy(qv, 0, alongFirst, 6, 6);
        assertValues(alongFirst, Functional.stack(List.of(v(p), v(q)), 0).data(), new int[] {2, 2, 3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.stack(List.of(v(p), v(r.randn(3, 2))), 0));
        assertEquals("stack: shapes [2, 3] and [3, 2] differ", e.getMessage());
    }
}
