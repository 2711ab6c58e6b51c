package dev.gan4j.cuda;

import dev.gan4j.autograd.Variable;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import dev.gan4j.tensor.backend.BinaryOp;
import dev.gan4j.tensor.backend.UnaryOp;
import org.junit.jupiter.api.Test;

import java.util.Random;

/**
 * Backend methods unary, binary, where, copy, fill, allocate, fromHost and toHost on cuda:0 against the
 * CPU backend, on random shapes, through contiguous, transposed, sliced and broadcast (stride 0) views.
 * The kernels compute in double like the CPU backend; cuDNN's float activations set the tolerance:
 * rtol 1e-5, atol 1e-6.
 */
class ElementwiseDifferentialTest extends Differential {

    private static final double RTOL = 1e-5;
    private static final double ATOL = 1e-6;

    @Test
    void everyUnaryOpForwardOnDenseAndStridedViews() {
        Random shapes = new Random(1);
        for (UnaryOp op : UnaryOp.values()) {
            int rows = 2 + shapes.nextInt(6);
            int cols = 2 + shapes.nextInt(9);
            Tensor x = random(new Generator(op.ordinal()), rows, cols).mul(3);
            Tensor in = op == UnaryOp.SQRT || op == UnaryOp.LOG ? x.abs().add(0.1) : x;
            checkForward(op + " dense", RTOL, ATOL, t -> t.unary(op), in);
            checkForward(op + " transposed", RTOL, ATOL, t -> t.t().unary(op), in);
            checkForward(op + " sliced", RTOL, ATOL, t -> t.slice(1, 1, cols, 2).unary(op), in);
        }
    }

    @Test
    void everyBinaryOpForwardWithBroadcasting() {
        Random shapes = new Random(2);
        for (BinaryOp op : BinaryOp.values()) {
            int a = 2 + shapes.nextInt(4);
            int b = 2 + shapes.nextInt(5);
            Tensor x = random(new Generator(10 + op.ordinal()), a, b);
            Tensor y = random(new Generator(40 + op.ordinal()), b);
            Tensor base = op == BinaryOp.POW ? x.abs().add(0.5) : x;
            Tensor right = y.to(CUDA);
            assertClose(op + " [a,b] with [b]", base.binary(op, y),
                    base.to(CUDA).binary(op, right).to(Device.CPU), RTOL, ATOL);
            assertClose(op + " transposed [b,a] with [b,1]", base.t().binary(op, y.reshape(b, 1)),
                    base.to(CUDA).t().binary(op, right.reshape(b, 1)).to(Device.CPU), RTOL, ATOL);
        }
    }

    @Test
    void comparisonsAndMaximumOnTiesZerosAndNaN() {
        Tensor a = Tensor.fromArray(new float[] {1, -0f, 0, Float.NaN, 2, -3}, 6);
        Tensor b = Tensor.fromArray(new float[] {1, 0, -0f, 1, Float.NaN, -3}, 6);
        for (BinaryOp op : BinaryOp.values()) {
            assertClose(op + " special values", a.binary(op, b), a.to(CUDA).binary(op, b.to(CUDA)).to(Device.CPU), 0, 0);
        }
    }

    /** The cuDNN activations (dense tensors) with CUDNN_PROPAGATE_NAN: NaN stays NaN, as on the CPU and in PyTorch. */
    @Test
    void cudnnActivationsPassNaNAndInfinitiesThrough() {
        Tensor x = Tensor.fromArray(new float[] {Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -0f, 0, -2, 3},
                7);
        checkForward("relu of special values", 0, 0, Tensor::relu, x);
        checkForward("sigmoid of special values", 1e-6, 1e-7, Tensor::sigmoid, x);
        checkForward("tanh of special values", 1e-6, 1e-7, Tensor::tanh, x);
    }

    @Test
    void gradientsOfElementwiseChainsThroughViews() {
        Generator gen = new Generator(3);
        Tensor x = random(gen, 4, 6);
        Tensor y = random(gen, 6);
        check("tanh/sigmoid/relu/exp chain", RTOL, ATOL,
                v -> v.get(0).t().tanh().mul(v.get(1).reshape(6, 1).sigmoid()).add(v.get(0).t().relu()).exp(), x, y);
        check("div/pow/sqrt/log/abs", RTOL, 1e-5,
                v -> v.get(0).abs().add(1).sqrt().log().div(v.get(1).abs().add(1)).pow(2.0), x, y);
        check("maximum/minimum/clamp/neg", RTOL, ATOL,
                v -> v.get(0).maximum(v.get(1).expand(4, 6)).minimum(v.get(0).neg()).clamp(-0.5, 0.7), x, y);
        check("where and leaky relu", RTOL, ATOL,
                v -> Variable.where(v.get(0).data().gt(0), v.get(0).mul(2), v.get(1).expand(4, 6)).leakyRelu(0.2), x, y);
    }

    @Test
    void leakyReluClampAndWhereForward() {
        Tensor x = random(new Generator(4), 5, 3, 4);
        checkForward("leaky relu", 0, 0, t -> t.leakyRelu(0.2), x);
        checkForward("clamp", 0, 0, t -> t.clamp(-0.3, 0.4), x);
        checkForward("where with broadcast condition", 0, 0,
                t -> Tensor.where(t.select(2, 0).unsqueeze(2).gt(0), t, t.neg().permute(0, 1, 2)), x);
    }

    @Test
    void copyFillAssignIntoViewsAndHostTransfers() {
        Tensor x = random(new Generator(5), 3, 4, 5);
        checkForward("contiguous copy of a permuted view", 0, 0, t -> t.permute(2, 0, 1).contiguous(), x);
        checkForward("fill through a strided view", 0, 0, t -> {
            Tensor c = t.copy();
            c.slice(2, 0, 5, 2).fill(7.5);
            return c;
        }, x);
        checkForward("assign a broadcast into a narrowed view", 0, 0, t -> {
            Tensor c = t.copy();
            c.narrow(1, 1, 2).assign(t.select(1, 0).unsqueeze(1));
            return c;
        }, x);
        assertClose("zeros", Tensor.zeros(3, 2), Tensor.zeros(dev.gan4j.tensor.DType.F32, CUDA, 3, 2).to(Device.CPU), 0, 0);
        Tensor onDevice = x.to(CUDA);
        org.junit.jupiter.api.Assertions.assertEquals(x.get(2, 3, 4), onDevice.get(2, 3, 4), "toHost at an offset");
        assertClose("toDoubleArray", Tensor.fromArray(x.toDoubleArray(), 3, 4, 5),
                Tensor.fromArray(onDevice.toDoubleArray(), 3, 4, 5), 0, 0);
    }
}
