package dev.gan4j.tensor;

import static dev.gan4j.tensor.OpCheck.ANY;
import static dev.gan4j.tensor.OpCheck.ELEMENTWISE;
import static dev.gan4j.tensor.OpCheck.EXACT;
import static dev.gan4j.tensor.OpCheck.INTS;
import static dev.gan4j.tensor.OpCheck.POSITIVE;
import static dev.gan4j.tensor.OpCheck.assertOp;
import static dev.gan4j.tensor.OpCheck.binaryShapes;
import static dev.gan4j.tensor.OpCheck.range;
import static dev.gan4j.tensor.OpCheck.unaryShapes;
import static dev.gan4j.tensor.Reference.map;
import static dev.gan4j.tensor.Reference.zip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gan4j.tensor.OpCheck.Domain;
import dev.gan4j.tensor.OpCheck.Tol;
import java.util.function.BiFunction;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Elementwise ops against {@link Reference}. Every op's result is one correctly rounded double
 * operation per element, so float32 must agree to 1e-6 relative and float64 to 1e-12 (ELEMENTWISE);
 * comparisons, relu, abs, neg, max/min and where are exact.
 */
class ElementwiseTest {

    /** Non-zero values for denominators. */
    static final Domain NONZERO = r -> (0.25 + 2 * r.nextDouble()) * (r.nextBoolean() ? 1 : -1);
    static final Domain BITS = r -> r.nextInt(2);

    static void unary(String name, Domain domain, UnaryOperator<Tensor> op, DoubleUnaryOperator ref, Tol tol) {
        for (int[] shape : unaryShapes(name.hashCode())) {
            assertOp(name, new int[][] {shape}, domain, t -> op.apply(t[0]), n -> map(n[0], ref), tol);
        }
    }

    static void binary(String name, Domain[] domains, BiFunction<Tensor, Tensor, Tensor> op, DoubleBinaryOperator ref,
                       Tol tol) {
        for (int[][] shapes : binaryShapes(name.hashCode())) {
            assertOp(name, shapes, domains, t -> op.apply(t[0], t[1]), n -> zip(n[0], n[1], ref), tol);
        }
    }

    static void binary(String name, Domain domain, BiFunction<Tensor, Tensor, Tensor> op, DoubleBinaryOperator ref,
                       Tol tol) {
        binary(name, new Domain[] {domain, domain}, op, ref, tol);
    }

    // ---- unary ----

    @Test void neg() { unary("neg", ANY, Tensor::neg, x -> -x, EXACT); }
    @Test void abs() { unary("abs", ANY, Tensor::abs, Math::abs, EXACT); }
    @Test void sqrt() { unary("sqrt", range(0, 5), Tensor::sqrt, Math::sqrt, ELEMENTWISE); }
    @Test void exp() { unary("exp", range(-10, 10), Tensor::exp, Math::exp, ELEMENTWISE); }
    @Test void log() { unary("log", POSITIVE, Tensor::log, Math::log, ELEMENTWISE); }
    @Test void tanh() { unary("tanh", range(-5, 5), Tensor::tanh, Math::tanh, ELEMENTWISE); }
    /**
     * tanh is computed from one exp (faster than Math.tanh on Java 17); in float32 it must round exactly as
     * Math.tanh does: every float from 2^-14 to 9.1 (past it both round to 1), a stride of 97 ulps (1.5 million values), both signs,
     * and the tiny, huge and special values. (Most of them lie above 2^-10, where the exp formula is used.)
     */
    @Test void tanhRoundsAsMathTanhInFloat32() {
        int from = Float.floatToIntBits(0x1p-14f), to = Float.floatToIntBits(9.1f);
        float[] values = new float[2 * ((to - from) / 97 + 1) + 8];
        int n = 0;
        for (int bits = from; bits <= to; bits += 97) {
            values[n++] = Float.intBitsToFloat(bits);
            values[n++] = -Float.intBitsToFloat(bits);
        }
        for (float v : new float[] {0f, -0f, Float.MIN_VALUE, 1e-30f, 25f, -1e30f, Float.NaN, Float.NEGATIVE_INFINITY}) {
            values[n++] = v;
        }
        float[] got = Tensor.fromArray(java.util.Arrays.copyOf(values, n), n).tanh().toFloatArray();
        for (int i = 0; i < n; i++) {
            float want = (float) Math.tanh(values[i]);
            if (Float.compare(got[i], want) != 0) {
                throw new AssertionError("tanh(" + values[i] + ") = " + got[i] + ", Math.tanh rounds to " + want);
            }
        }
    }

