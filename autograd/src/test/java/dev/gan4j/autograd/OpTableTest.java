package dev.gan4j.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gan4j.tensor.Tensor;
import dev.gan4j.tensor.backend.BinaryOp;
import dev.gan4j.tensor.backend.UnaryOp;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Every row of the op table ({@link UnaryOp}, {@link BinaryOp} and their {@link Derivatives}) is
 * covered, with no list of ops kept here to fall out of date: the CPU kernel agrees with the row's
 * scalar definition on every element (float64, a transposed view too), the gradient passes
 * {@link GradCheck#gradcheck}, and the second derivative passes {@link GradCheck#gradgradcheck} where the
 * row says it is twice differentiable. Comparisons must refuse a gradient. The CUDA half of the table is
 * checked in cuda-backend: KernelSourceTest (one generated case per op, nvcc -ptx) and
 * ElementwiseDifferentialTest (every op, emulated or real device, against this CPU kernel).
 */
class OpTableTest {

    private final TestData r = new TestData(12);

    /** Inputs inside the op's domain and away from its kinks, so finite differences are meaningful. */
    private Tensor unaryInput(UnaryOp op) {
        return switch (op) {
            case SQRT, LOG -> r.positive(3, 4);
            default -> r.awayFromZero(3, 4);
        };
    }

    private Tensor[] binaryInputs(BinaryOp op) {
        return switch (op) {
            case POW -> new Tensor[] {r.positive(3, 4), r.randn(4)};
            case DIV -> new Tensor[] {r.randn(3, 4), r.positive(4)};
            case LEAKY_RELU -> new Tensor[] {r.awayFromZero(3, 4), r.uniform(0.05, 0.5, 4)};
            // Distinct values, so maximum/minimum have no ties within the finite-difference step.
            default -> new Tensor[] {r.awayFromZero(3, 4), r.awayFromZero(4).mul(1.7)};
        };
    }

    @TestFactory
    List<DynamicTest> everyUnaryOp() {
        List<DynamicTest> cases = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            Tensor x = unaryInput(op);
            cases.add(DynamicTest.dynamicTest(op.opName() + ": CPU kernel = scalar definition", () -> {
                assertMatchesScalar(op.opName(), x.unary(op), x, op::apply);
                assertMatchesScalar(op.opName() + " transposed", x.t().unary(op), x.t(), op::apply);
            }));
            cases.add(DynamicTest.dynamicTest(op.opName() + ": gradient", () ->
                    GradCheck.gradcheck(v -> v.get(0).unary(op), List.of(x))));
            if (Derivatives.of(op, Variable.constant(x)).twiceDifferentiable()) {
                cases.add(DynamicTest.dynamicTest(op.opName() + ": second derivative", () ->
                        GradCheck.gradgradcheck(v -> v.get(0).unary(op), List.of(x))));
            }
        }
        return cases;
    }

    @TestFactory
    List<DynamicTest> everyBinaryOp() {
        List<DynamicTest> cases = new ArrayList<>();
        for (BinaryOp op : BinaryOp.values()) {
            Tensor[] in = binaryInputs(op);
            Tensor a = in[0];
            Tensor b = in[1];
            cases.add(DynamicTest.dynamicTest(op.opName() + ": CPU kernel = scalar definition", () -> {
                Tensor expanded = b.expand(a.shape());
                Tensor got = a.binary(op, b);
                double[] av = a.toDoubleArray();
                double[] bv = expanded.contiguous().toDoubleArray();
                double[] gv = got.toDoubleArray();
                for (int i = 0; i < av.length; i++) {
                    assertEquals(op.apply(av[i], bv[i]), gv[i], 0, op.opName() + " at " + i);
                }
            }));
            if (op.isComparison()) {
                cases.add(DynamicTest.dynamicTest(op.opName() + ": no gradient", () -> assertThrows(
                        IllegalArgumentException.class,
                        () -> Variable.of(a, true).binary(op, Variable.constant(b)))));
                continue;
            }
            cases.add(DynamicTest.dynamicTest(op.opName() + ": gradient", () ->
                    GradCheck.gradcheck(v -> v.get(0).binary(op, v.get(1)), List.of(a, b))));
            if (Derivatives.of(op, Variable.constant(a), Variable.constant(b)).twiceDifferentiable()) {
                cases.add(DynamicTest.dynamicTest(op.opName() + ": second derivative", () ->
                        GradCheck.gradgradcheck(v -> v.get(0).binary(op, v.get(1)), List.of(a, b))));
            }
        }
        return cases;
    }

    private static void assertMatchesScalar(String what, Tensor got, Tensor in,
                                            java.util.function.DoubleUnaryOperator scalar) {
        double[] x = in.contiguous().toDoubleArray();
        double[] y = got.toDoubleArray();
        for (int i = 0; i < x.length; i++) assertEquals(scalar.applyAsDouble(x[i]), y[i], 0, what + " at " + i);
    }
}
