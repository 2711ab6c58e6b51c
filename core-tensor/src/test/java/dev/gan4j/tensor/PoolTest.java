package dev.gan4j.tensor;

import static dev.gan4j.tensor.ConvTest.assertMessage;
import static dev.gan4j.tensor.OpCheck.EXACT;
import static dev.gan4j.tensor.OpCheck.INTS;
import static dev.gan4j.tensor.OpCheck.assertClose;
import static dev.gan4j.tensor.OpCheck.assertOp;
import static dev.gan4j.tensor.OpCheck.tensor;
import static dev.gan4j.tensor.OpCheck.tol;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gan4j.tensor.OpCheck.Tol;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * max_pool2d (values, winner indices, backward) and avg_pool2d (count_include_pad, floor mode, and
 * backward) on random geometries with padding up to half the kernel; nearest upsampling and its
 * adjoint (block sums) on odd sizes. Max pooling and upsampling are exact; averages and block sums
 * add at most 25 values in double (float32 1e-6, float64 1e-12).
 */
class PoolTest {

    static final Tol AVG = tol(1e-6, 1e-12);

    record Case(int[] x, int k, int s, int p, int[] y) {}

    static List<Case> cases(long seed) {
        Random rng = new Random(seed);
        List<Case> out = new ArrayList<>();
        while (out.size() < 16) {
            int k = 1 + rng.nextInt(4), s = 1 + rng.nextInt(3), p = rng.nextInt(k / 2 + 1);
            int n = 1 + rng.nextInt(2), c = 1 + rng.nextInt(3), h = 1 + rng.nextInt(8), w = 1 + rng.nextInt(8);
            int oh = Reference.poolOut(h, k, s, p), ow = Reference.poolOut(w, k, s, p);
            if (oh <= 0 || ow <= 0) continue;
            out.add(new Case(new int[] {n, c, h, w}, k, s, p, new int[] {n, c, oh, ow}));
        }
        out.add(new Case(new int[] {2, 3, 32, 32}, 2, 2, 0, new int[] {2, 3, 16, 16}));
        return out;
    }

    @Test void maxPool() {
        for (Case c : cases(1)) {
            for (OpCheck.Domain d : new OpCheck.Domain[] {INTS, OpCheck.ANY}) {
                assertOp("max_pool2d k" + c.k() + "s" + c.s() + "p" + c.p(), new int[][] {c.x()}, d,
                        t -> t[0].maxPool2d(c.k(), c.s(), c.p()), n -> Reference.maxPool2d(n[0], c.k(), c.s(), c.p())[0],
                        EXACT);
                assertOp("max_pool2d indices k" + c.k() + "s" + c.s() + "p" + c.p(), new int[][] {c.x()}, d,
                        t -> t[0].maxPool2dWithIndices(c.k(), c.s(), c.p()).argmax(),
                        n -> Reference.maxPool2d(n[0], c.k(), c.s(), c.p())[1], EXACT);
            }
        }
    }

    @Test void maxPoolBackwardRoutesToWinnersAndAccumulates() {
        for (Case c : cases(2)) {
            // The input (with ties) fixes the winners; gy is the op's input.
            Random rng = new Random(c.hashCode());
            Nd x = new Nd(c.x(), OpCheck.draw(rng, Nd.numel(c.x()), INTS, DType.F64));
            Nd idx = Reference.maxPool2d(x, c.k(), c.s(), c.p())[1];
            assertOp("max_pool2d_backward k" + c.k() + "s" + c.s() + "p" + c.p(), new int[][] {c.y()},
                    t -> Tensor.maxPool2dBackward(t[0], tensor(idx, t[0].dtype()), c.x(), c.k(), c.s(), c.p()),
                    n -> Reference.maxPool2dBackward(n[0], idx, c.x()), AVG);
        }
    }

    @Test void avgPool() {
        for (Case c : cases(3)) {
            assertOp("avg_pool2d k" + c.k() + "s" + c.s() + "p" + c.p(), new int[][] {c.x()},
                    t -> t[0].avgPool2d(c.k(), c.s(), c.p()), n -> Reference.avgPool2d(n[0], c.k(), c.s(), c.p()), AVG);
            assertOp("avg_pool2d_backward k" + c.k() + "s" + c.s() + "p" + c.p(), new int[][] {c.y()},
                    t -> Tensor.avgPool2dBackward(t[0], c.x(), c.k(), c.s(), c.p()),
                    n -> Reference.avgPool2dBackward(n[0], c.x(), c.k(), c.s(), c.p()), AVG);
        }
    }