    @Test void sigmoid() { unary("sigmoid", range(-20, 20), Tensor::sigmoid, Reference::sigmoid, ELEMENTWISE); }
    @Test void relu() { unary("relu", INTS, Tensor::relu, x -> Math.max(0, x), EXACT); }
    @Test void softplus() { unary("softplus", range(-30, 30), Tensor::softplus, x -> Math.log(1 + Math.exp(x)), ELEMENTWISE); }
    @Test void reluFractional() { unary("relu", ANY, Tensor::relu, x -> Math.max(0, x), EXACT); }

    @Test void leakyRelu() {
        unary("leaky_relu", ANY, t -> t.leakyRelu(0.2), x -> x > 0 ? x : 0.2 * x, ELEMENTWISE);
        unary("leaky_relu", ANY, t -> t.leakyRelu(-1.5), x -> x > 0 ? x : -1.5 * x, ELEMENTWISE);
    }

    @Test void clamp() {
        unary("clamp", ANY, t -> t.clamp(-0.5, 1.25), x -> Math.min(1.25, Math.max(-0.5, x)), EXACT);
        unary("clamp", INTS, t -> t.clamp(0, 0), x -> 0, EXACT);
    }

    @Test void powScalar() {
        unary("pow2", ANY, t -> t.pow(2), x -> x * x, ELEMENTWISE);
        unary("pow3", ANY, t -> t.pow(3), x -> x * x * x, ELEMENTWISE);
        unary("pow0.5", POSITIVE, t -> t.pow(0.5), Math::sqrt, ELEMENTWISE);
        unary("pow-1", POSITIVE, t -> t.pow(-1), x -> 1 / x, ELEMENTWISE);
    }

    @Test void scalarArithmetic() {
        unary("add_s", ANY, t -> t.add(1.5), x -> x + 1.5, ELEMENTWISE);
        unary("sub_s", ANY, t -> t.sub(0.25), x -> x - 0.25, ELEMENTWISE);
        unary("mul_s", ANY, t -> t.mul(-3), x -> x * -3, ELEMENTWISE);
        unary("div_s", ANY, t -> t.div(4), x -> x / 4, ELEMENTWISE);
        unary("maximum_s", INTS, t -> t.maximum(0.5), x -> Math.max(x, 0.5), EXACT);
        unary("minimum_s", INTS, t -> t.minimum(0.5), x -> Math.min(x, 0.5), EXACT);
        unary("eq_s", INTS, t -> t.eq(1), x -> x == 1 ? 1 : 0, EXACT);
        unary("lt_s", INTS, t -> t.lt(1), x -> x < 1 ? 1 : 0, EXACT);
        unary("le_s", INTS, t -> t.le(1), x -> x <= 1 ? 1 : 0, EXACT);
        unary("gt_s", INTS, t -> t.gt(1), x -> x > 1 ? 1 : 0, EXACT);
        unary("ge_s", INTS, t -> t.ge(1), x -> x >= 1 ? 1 : 0, EXACT);
    }

    // ---- binary, with broadcasting ----

