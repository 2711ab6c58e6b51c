package dev.gan4j.autograd;

import dev.gan4j.tensor.ConvParams;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import static dev.gan4j.autograd.TestData.strided;
import static dev.gan4j.autograd.TestData.transposed;

/**
 * First derivatives of every op against finite differences in float64 (rtol 1e-6, atol 1e-8), one line
 * per case, on random shapes, broadcasting and non-contiguous inputs ({@code transposed}, {@code strided}).
 * Inputs stay away from the points where an op is not differentiable.
 */
class OpGradTest {

    private final TestData r = new TestData(42);
    private final List<DynamicTest> cases = new ArrayList<>();

    private void op(String name, Function<List<Variable>, Variable> f, Tensor... inputs) {
        cases.add(DynamicTest.dynamicTest(name, () -> {
            try {
                GradCheck.gradcheck(f, List.of(inputs));
            } catch (AssertionError e) {
                throw new AssertionError(name + ": " + e.getMessage(), e);
            }
        }));
    }

    private void op1(String name, Function<Variable, Variable> f, Tensor x) {
        op(name, v -> f.apply(v.get(0)), x);
    }

    private void op2(String name, BiFunction<Variable, Variable, Variable> f, Tensor a, Tensor b) {
        op(name, v -> f.apply(v.get(0), v.get(1)), a, b);
    }

    @TestFactory
    List<DynamicTest> elementwise() {
        op2("add", Variable::add, r.randn(3, 4), r.randn(3, 4));
        op2("add broadcast", Variable::add, r.randn(2, 3, 4), r.randn(3, 1));
        op2("add transposed + strided", Variable::add, transposed(r.randn(3, 4)), strided(r.randn(3, 4)));
        op1("add scalar", x -> x.add(2.5), r.randn(5));
        op2("sub broadcast", Variable::sub, r.randn(4, 1), r.randn(2, 1, 3));
        op2("sub non-contiguous", Variable::sub, strided(r.randn(2, 3)), transposed(r.randn(2, 3)));
        op1("rsub", x -> x.rsub(1.5), transposed(r.randn(3, 2)));
        op2("mul broadcast", Variable::mul, r.randn(2, 3, 4), transposed(r.randn(3, 4)));
        op2("mul 0-d", Variable::mul, r.randn(3, 2), r.randn());
        op1("mul self", x -> x.mul(x), r.randn(4));
        op2("div broadcast", Variable::div, r.randn(2, 3), r.positive(3));
        op2("div non-contiguous", Variable::div, strided(r.randn(3, 2)), transposed(r.positive(3, 2)).neg());
        op1("div scalar", x -> x.div(-3), r.randn(2, 2));
        op1("neg", Variable::neg, strided(r.randn(2, 3)));
        op1("pow 3 (negative base)", x -> x.pow(3), r.randn(2, 3));
        op1("pow 2.5", x -> x.pow(2.5), transposed(r.positive(3, 2)));
        op1("pow -1.5", x -> x.pow(-1.5), r.positive(4));
        op2("pow tensor exponent", Variable::pow, r.positive(2, 3), r.randn(2, 3));
        op2("pow broadcast exponent", Variable::pow, strided(r.positive(2, 3)), r.randn(3));
        op1("sqrt", Variable::sqrt, transposed(r.positive(2, 3)));
        op1("exp", Variable::exp, r.randn(2, 3));
        op1("log", Variable::log, strided(r.positive(4, 2)));
        op1("abs", Variable::abs, transposed(r.awayFromZero(3, 3)));
        op1("tanh", Variable::tanh, r.randn(2, 3, 2));
        op1("sigmoid", Variable::sigmoid, strided(r.randn(3, 2)));
        op1("relu", Variable::relu, transposed(r.awayFromZero(4, 3)));
        op1("leaky_relu", x -> x.leakyRelu(0.2), strided(r.awayFromZero(3, 4)));
        op1("clamp", x -> x.clamp(-0.3, 0.4), r.uniform(-0.1, 0.1, 6).add(TestData.f64(
                new double[] {-1, -0.2, 0, 0.2, 1, 0.35}, 6)));
        op2("maximum broadcast", Variable::maximum, r.randn(2, 3), r.randn(3));
        op2("minimum broadcast", Variable::minimum, transposed(r.randn(3, 2)), r.randn(1, 2));
        Tensor cond = r.mask(2, 3);
        op2("where broadcast", (a, b) -> Variable.where(cond, a, b), r.randn(2, 3), strided(r.randn(1, 3)));
        op1("composite", x -> x.mul(x).add(1).log().tanh().mul(x.exp()), r.randn(2, 2));
        return cases;
    }

