package dev.gan4j.autograd;

import dev.gan4j.tensor.ConvParams;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static dev.gan4j.autograd.TestData.strided;
import static dev.gan4j.autograd.TestData.transposed;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Second derivatives (gradgradcheck, rtol 1e-6) of the ops a WGAN-GP critic uses, and the clear error
 * from the ops whose backward is a fused, once-differentiable kernel.
 */
class SecondOrderTest {

    private final TestData r = new TestData(1234);
    private final List<DynamicTest> cases = new ArrayList<>();

    private void op(String name, Function<List<Variable>, Variable> f, Tensor... inputs) {
        cases.add(DynamicTest.dynamicTest(name, () -> {
            try {
                GradCheck.gradgradcheck(f, List.of(inputs));
            } catch (AssertionError e) {
                throw new AssertionError(name + ": " + e.getMessage(), e);
            }
        }));
    }

    private void op1(String name, Function<Variable, Variable> f, Tensor x) {
        op(name, v -> f.apply(v.get(0)), x);
    }

    @TestFactory
    List<DynamicTest> gradgrad() {
        op("linear", v -> Functional.linear(v.get(0), v.get(1), v.get(2)), r.randn(3, 4), r.randn(2, 4), r.randn(2));
        op("linear then tanh", v -> Functional.linear(v.get(0), v.get(1), v.get(2)).tanh(),
                r.randn(3, 2), transposed(r.randn(3, 2)), r.randn(3));
        op("matmul 2-D", v -> v.get(0).matmul(v.get(1)), r.randn(2, 3), r.randn(3, 2));
        op("matmul batched broadcast", v -> v.get(0).matmul(v.get(1)).exp(), r.randn(2, 2, 3), strided(r.randn(3, 2)));
        op("matmul 1-D", v -> v.get(0).matmul(v.get(1)).mul(v.get(0).sum()), r.randn(3), r.randn(3, 2));
        op("conv2d", v -> Functional.conv2d(v.get(0), v.get(1), v.get(2), ConvParams.of(1, 0)),
                r.randn(1, 2, 4, 4), r.randn(2, 2, 3, 3), r.randn(2));
        op("conv2d stride 2, padding 1, dilation 2", v -> Functional.conv2d(v.get(0), v.get(1), null,
                ConvParams.of(2, 1, 2)).tanh(), r.randn(2, 1, 5, 5), r.randn(2, 1, 2, 2));
        op("conv_transpose2d", v -> Functional.convTranspose2d(v.get(0), v.get(1), v.get(2), ConvParams.of(2, 1), 1, 1),
                r.randn(1, 2, 3, 3), r.randn(2, 2, 3, 3), r.randn(2));
        op("conv_transpose2d then sigmoid", v -> Functional.convTranspose2d(v.get(0), v.get(1), null,
                ConvParams.of(1, 0), 0, 0).sigmoid(), transposed(r.randn(1, 1, 2, 3)), r.randn(1, 2, 2, 2));
        op1("leaky_relu", x -> x.leakyRelu(0.2).mul(x), r.awayFromZero(3, 4));
        op1("relu", x -> x.relu().mul(x).exp(), transposed(r.awayFromZero(3, 2)));
        op1("tanh", Variable::tanh, r.randn(2, 3));
        op1("sigmoid", Variable::sigmoid, strided(r.randn(2, 3)));
        op1("exp and log", x -> x.exp().add(x.log()), r.positive(4));
        op("add broadcast", v -> v.get(0).add(v.get(1)).mul(v.get(0)), r.randn(2, 3), r.randn(3));
        op("sub", v -> v.get(0).sub(v.get(1)).mul(v.get(1)), r.randn(2, 3), transposed(r.randn(2, 3)));
        op("mul broadcast", v -> v.get(0).mul(v.get(1)), r.randn(2, 3), r.randn(2, 1));
        op("div", v -> v.get(0).div(v.get(1)), r.randn(2, 3), r.positive(3));
        op1("pow 3", x -> x.pow(3), r.randn(5));
        op1("pow -0.5", x -> x.pow(-0.5), r.positive(5));
        op("pow tensor exponent", v -> v.get(0).pow(v.get(1)), r.positive(4), r.randn(4));
        op1("sqrt", Variable::sqrt, r.positive(2, 2));
        op1("sum", x -> x.sum(new int[] {1}, false).pow(2), r.randn(2, 3));
        op1("mean keepdim", x -> x.mean(new int[] {0}, true).mul(x), r.randn(3, 2));
        op1("var", x -> x.var(new int[] {1}, false, 1), r.randn(2, 4));
        op1("reshape and permute", x -> x.reshape(3, 2, 2).permute(2, 0, 1).pow(2), r.randn(2, 6));
        op1("transpose, expand and slice", x -> x.t().expand(2, 3, 2).slice(2, 0, 2, 1).mul(x.t()).tanh(),
                r.randn(2, 3));
        op1("narrow, select, squeeze, unsqueeze", x -> x.narrow(1, 1, 2).unsqueeze(0).squeeze(0).select(0, 1)
                .pow(3), strided(r.randn(2, 3)));
        op1("flatten and contiguous", x -> x.contiguous().flatten(0, 1).pow(2), transposed(r.randn(2, 3)));
        op1("avg_pool2d", x -> Functional.avgPool2d(x, 2, 1, 1).pow(2), r.randn(1, 2, 3, 3));
        op1("adaptive_avg_pool2d", x -> Functional.adaptiveAvgPool2d(x, 2).pow(2), r.randn(1, 1, 4, 4));
        op1("upsample_nearest", x -> Functional.upsampleNearest(x, 2).pow(2), r.randn(1, 2, 2, 2));
        op1("pad", x -> Functional.pad(x, new int[] {1, 0, 2, 1}, 1).pow(2), r.randn(1, 1, 2, 3));
        op("concat and stack", v -> Functional.stack(List.of(Functional.concat(v, 1), Functional.concat(v, 1)), 0)
                .pow(2), r.randn(2, 2), r.randn(2, 1));
        op1("index_select", x -> Functional.indexSelect(x, 0, new int[] {1, 1, 0}).pow(2), r.randn(2, 3));
        op1("max and min", x -> x.max(new int[] {1}, false).mul(x.min(new int[] {1}, false)), r.randn(3, 4));
        op1("abs and clamp", x -> x.abs().mul(x).clamp(-5, 5).mul(x), r.awayFromZero(4));
        op("maximum", v -> v.get(0).maximum(v.get(1)).pow(2), r.randn(3), r.randn(3));
        Tensor runningMean = r.randn(2);
        Tensor runningVar = r.positive(2);
        op("batch_norm eval", v -> Functional.batchNorm(v.get(0), runningMean, runningVar, v.get(1), v.get(2), false,
                0.1, 1e-5).pow(2), r.randn(3, 2), r.positive(2), r.randn(2));
        return cases;
    }

    @Test
    void doubleBackwardThroughTrainingBatchNormIsAClearError() {
        Variable x = Variable.of(r.randn(4, 2, 2, 2), true);
        Variable gamma = Variable.of(r.positive(2), true);
        Variable y = Functional.batchNorm(x, null, null, gamma, null, true, 0.1, 1e-5).pow(2).sum();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Autograd.grad(y, x, true));
        assertTrue(e.getMessage().contains("batch_norm") && e.getMessage().contains("twice"), e.getMessage());
        // First order still works on the same graph.
        Variable y2 = Functional.batchNorm(x, null, null, gamma, null, true, 0.1, 1e-5).pow(2).sum();
        Autograd.grad(y2, x, false);
    }

    @Test
    void doubleBackwardThroughMaxPoolIsAClearError() {
        Variable x = Variable.of(r.randn(1, 1, 4, 4), true);
        Variable y = Functional.maxPool2d(x, 2, 2, 0).pow(2).sum();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Autograd.grad(y, x, true));
        assertTrue(e.getMessage().contains("max_pool2d") && e.getMessage().contains("twice"), e.getMessage());
        assertTrue(Autograd.isGradEnabled(), "grad mode restored after the error");
    }
}