    @Test void add() { binary("add", ANY, Tensor::add, Double::sum, ELEMENTWISE); }
    @Test void sub() { binary("sub", ANY, Tensor::sub, (a, b) -> a - b, ELEMENTWISE); }
    @Test void mul() { binary("mul", ANY, Tensor::mul, (a, b) -> a * b, ELEMENTWISE); }
    @Test void div() { binary("div", new Domain[] {ANY, NONZERO}, Tensor::div, (a, b) -> a / b, ELEMENTWISE); }
    @Test void pow() { binary("pow", new Domain[] {POSITIVE, ANY}, Tensor::pow, Math::pow, ELEMENTWISE); }
    @Test void powIntegerExponents() { binary("pow_int", new Domain[] {ANY, INTS}, Tensor::pow, Math::pow, ELEMENTWISE); }
    @Test void maximum() { binary("maximum", INTS, Tensor::maximum, Reference::max, EXACT); }
    @Test void minimum() { binary("minimum", INTS, Tensor::minimum, Reference::min, EXACT); }
    @Test void eq() { binary("eq", INTS, Tensor::eq, (a, b) -> a == b ? 1 : 0, EXACT); }
    @Test void ne() { binary("ne", INTS, Tensor::ne, (a, b) -> a != b ? 1 : 0, EXACT); }
    @Test void lt() { binary("lt", INTS, Tensor::lt, (a, b) -> a < b ? 1 : 0, EXACT); }
    @Test void le() { binary("le", INTS, Tensor::le, (a, b) -> a <= b ? 1 : 0, EXACT); }
    @Test void gt() { binary("gt", INTS, Tensor::gt, (a, b) -> a > b ? 1 : 0, EXACT); }
    @Test void ge() { binary("ge", INTS, Tensor::ge, (a, b) -> a >= b ? 1 : 0, EXACT); }

    @Test void where() {
        int[][][] cases = {
            {{}, {}, {}}, {{2, 3}, {2, 3}, {2, 3}}, {{3, 1}, {1, 4}, {}}, {{4}, {3, 4}, {3, 1}},
            {{2, 1, 5}, {1}, {3, 5}}, {{0, 2}, {2}, {1, 2}}, {{37, 1100}, {1100}, {37, 1}},
        };
        for (int[][] shapes : cases) {
            assertOp("where", shapes, new Domain[] {BITS, ANY, ANY}, t -> Tensor.where(t[0], t[1], t[2]),
                    n -> Reference.where(n[0], n[1], n[2]), EXACT);
        }
    }

    // ---- special values ----

    @Test void nanPropagatesThroughMaximumMinimumClampAndRelu() {
        for (DType dtype : OpCheck.DTYPES) {
            Tensor x = OpCheck.tensor(new double[] {Double.NaN, 1, -1, Double.NaN}, dtype, 4);
            Tensor y = OpCheck.tensor(new double[] {0, Double.NaN, 5, Double.NaN}, dtype, 4);
            assertArrayEquals(new double[] {Double.NaN, Double.NaN, 5, Double.NaN}, x.maximum(y).toDoubleArray());
            assertArrayEquals(new double[] {Double.NaN, Double.NaN, -1, Double.NaN}, x.minimum(y).toDoubleArray());
            assertArrayEquals(new double[] {Double.NaN, 0.5, -0.5, Double.NaN}, x.clamp(-0.5, 0.5).toDoubleArray());
            // torch.relu(nan) is nan: a diverging network must not be hidden by its activations.
            assertArrayEquals(new double[] {Double.NaN, 1, 0, Double.NaN}, x.relu().toDoubleArray());
            assertArrayEquals(new double[] {Double.NaN, 1, -0.25, Double.NaN}, x.leakyRelu(0.25).toDoubleArray());
        }
    }

    @Test void sigmoidSaturatesWithoutNaN() {
        for (DType dtype : OpCheck.DTYPES) {
            Tensor x = OpCheck.tensor(new double[] {-1000, -100, 0, 100, 1000}, dtype, 5);
            double[] y = x.sigmoid().toDoubleArray();
            assertEquals(0, y[0]);
            assertEquals(0.5, y[2]);
            assertEquals(1, y[4]);
            for (double v : y) assertEquals(false, Double.isNaN(v));
        }
    }

    @Test void comparisonsYieldOnesAndZerosInTheInputDtype() {
        Tensor a = Tensor.fromArray(new double[] {1, 2, 3}, 3);
        Tensor r = a.gt(Tensor.fromArray(new double[] {2}, 1));
        assertEquals(DType.F64, r.dtype());
        assertArrayEquals(new double[] {0, 0, 1}, r.toDoubleArray());
    }

    @Test void divisionByZeroFollowsIeee() {
        Tensor a = Tensor.fromArray(new float[] {1, -1, 0}, 3);
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN},
                a.div(Tensor.zeros(3)).toFloatArray());
    }
}