    @TestFactory
    List<DynamicTest> reductions() {
        op1("sum all", Variable::sum, r.randn(2, 3, 4));
        op1("sum axis 1", x -> x.sum(new int[] {1}, false), transposed(r.randn(2, 3, 4)));
        op1("sum axes 0,2 keepdim", x -> x.sum(new int[] {0, 2}, true), strided(r.randn(2, 3, 4)));
        op1("sum axis -1", x -> x.sum(new int[] {-1}, false), r.randn(3, 4));
        op1("mean all", Variable::mean, transposed(r.randn(3, 4)));
        op1("mean axis 0 keepdim", x -> x.mean(new int[] {0}, true), r.randn(3, 4));
        op1("mean axes 1,2", x -> x.mean(new int[] {1, 2}, false), strided(r.randn(2, 3, 2)));
        op1("var biased", x -> x.var(new int[] {1}, false, 0), r.randn(3, 5));
        op1("var unbiased keepdim", x -> x.var(new int[] {0, 2}, true, 1), transposed(r.randn(3, 2, 4)));
        op1("var all", x -> x.var(new int[] {0, 1}, false, 1), r.randn(4, 3));
        op1("max axis 1", x -> x.max(new int[] {1}, false), r.randn(3, 5));
        op1("max axes 0,2 keepdim", x -> x.max(new int[] {0, 2}, true), transposed(r.randn(2, 3, 4)));
        op1("min axis 0 keepdim", x -> x.min(new int[] {0}, true), strided(r.randn(4, 3)));
        op1("min axis -1", x -> x.min(new int[] {-1}, false), r.randn(2, 3, 4));
        op1("max all", x -> x.max(new int[] {0, 1}, false), r.randn(3, 3));
        op1("sumTo", x -> x.sumTo(new int[] {3, 1}), r.randn(2, 3, 4));
        return cases;
    }

    @TestFactory
    List<DynamicTest> views() {
        op1("reshape", x -> x.reshape(6, 2), r.randn(3, 4));
        op1("reshape -1 of transposed", x -> x.reshape(-1), transposed(r.randn(3, 4)));
        op1("reshape of strided", x -> x.reshape(2, 2, -1), strided(r.randn(2, 2, 3)));
        op1("permute", x -> x.permute(2, 0, 1).mul(x.permute(2, 0, 1)), r.randn(2, 3, 4));
        op1("transpose", x -> x.transpose(0, 2).exp(), strided(r.randn(2, 3, 4)));
        op1("transpose negative dims", x -> x.transpose(-1, -2).tanh(), r.randn(2, 3, 4));
        op1("t", x -> x.t().sigmoid(), transposed(r.randn(3, 4)));
        op1("expand", x -> x.expand(2, 3, 4).mul(x.expand(2, 3, 4)), r.randn(3, 1));
        op1("expand new leading dims", x -> x.expand(2, 4, 3).exp(), r.randn(1, 3));
        op1("squeeze", x -> x.squeeze(1).exp(), r.randn(2, 1, 3));
        op1("unsqueeze", x -> x.unsqueeze(1).mul(x.unsqueeze(2)), transposed(r.randn(2, 3)));
        op1("unsqueeze -1", x -> x.unsqueeze(-1).exp(), r.randn(2, 3));
        op1("slice step 2", x -> x.slice(1, 1, 6, 2).exp(), r.randn(2, 6));
        op1("slice of strided", x -> x.slice(0, 0, 3, 2).tanh(), strided(r.randn(3, 4)));
        op1("narrow", x -> x.narrow(2, 1, 2).exp(), transposed(r.randn(2, 3, 4)));
        op1("select", x -> x.select(1, 2).exp(), r.randn(2, 3, 4));
        op1("select overlapping uses", x -> x.select(0, 1).mul(x.select(1, 1)), r.randn(3, 3));
        op1("contiguous", x -> x.contiguous().exp(), transposed(r.randn(3, 4)));
        op1("flatten", x -> x.flatten(1, 2).exp(), strided(r.randn(2, 3, 2)));
        return cases;
    }

