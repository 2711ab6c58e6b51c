package dev.gan4j.autograd;

import dev.gan4j.tensor.ConvParams;
import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Training runs in float32, whose GEMM and convolution kernels differ from the float64 ones that the
 * finite-difference checks use: the same gradients computed in both precisions must agree to float32
 * accuracy (relative 1e-4 of the largest gradient element).
 */
class Float32Test {

    private final TestData r = new TestData(5);

    private static List<Tensor> grads(Function<List<Variable>, Variable> f, List<Tensor> inputs, DType dtype) {
        List<Variable> xs = new ArrayList<>();
        for (Tensor t : inputs) xs.add(Variable.of(t.to(dtype), true));
        Variable y = f.apply(xs);
        Tensor u = Tensor.onesLike(y.data()).mul(y.data().to(DType.F64).to(dtype).tanh()); // a fixed, output-shaped weight
        List<Tensor> result = new ArrayList<>();
        for (Variable g : Autograd.grad(List.of(y), xs, List.of(u), false, true)) {
            result.add(g == null ? null : g.data().to(DType.F64));
        }
        return result;
    }

    private static void agree(String name, Function<List<Variable>, Variable> f, Tensor... inputs) {
        List<Tensor> g64 = grads(f, List.of(inputs), DType.F64);
        List<Tensor> g32 = grads(f, List.of(inputs), DType.F32);
        for (int i = 0; i < inputs.length; i++) {
            assertEquals(g64.get(i) == null, g32.get(i) == null, name + ": input " + i + " used in one precision only");
            if (g64.get(i) == null) continue;
            double[] a = g64.get(i).toDoubleArray();
            double[] b = g32.get(i).toDoubleArray();
            double scale = 0;
            for (double v : a) scale = Math.max(scale, Math.abs(v));
            for (int k = 0; k < a.length; k++) {
                assertEquals(a[k], b[k], 1e-4 * Math.max(scale, 1e-3), name + ": input " + i + " element " + k);
            }
        }
    }

    @Test
    void denseAndConvolutionalLayers() {
        agree("linear", v -> Functional.linear(v.get(0), v.get(1), v.get(2)).tanh(),
                r.randn(7, 19), r.randn(13, 19), r.randn(13));
        agree("batched matmul with transposed operand", v -> v.get(0).matmul(v.get(1).transpose(-1, -2)),
                r.randn(3, 9, 17), r.randn(3, 11, 17));
        agree("conv2d", v -> Functional.conv2d(v.get(0), v.get(1), v.get(2), ConvParams.of(2, 1)).leakyRelu(0.2),
                r.randn(2, 3, 9, 9), r.randn(5, 3, 3, 3), r.randn(5));
        agree("conv2d dilation", v -> Functional.conv2d(v.get(0), v.get(1), null, ConvParams.of(1, 2, 2)),
                r.randn(1, 2, 7, 8), r.randn(3, 2, 3, 3));
        agree("conv_transpose2d", v -> Functional.convTranspose2d(v.get(0), v.get(1), v.get(2), ConvParams.of(2, 1), 1, 1)
                .tanh(), r.randn(2, 4, 4, 4), r.randn(4, 3, 4, 4), r.randn(3));
        agree("batch_norm", v -> Functional.batchNorm(v.get(0), null, null, v.get(1), v.get(2), true, 0.1, 1e-5).tanh(),
                r.randn(4, 3, 3, 3), r.positive(3), r.randn(3));
        agree("pools", v -> Functional.avgPool2d(Functional.maxPool2d(v.get(0), 2, 2, 0), 2, 1, 1),
                r.randn(2, 2, 6, 6));
    }

    @Test
    void gradientPenaltyInFloat32() {
        agree("gradient penalty", v -> {
            Variable x = v.get(0);
            Variable d = Functional.linear(Functional.conv2d(x, v.get(1), v.get(2), ConvParams.of(2, 1)).leakyRelu(0.2)
                    .flatten(1, 3), v.get(3), null);
            Variable gx = Autograd.grad(List.of(d), List.of(x), List.of(Tensor.onesLike(d.data())), true).get(0);
            return gx.flatten(1, 3).pow(2).sum(new int[] {1}, false).sqrt().sub(1).pow(2).mean();
        }, r.randn(3, 2, 6, 6), r.randn(4, 2, 3, 3), r.randn(4), r.randn(1, 36));
    }
}
