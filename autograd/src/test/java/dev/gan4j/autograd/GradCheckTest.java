package dev.gan4j.autograd;

import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker itself: it must catch wrong rules, and say where. */
class GradCheckTest {

    private final TestData r = new TestData(7);

    /** x^2 with a first derivative that is off by 1% on the element at index 2. */
    private static Variable wrongSquare(Variable x) {
        Tensor scale = Tensor.onesLike(x.data());
        scale.narrow(0, 2, 1).fill(1.01);
        return Node.record("wrong_square", x.data().mul(x.data()), Saves.INPUTS,
                (i, g, y) -> g.mul(x).mul(2).mul(Variable.constant(scale)), x);
    }

    /** x^2 with a correct first derivative that is not itself differentiable (2x taken as a constant). */
    private static Variable onceSquare(Variable x) {
        return Node.record("once_square", x.data().mul(x.data()), Saves.INPUTS,
                (i, g, y) -> g.mul(Variable.constant(x.data().mul(2))), x);
    }

    @Test
    void catchesAWrongFirstDerivativeAndNamesTheElement() {
        Tensor x = r.randn(4);
        AssertionError e = assertThrows(AssertionError.class,
                () -> GradCheck.gradcheck(v -> wrongSquare(v.get(0)), List.of(x)));
        assertTrue(e.getMessage().contains("input 0") && e.getMessage().contains("element [2]")
                && e.getMessage().contains("analytic") && e.getMessage().contains("numeric"), e.getMessage());
    }

    @Test
    void namesTheInputThatIsWrong() {
        AssertionError e = assertThrows(AssertionError.class, () -> GradCheck.gradcheck(
                v -> v.get(0).mul(wrongSquare(v.get(1))), List.of(r.randn(4), r.randn(4))));
        assertTrue(e.getMessage().contains("input 1"), e.getMessage());
    }

    @Test
    void firstOrderCheckPassesButSecondOrderCatchesANonDifferentiableRule() {
        Tensor x = r.randn(3);
        GradCheck.gradcheck(v -> onceSquare(v.get(0)), List.of(x));
        AssertionError e = assertThrows(AssertionError.class,
                () -> GradCheck.gradgradcheck(v -> onceSquare(v.get(0)), List.of(x)));
        assertTrue(e.getMessage().startsWith("gradgradcheck"), e.getMessage());
    }

    @Test
    void secondOrderOfLinearFunctionsIsZeroAndPasses() {
        GradCheck.gradgradcheck(v -> v.get(0).add(v.get(1)).mul(3), List.of(r.randn(2, 2), r.randn(2)));
    }

    @Test
    void unusedInputsHaveZeroGradient() {
        GradCheck.gradcheck(v -> v.get(0).exp(), List.of(r.randn(3), r.randn(2)));
        AssertionError e = assertThrows(AssertionError.class,
                () -> GradCheck.gradcheck(v -> v.get(0).exp().add(Variable.constant(v.get(1).data().sum())),
                        List.of(r.randn(3), r.randn(2))));
        assertTrue(e.getMessage().contains("input 1"), e.getMessage());
    }

    @Test
    void restoresTheInputsExactly() {
        Tensor x = TestData.transposed(r.randn(3, 2));
        double[] before = x.toDoubleArray();
        GradCheck.gradcheck(v -> v.get(0).exp(), List.of(x));
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, x.toDoubleArray(), 0.0);
    }

    @Test
    void rejectsFloat32AndExpandedInputs() {
        IllegalArgumentException f32 = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.gradcheck(v -> v.get(0).exp(), List.of(r.randn(3).to(DType.F32))));
        assertTrue(f32.getMessage().contains("F64"), f32.getMessage());
        IllegalArgumentException expanded = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.gradcheck(v -> v.get(0).exp(), List.of(r.randn(3, 1).expand(3, 4))));
        assertTrue(expanded.getMessage().contains("expanded"), expanded.getMessage());
    }
}