    @TestFactory
    List<DynamicTest> linearAlgebra() {
        op2("matmul 2-D", Variable::matmul, r.randn(3, 4), r.randn(4, 5));
        op2("matmul transposed operands", Variable::matmul, transposed(r.randn(3, 4)), transposed(r.randn(4, 2)));
        op2("matmul strided operand", Variable::matmul, strided(r.randn(3, 4)), r.randn(4, 2));
        op2("matmul batched", Variable::matmul, r.randn(2, 3, 4), r.randn(2, 4, 5));
        op2("matmul broadcast 2-D @ 3-D", Variable::matmul, r.randn(3, 4), r.randn(2, 4, 2));
        op2("matmul broadcast batch dims", Variable::matmul, r.randn(2, 1, 3, 4), transposed(r.randn(3, 4, 2)));
        op2("matmul 1-D @ 1-D", Variable::matmul, r.randn(4), r.randn(4));
        op2("matmul 1-D @ 2-D", Variable::matmul, r.randn(3), r.randn(3, 4));
        op2("matmul 2-D @ 1-D", Variable::matmul, r.randn(2, 3), r.randn(3));
        op2("matmul 3-D @ 1-D", Variable::matmul, r.randn(2, 2, 3), r.randn(3));
        op2("matmul 1-D @ 3-D", Variable::matmul, r.randn(3), r.randn(2, 3, 2));
        op("linear", v -> Functional.linear(v.get(0), v.get(1), v.get(2)), r.randn(4, 3), r.randn(2, 3), r.randn(2));
        op("linear no bias, 3-D input", v -> Functional.linear(v.get(0), v.get(1), null),
                r.randn(2, 2, 3), transposed(r.randn(4, 3)));
        return cases;
    }

    private static Function<List<Variable>, Variable> conv(ConvParams p) {
        return v -> Functional.conv2d(v.get(0), v.get(1), v.size() > 2 ? v.get(2) : null, p);
    }

    private static Function<List<Variable>, Variable> convT(ConvParams p, int outPadH, int outPadW) {
        return v -> Functional.convTranspose2d(v.get(0), v.get(1), v.size() > 2 ? v.get(2) : null, p, outPadH, outPadW);
    }

    @TestFactory
    List<DynamicTest> convolution() {
        op("conv2d", conv(ConvParams.of(1, 0)), r.randn(2, 2, 4, 4), r.randn(3, 2, 3, 3));
        op("conv2d bias, stride 2, padding 1", conv(ConvParams.of(2, 1)),
                r.randn(2, 2, 5, 5), r.randn(3, 2, 3, 3), r.randn(3));
        op("conv2d dilation 2, padding 2", conv(ConvParams.of(1, 2, 2)), r.randn(1, 2, 5, 5), r.randn(2, 2, 3, 3));
        op("conv2d asymmetric params, 2x3 kernel", conv(new ConvParams(2, 1, 1, 0, 1, 2)),
                r.randn(2, 1, 5, 6), r.randn(2, 1, 2, 3), r.randn(2));
        op("conv2d non-contiguous input", conv(ConvParams.of(1, 1)), transposed(r.randn(1, 2, 4, 3)),
                strided(r.randn(2, 2, 2, 2)));
        op("conv_transpose2d", convT(ConvParams.of(1, 0), 0, 0), r.randn(2, 2, 3, 3), r.randn(2, 3, 3, 3));
        op("conv_transpose2d stride 2, padding 1, output padding 1, bias", convT(ConvParams.of(2, 1), 1, 1),
                r.randn(1, 2, 3, 3), r.randn(2, 2, 3, 3), r.randn(2));
        op("conv_transpose2d dilation 2, output padding (1, 0)", convT(new ConvParams(2, 1, 0, 1, 2, 1), 1, 0),
                r.randn(2, 1, 3, 2), r.randn(1, 2, 2, 3), r.randn(2));
        op("conv_transpose2d non-contiguous", convT(ConvParams.of(2, 0), 0, 0), transposed(r.randn(1, 2, 2, 3)),
                strided(r.randn(2, 1, 2, 2)));
        return cases;
    }

