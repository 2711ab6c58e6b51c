package dev.gan4j.tensor;

import static dev.gan4j.tensor.OpCheck.assertClose;
import static dev.gan4j.tensor.OpCheck.assertOp;
import static dev.gan4j.tensor.OpCheck.tensor;
import static dev.gan4j.tensor.OpCheck.tol;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gan4j.tensor.OpCheck.Tol;
import dev.gan4j.tensor.Reference.Conv;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * conv2d, conv_transpose2d and conv2d's input and weight gradients against direct loops in double,
 * on random geometries (per-axis stride, padding, dilation; output padding), with and without bias,
 * on non-contiguous inputs; plus PyTorch golden values and the adjoint identities. Sums run over at
 * most a few hundred products of values in [-2, 2]: float32 within 2e-4 relative, float64 1e-10.
 */
class ConvTest {

    static final Tol CONV = tol(2e-4, 1e-10);

    /** A random convolution: input [n, c, h, w], weight [o, c, kh, kw], and its parameters. */
    record Case(int[] x, int[] w, Conv p, int outH, int outW) {}

    static List<Case> cases(long seed, int count) {
        Random rng = new Random(seed);
        List<Case> out = new ArrayList<>();
        while (out.size() < count) {
            int n = 1 + rng.nextInt(2), c = 1 + rng.nextInt(3), o = 1 + rng.nextInt(4);
            int kh = 1 + rng.nextInt(3), kw = 1 + rng.nextInt(3);
            int h = 1 + rng.nextInt(8), w = 1 + rng.nextInt(8);
            Conv p = rng.nextBoolean()
                    ? Conv.of(1 + rng.nextInt(3), rng.nextInt(2), 1 + rng.nextInt(2))
                    : new Conv(1 + rng.nextInt(3), 1 + rng.nextInt(3), rng.nextInt(3), rng.nextInt(3),
                            1 + rng.nextInt(2), 1 + rng.nextInt(2), 0, 0);
            int oh = Math.floorDiv(h + 2 * p.ph() - p.dh() * (kh - 1) - 1, p.sh()) + 1;
            int ow = Math.floorDiv(w + 2 * p.pw() - p.dw() * (kw - 1) - 1, p.sw()) + 1;
            if (oh <= 0 || ow <= 0) continue;
            out.add(new Case(new int[] {n, c, h, w}, new int[] {o, c, kh, kw}, p, oh, ow));
        }
        out.add(new Case(new int[] {2, 16, 9, 9}, new int[] {8, 16, 3, 3}, Conv.of(1, 1, 1), 9, 9));
        out.add(new Case(new int[] {2, 20, 11, 10}, new int[] {33, 20, 3, 3}, new Conv(2, 2, 1, 1, 1, 2, 0, 0), 6, 4));
        return out;
    }

    @Test void conv2d() {
        for (Case k : cases(1, 24)) {
            assertOp("conv2d " + k.p(), new int[][] {k.x(), k.w(), {k.w()[0]}},
                    t -> Tensor.conv2d(t[0], t[1], t[2], k.p().params()),
                    n -> Reference.conv2d(n[0], n[1], n[2], k.p()), CONV);
            assertOp("conv2d_nobias " + k.p(), new int[][] {k.x(), k.w()},
                    t -> Tensor.conv2d(t[0], t[1], null, k.p().params()),
                    n -> Reference.conv2d(n[0], n[1], null, k.p()), CONV);
        }
    }

    @Test void conv2dBackwardInput() {
        for (Case k : cases(2, 20)) {
            int[] gy = {k.x()[0], k.w()[0], k.outH(), k.outW()};
            assertOp("conv2d_backward_input " + k.p(), new int[][] {gy, k.w()},
                    t -> Tensor.conv2dBackwardInput(t[0], t[1], k.x(), k.p().params()),
                    n -> Reference.conv2dGradInput(n[0], n[1], k.x(), k.p()), CONV);
        }
    }

    @Test void conv2dBackwardWeight() {
        for (Case k : cases(3, 20)) {
            int[] gy = {k.x()[0], k.w()[0], k.outH(), k.outW()};
            assertOp("conv2d_backward_weight " + k.p(), new int[][] {k.x(), gy},
                    t -> Tensor.conv2dBackwardWeight(t[0], t[1], k.w(), k.p().params()),
                    n -> Reference.conv2dGradWeight(n[0], n[1], k.w(), k.p()), CONV);
        }
    }