    @Test void upsampleNearestAndItsBlockSums() {
        int[][] inputs = {{1, 1, 1, 1}, {2, 3, 5, 7}, {1, 2, 4, 9}, {3, 1, 7, 3}, {2, 16, 7, 7}};
        for (int[] x : inputs) {
            for (int scale = 1; scale <= 3; scale++) {
                int k = scale;
                int[] y = {x[0], x[1], x[2] * k, x[3] * k};
                assertOp("upsample_nearest x" + k, new int[][] {x}, t -> t[0].upsampleNearest(k),
                        n -> Reference.upsampleNearest(n[0], k), EXACT);
                assertOp("upsample_nearest_backward x" + k, new int[][] {y}, t -> Tensor.upsampleNearestBackward(t[0], k),
                        n -> Reference.upsampleNearestBackward(n[0], k), AVG);
            }
        }
    }

    @Test void matchesPyTorch() {
        Tol t = tol(1e-6, 1e-12);
        for (DType dtype : OpCheck.DTYPES) {
            Tensor x = tensor(Golden.get("pool.x"), dtype);
            for (int[] ksp : new int[][] {{3, 2, 1}, {2, 2, 1}, {3, 3, 0}, {4, 1, 2}}) {
                String tag = "k" + ksp[0] + "s" + ksp[1] + "p" + ksp[2];
                assertClose("torch avg_pool2d " + tag, Golden.get("avg." + tag), x.avgPool2d(ksp[0], ksp[1], ksp[2]), t);
                assertClose("torch avg_pool2d backward " + tag, Golden.get("avg." + tag + ".gx"),
                        Tensor.avgPool2dBackward(tensor(Golden.get("avg." + tag + ".gy"), dtype), x.shape(),
                                ksp[0], ksp[1], ksp[2]), t);
            }
            Tensor mx = tensor(Golden.get("maxpool.x"), dtype);
            Tensor.MaxPoolResult r = mx.maxPool2dWithIndices(3, 2, 1);
            assertClose("torch max_pool2d", Golden.get("maxpool.y"), r.output(), 0);
            assertClose("torch max_pool2d indices (ties: first wins)", Golden.get("maxpool.idx"), r.argmax(), 0);
            assertClose("torch max_pool2d backward", Golden.get("maxpool.gx"),
                    Tensor.maxPool2dBackward(tensor(Golden.get("maxpool.gy"), dtype), r.argmax(), mx.shape(), 3, 2, 1), t);
        }
    }

    @Test void nanWinsItsWindow() {
        Tensor x = Tensor.fromArray(new float[] {1, Float.NaN, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        Tensor.MaxPoolResult r = x.maxPool2dWithIndices(2, 1, 0);
        float[] y = r.output().toFloatArray();
        assertTrue(Float.isNaN(y[0]) && Float.isNaN(y[1]));
        assertEquals(8, y[2]);
        assertEquals(9, y[3]);
        assertEquals(1, r.argmax().toFloatArray()[0]);
    }

    @Test void badArgumentsAreNamed() {
        Tensor x = Tensor.zeros(1, 2, 5, 5);
        assertMessage("max_pool2d: expects [N, C, H, W], got [2, 5, 5]", () -> Tensor.zeros(2, 5, 5).maxPool2d(2, 2, 0));
        assertMessage("max_pool2d: invalid kernel 2, stride 2, padding 2 (padding must be at most half the kernel)",
                () -> x.maxPool2d(2, 2, 2));
        assertMessage("avg_pool2d: invalid kernel 3, stride 0", () -> x.avgPool2d(3, 0, 0));
        assertMessage("avg_pool2d: kernel 6 does not fit input [1, 2, 5, 5]", () -> x.avgPool2d(6, 1, 0));
        assertMessage("avg_pool2d_backward: output gradient shape [1, 2, 3, 3] differs from the pooling's output [1, 2, 2, 2]",
                () -> Tensor.avgPool2dBackward(Tensor.zeros(1, 2, 3, 3), x.shape(), 2, 2, 0));
        assertMessage("max_pool2d_backward: output gradient shape [1, 2, 3, 3] differs from the pooling's output [1, 2, 2, 2]",
                () -> Tensor.maxPool2dBackward(Tensor.zeros(1, 2, 3, 3), Tensor.zeros(1, 2, 3, 3), x.shape(), 2, 2, 0));
        assertMessage("upsample_nearest: expects [N, C, H, W] and scale >= 1, got [1, 2, 5, 5] and 0",
                () -> x.upsampleNearest(0));
        assertMessage("upsample_nearest_backward: expects [N, C, H * scale, W * scale] and scale >= 1, got "
                + "[1, 2, 5, 5] and 2", () -> Tensor.upsampleNearestBackward(x, 2));
        assertMessage("max_pool2d_backward: indices shape [1, 2, 3, 3] differs from the pooling's output [1, 2, 2, 2]",
                () -> Tensor.maxPool2dBackward(Tensor.zeros(1, 2, 2, 2), Tensor.zeros(1, 2, 3, 3), x.shape(), 2, 2, 0));
    }
}