    @TestFactory
    List<DynamicTest> normalisationAndPooling() {
        op("batch_norm training 4-D", v -> Functional.batchNorm(v.get(0), null, null, v.get(1), v.get(2), true, 0.1, 1e-5),
                r.randn(3, 2, 2, 2), r.positive(2), r.randn(2));
        op("batch_norm training 2-D, non-contiguous", v -> Functional.batchNorm(v.get(0), null, null, v.get(1), v.get(2),
                true, 0.1, 1e-5), transposed(r.randn(5, 3)), r.positive(3), r.randn(3));
        op("batch_norm training no affine", v -> Functional.batchNorm(v.get(0), null, null, null, null, true, 0.1, 1e-5),
                r.randn(4, 2, 3));
        op("batch_norm training beta only", v -> Functional.batchNorm(v.get(0), null, null, null, v.get(1), true, 0.1,
                1e-5).mul(v.get(0)), r.randn(4, 2), r.randn(2));
        Tensor runningMean = r.randn(3);
        Tensor runningVar = r.positive(3);
        op("batch_norm eval", v -> Functional.batchNorm(v.get(0), runningMean, runningVar, v.get(1), v.get(2), false,
                0.1, 1e-5), strided(r.randn(2, 3, 2, 2)), r.positive(3), r.randn(3));
        op1("max_pool2d k2 s2", x -> Functional.maxPool2d(x, 2, 2, 0), r.randn(2, 2, 4, 4));
        op1("max_pool2d k3 s2 p1 (overlapping)", x -> Functional.maxPool2d(x, 3, 2, 1), transposed(r.randn(1, 2, 5, 5)));
        op1("avg_pool2d k2 s2", x -> Functional.avgPool2d(x, 2, 2, 0), r.randn(2, 2, 4, 4));
        op1("avg_pool2d k3 s2 p1", x -> Functional.avgPool2d(x, 3, 2, 1), strided(r.randn(1, 2, 5, 5)));
        op1("adaptive_avg_pool2d 1", x -> Functional.adaptiveAvgPool2d(x, 1), r.randn(2, 3, 3, 3));
        op1("adaptive_avg_pool2d 2", x -> Functional.adaptiveAvgPool2d(x, 2), transposed(r.randn(1, 2, 4, 4)));
        op1("upsample_nearest 2", x -> Functional.upsampleNearest(x, 2).exp(), r.randn(1, 2, 2, 3));
        op1("upsample_nearest 3 non-contiguous", x -> Functional.upsampleNearest(x, 3), transposed(r.randn(2, 1, 2, 2)));
        op1("pad 4-D", x -> Functional.pad(x, new int[] {1, 2, 0, 1}, 0.5).exp(), r.randn(1, 2, 2, 3));
        op1("pad last dim of strided", x -> Functional.pad(x, new int[] {2, 1}, 0), strided(r.randn(2, 3)));
        return cases;
    }

    @TestFactory
    List<DynamicTest> joiningAndIndexing() {
        op("concat dim 0", v -> Functional.concat(v, 0), r.randn(2, 3), r.randn(1, 3), transposed(r.randn(3, 3)));
        op("concat dim 1", v -> Functional.concat(v, 1), r.randn(2, 3), strided(r.randn(2, 2)));
        op("concat dim -1 with reuse", v -> Functional.concat(List.of(v.get(0), v.get(1), v.get(0)), -1).exp(),
                r.randn(2, 2, 1), r.randn(2, 2, 3));
        op("stack dim 0", v -> Functional.stack(v, 0), r.randn(2, 3), transposed(r.randn(2, 3)));
        op("stack dim -1", v -> Functional.stack(v, -1).tanh(), r.randn(2, 3), r.randn(2, 3), strided(r.randn(2, 3)));
        op1("index_select dim 0 with repeats", x -> Functional.indexSelect(x, 0, new int[] {2, 0, 2, 1}), r.randn(3, 2));
        op1("index_select dim 1 non-contiguous", x -> Functional.indexSelect(x, 1, new int[] {1, 1, 3}).exp(),
                transposed(r.randn(2, 4)));
        return cases;
    }
}