    @Test void convTranspose2d() {
        Random rng = new Random(4);
        for (int i = 0; i < 24; i++) {
            int n = 1 + rng.nextInt(2), cin = 1 + rng.nextInt(3), cout = 1 + rng.nextInt(3);
            int kh = 1 + rng.nextInt(4), kw = 1 + rng.nextInt(4), h = 1 + rng.nextInt(5), w = 1 + rng.nextInt(5);
            int sh = 1 + rng.nextInt(3), sw = 1 + rng.nextInt(3), dh = 1 + rng.nextInt(2), dw = 1 + rng.nextInt(2);
            int ph = rng.nextInt(2), pw = rng.nextInt(2), oph = rng.nextInt(sh), opw = rng.nextInt(sw);
            Conv p = new Conv(sh, sw, ph, pw, dh, dw, oph, opw);
            int outH = (h - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1;
            int outW = (w - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1;
            if (outH <= 0 || outW <= 0) continue;
            boolean bias = rng.nextBoolean();
            int[][] shapes = bias ? new int[][] {{n, cin, h, w}, {cin, cout, kh, kw}, {cout}}
                    : new int[][] {{n, cin, h, w}, {cin, cout, kh, kw}};
            assertOp("conv_transpose2d " + p, shapes,
                    t -> Tensor.convTranspose2d(t[0], t[1], bias ? t[2] : null, p.params(), oph, opw),
                    nd -> Reference.convTranspose2d(nd[0], nd[1], bias ? nd[2] : null, p), CONV);
        }
    }

    /** <conv(x, w), gy> = <x, dX(gy, w)> = <w, dW(x, gy)>: the three kernels are one bilinear form. */
    @Test void backwardKernelsAreAdjointsOfTheForward() {
        Random rng = new Random(5);
        for (Case k : cases(6, 12)) {
            int[] gyShape = {k.x()[0], k.w()[0], k.outH(), k.outW()};
            Tensor x = OpCheck.dense(rng, k.x(), OpCheck.ANY, DType.F64).tensor();
            Tensor w = OpCheck.dense(rng, k.w(), OpCheck.ANY, DType.F64).tensor();
            Tensor gy = OpCheck.dense(rng, gyShape, OpCheck.ANY, DType.F64).tensor();
            ConvParams p = k.p().params();
            double forward = Tensor.conv2d(x, w, null, p).mul(gy).sum().item();
            double viaInput = x.mul(Tensor.conv2dBackwardInput(gy, w, k.x(), p)).sum().item();
            double viaWeight = w.mul(Tensor.conv2dBackwardWeight(x, gy, k.w(), p)).sum().item();
            assertEquals(forward, viaInput, 1e-10 * Math.max(1, Math.abs(forward)), k.toString());
            assertEquals(forward, viaWeight, 1e-10 * Math.max(1, Math.abs(forward)), k.toString());
        }
    }

    @Test void matchesPyTorch() {
        for (DType dtype : OpCheck.DTYPES) {
            Tol t = tol(1e-5, 1e-12);
            Tensor x = tensor(Golden.get("conv.x"), dtype), w = tensor(Golden.get("conv.w"), dtype);
            Tensor b = tensor(Golden.get("conv.b"), dtype);
            assertClose("torch conv2d", Golden.get("conv2d.s2x1_p1x0_d1x2"),
                    Tensor.conv2d(x, w, b, new ConvParams(2, 1, 1, 0, 1, 2)), t);
            Tensor xt = tensor(Golden.get("convt.x"), dtype), wt = tensor(Golden.get("convt.w"), dtype);
            Tensor bt = tensor(Golden.get("convt.b"), dtype);
            assertClose("torch conv_transpose2d", Golden.get("convt.s2x1_p1x0_op1x0_d1x2"),
                    Tensor.convTranspose2d(xt, wt, bt, new ConvParams(2, 1, 1, 0, 1, 2), 1, 0), t);
            assertClose("torch conv_transpose2d", Golden.get("convt.s3_p1_op2"),
                    Tensor.convTranspose2d(xt, wt, null, ConvParams.of(3, 1), 2, 2), t);
        }
    }

    @Test void badArgumentsAreNamed() {
        Tensor x = Tensor.zeros(1, 3, 5, 5);
        assertMessage("conv2d: input [1, 3, 5, 5] and weight [4, 2, 3, 3] do not match",
                () -> Tensor.conv2d(x, Tensor.zeros(4, 2, 3, 3), null, ConvParams.of(1, 0)));
        assertMessage("conv2d: kernel 7x7", () -> Tensor.conv2d(x, Tensor.zeros(4, 3, 7, 7), null, ConvParams.of(1, 0)));
        assertMessage("conv2d: bias shape [3] does not match 4 output channels",
                () -> Tensor.conv2d(x, Tensor.zeros(4, 3, 3, 3), Tensor.zeros(3), ConvParams.of(1, 0)));
        assertMessage("conv2d: tensors have different dtypes (float32 and float64)",
                () -> Tensor.conv2d(x, Tensor.zeros(DType.F64, Device.CPU, 4, 3, 3, 3), null, ConvParams.of(1, 0)));
        assertMessage("conv: stride and dilation must be >= 1", () -> ConvParams.of(0, 0));
        assertMessage("conv_transpose2d: output padding (2, 2) must be >= 0 and smaller than the stride",
                () -> Tensor.convTranspose2d(x, Tensor.zeros(3, 2, 3, 3), null, ConvParams.of(2, 0), 2, 2));
        // Allowed by PyTorch when smaller than the dilation; here it used to fail later with a confusing
        // "conv2d_backward_input: output gradient has shape" message.
        assertMessage("conv_transpose2d: output padding (1, 0) must be >= 0 and smaller than the stride",
                () -> Tensor.convTranspose2d(Tensor.zeros(1, 3, 3, 3), Tensor.zeros(3, 2, 2, 2), null,
                        ConvParams.of(1, 0, 2), 1, 0));
        assertMessage("conv_transpose2d: input [1, 3, 5, 5] and weight [2, 3, 3, 3] do not match",
                () -> Tensor.convTranspose2d(x, Tensor.zeros(2, 3, 3, 3), null, ConvParams.of(1, 0), 0, 0));
        assertMessage("conv2d_backward_input: output gradient has shape [1, 4, 2, 2] but the convolution produces [1, 4, 3, 3]",
                () -> Tensor.conv2dBackwardInput(Tensor.zeros(1, 4, 2, 2), Tensor.zeros(4, 3, 3, 3), x.shape(),
                        ConvParams.of(1, 0)));
    }

    static void assertMessage(String expectedStart, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(expectedStart), () -> "message was: " + e.getMessage());
    }
}
