package dev.gan4j.autograd;

import dev.gan4j.tensor.ConvParams;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * WGAN-GP's gradient penalty {@code mean_i (||dD(x)/dx_i||_2 - 1)^2}, differentiated with respect to the
 * critic's parameters (and x) through a gradient taken with createGraph, against finite differences.
 */
class GradientPenaltyTest {

    private final TestData r = new TestData(99);

    /** The penalty of critic {@code d} at {@code x} (a leaf requiring grad), per sample of the batch. */
    private static Variable penalty(Function<Variable, Variable> critic, Variable x) {
        Variable out = critic.apply(x);
        Tensor ones = Tensor.onesLike(out.data());
        Variable gx = Autograd.grad(List.of(out), List.of(x), List.of(ones), true).get(0);
        Variable perSample = gx.flatten(1, gx.rank() - 1).pow(2).sum(new int[] {1}, false).sqrt();
        return perSample.sub(1).pow(2).mean();
    }

    /** inputs: x, W1, b1, W2, b2, W3, b3. */
    private static Variable mlpPenalty(List<Variable> v) {
        return penalty(x -> {
            Variable h = Functional.linear(x, v.get(1), v.get(2)).leakyRelu(0.2);
            h = Functional.linear(h, v.get(3), v.get(4)).tanh();
            return Functional.linear(h, v.get(5), v.get(6));
        }, v.get(0));
    }

    /** inputs: x, conv weight, conv bias, second conv weight, linear weight, linear bias. */
    private static Variable convPenalty(List<Variable> v) {
        return penalty(x -> {
            Variable h = Functional.conv2d(x, v.get(1), v.get(2), ConvParams.of(2, 1)).leakyRelu(0.2);
            h = Functional.conv2d(h, v.get(3), null, ConvParams.of(1, 1)).leakyRelu(0.2);
            return Functional.linear(h.flatten(1, 3), v.get(4), v.get(5));
        }, v.get(0));
    }

    @Test
    void mlpCritic() {
        List<Tensor> inputs = List.of(r.randn(5, 3), r.randn(4, 3), r.randn(4), r.randn(3, 4), r.randn(3),
                r.randn(1, 3), r.randn(1));
        GradCheck.gradcheck(GradientPenaltyTest::mlpPenalty, inputs);
        backwardMatchesFunctionalGrad(GradientPenaltyTest::mlpPenalty, inputs);
    }

    @Test
    void convCritic() {
        List<Tensor> inputs = List.of(r.randn(2, 1, 5, 5), r.randn(2, 1, 3, 3), r.randn(2), r.randn(2, 2, 3, 3),
                r.randn(1, 18), r.randn(1));
        GradCheck.gradcheck(GradientPenaltyTest::convPenalty, inputs);
        backwardMatchesFunctionalGrad(GradientPenaltyTest::convPenalty, inputs);
    }

    /** The training path: penalty.backward() fills the parameters' .grad with the same values. */
    private static void backwardMatchesFunctionalGrad(Function<List<Variable>, Variable> gp, List<Tensor> inputs) {
        List<Variable> a = inputs.stream().map(t -> Variable.of(t, true)).toList();
        List<Variable> expected = Autograd.grad(List.of(gp.apply(a)), a.subList(1, a.size()), null, false, true);
        List<Variable> b = inputs.stream().map(t -> Variable.of(t, true)).toList();
        gp.apply(b).backward();
        for (int i = 1; i < b.size(); i++) {
            Variable e = expected.get(i - 1);
            if (e == null) {
                assertNull(b.get(i).grad(), "parameter " + i);
            } else {
                assertArrayEquals(e.data().toDoubleArray(), b.get(i).grad().toDoubleArray(), 1e-12, "parameter " + i);
            }
        }
    }
}
