package dev.gan4j.tensor;

import static dev.gan4j.tensor.ConvTest.assertMessage;
import static dev.gan4j.tensor.OpCheck.ANY;
import static dev.gan4j.tensor.OpCheck.assertClose;
import static dev.gan4j.tensor.OpCheck.assertOp;
import static dev.gan4j.tensor.OpCheck.range;
import static dev.gan4j.tensor.OpCheck.tensor;
import static dev.gan4j.tensor.OpCheck.tol;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.gan4j.tensor.OpCheck.Input;
import dev.gan4j.tensor.OpCheck.Tol;
import dev.gan4j.tensor.OpCheck.Variant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Batch norm in training mode (batch statistics, biased variance for normalising, PyTorch's momentum
 * and the unbiased variance for the running statistics), in inference mode, and its backward, against
 * step-by-step double references and PyTorch golden values. Statistics are computed in double, so
 * float32 outputs agree to 1e-5 relative; float64 to 1e-10.
 */
class BatchNormTest {

    static final Tol BN = tol(1e-5, 1e-10);
    static final List<int[]> SHAPES = List.of(new int[] {4, 3}, new int[] {2, 3, 4, 5}, new int[] {3, 2, 7},
            new int[] {1, 5, 2, 2}, new int[] {2, 1, 1, 1}, new int[] {16, 4, 6, 6});

    @Test void trainingNormalisesWithBatchStatisticsAndUpdatesRunningOnes() {
        Random rng = new Random(1);
        for (int[] shape : SHAPES) {
            int c = shape[1];
            for (boolean affine : new boolean[] {true, false}) {
                double momentum = 0.05 + 0.5 * rng.nextDouble();
                double eps = rng.nextBoolean() ? 1e-5 : 1e-3;
                for (DType dtype : OpCheck.DTYPES) {
                    for (Variant variant : OpCheck.VARIANTS) {
                        Input x = OpCheck.make(rng, shape, range(-3, 5), dtype, variant);
                        Input gamma = OpCheck.make(rng, new int[] {c}, ANY, dtype, variant);
                        Input beta = OpCheck.make(rng, new int[] {c}, ANY, dtype, variant);
                        Nd rm0 = new Nd(new int[] {c}, OpCheck.draw(rng, c, ANY, dtype));
                        Nd rv0 = new Nd(new int[] {c}, OpCheck.draw(rng, c, range(0.5, 2), dtype));
                        Tensor rm = tensor(rm0, dtype), rv = tensor(rv0, dtype);
                        int version = rm.storage().version();
                        Tensor.BatchNormResult r = Tensor.batchNormTraining(x.tensor(), affine ? gamma.tensor() : null,
                                affine ? beta.tensor() : null, rm, rv, momentum, eps);
                        Reference.BatchNorm e = Reference.batchNormTraining(x.nd(), affine ? gamma.nd() : null,
                                affine ? beta.nd() : null, rm0, rv0, momentum, eps);
                        String ctx = "batch_norm " + java.util.Arrays.toString(shape) + " " + dtype + " " + variant
                                + (affine ? " affine" : "");
                        assertClose(ctx + " y", e.y(), r.output(), BN);
                        assertClose(ctx + " mean", e.mean(), r.mean(), BN);
                        assertClose(ctx + " invStd", e.invStd(), r.invStd(), BN);
                        assertClose(ctx + " running mean", e.runningMean(), rm, BN);
                        assertClose(ctx + " running var", e.runningVar(), rv, BN);
                        assertEquals(version + 1, rm.storage().version(), "running stats are written in place");
                        assertClose(ctx + " input kept", x.nd(), x.tensor(), 0);
                    }
                }
            }
        }
    }

    @Test void trainingWithoutRunningStatistics() {
        for (int[] shape : SHAPES) {
            assertOp("batch_norm_no_running", new int[][] {shape, {shape[1]}, {shape[1]}},
                    t -> Tensor.batchNormTraining(t[0], t[1], t[2], null, null, 0.1, 1e-5).output(),
                    n -> Reference.batchNormTraining(n[0], n[1], n[2], null, null, 0.1, 1e-5).y(), BN);
        }
    }

    @Test void inferenceUsesRunningStatistics() {
        for (int[] shape : SHAPES) {
            int c = shape[1];
            OpCheck.Domain[] domains = {ANY, ANY, ANY, ANY, range(0.2, 3)};
            assertOp("batch_norm_eval", new int[][] {shape, {c}, {c}, {c}, {c}}, domains,
                    t -> Tensor.batchNormInference(t[0], t[1], t[2], t[3], t[4], 1e-5),
                    n -> Reference.batchNormInference(n[0], n[1], n[2], n[3], n[4], 1e-5), BN);
            assertOp("batch_norm_eval_noaffine", new int[][] {shape, {c}, {c}}, new OpCheck.Domain[] {ANY, ANY, range(0.2, 3)},
                    t -> Tensor.batchNormInference(t[0], null, null, t[1], t[2], 1e-3),
                    n -> Reference.batchNormInference(n[0], null, null, n[1], n[2], 1e-3), BN);
        }
    }

    @Test void backward() {
        for (int[] shape : SHAPES) {
            int c = shape[1];
            for (int which = 0; which < 3; which++) {
                int w = which;
                assertOp("batch_norm_backward" + w, new int[][] {shape, shape, {c}},
                        t -> {
                            Tensor.BatchNormResult r = Tensor.batchNormTraining(t[0], t[2], null, null, null, 0.1, 1e-5);
                            Tensor.BatchNormGrads g = Tensor.batchNormBackward(t[0], t[1], t[2], r.mean(), r.invStd());
                            return w == 0 ? g.input() : w == 1 ? g.gamma() : g.beta();
                        },
                        n -> Reference.batchNormBackward(n[0], n[1], n[2], 1e-5)[w], tol(1e-4, 1e-9));
            }
        }
    }

    @Test void matchesPyTorch() {
        Tol t = tol(2e-5, 1e-12);
        for (DType dtype : OpCheck.DTYPES) {
            Tensor gamma = tensor(Golden.get("bn.gamma"), dtype), beta = tensor(Golden.get("bn.beta"), dtype);
            Tensor rm = Tensor.zeros(dtype, Device.CPU, 3), rv = Tensor.full(1, dtype, Device.CPU, 3);
            Tensor x1 = tensor(Golden.get("bn.x1"), dtype), x2 = tensor(Golden.get("bn.x2"), dtype);
            Tensor.batchNormTraining(x1, gamma, beta, rm, rv, 0.1, 1e-5);
            assertClose("torch running mean, step 1", Golden.get("bn.rm1"), rm, t);
            assertClose("torch running var, step 1", Golden.get("bn.rv1"), rv, t);
            Tensor.BatchNormResult r = Tensor.batchNormTraining(x2, gamma, beta, rm, rv, 0.1, 1e-5);
            assertClose("torch y, step 2", Golden.get("bn.y2"), r.output(), t);
            assertClose("torch running mean, step 2", Golden.get("bn.rm2"), rm, t);
            assertClose("torch running var, step 2", Golden.get("bn.rv2"), rv, t);
            Tensor.BatchNormGrads g = Tensor.batchNormBackward(x2, tensor(Golden.get("bn.gy"), dtype), gamma,
                    r.mean(), r.invStd());
            assertClose("torch grad x", Golden.get("bn.gx"), g.input(), t);
            assertClose("torch grad gamma", Golden.get("bn.ggamma"), g.gamma(), t);
            assertClose("torch grad beta", Golden.get("bn.gbeta"), g.beta(), t);
            assertClose("torch eval", Golden.get("bn.eval"), Tensor.batchNormInference(x1, gamma, beta, rm, rv, 1e-5), t);

            Tensor rm1 = tensor(Golden.get("bn1d.rm0"), dtype), rv1 = tensor(Golden.get("bn1d.rv0"), dtype);
            Tensor y1 = Tensor.batchNormTraining(tensor(Golden.get("bn1d.x"), dtype), null, null, rm1, rv1, 0.3, 1e-3)
                    .output();
            assertClose("torch 1d y", Golden.get("bn1d.y"), y1, t);
            assertClose("torch 1d running mean", Golden.get("bn1d.rm"), rm1, t);
            assertClose("torch 1d running var", Golden.get("bn1d.rv"), rv1, t);
        }
    }

    @Test void badArgumentsAreNamed() {
        assertMessage("batch_norm: expected more than 1 value per channel when training, got input [1, 3]",
                () -> Tensor.batchNormTraining(Tensor.zeros(1, 3), null, null, null, null, 0.1, 1e-5));
        assertMessage("batch_norm: expects input [N, C, ...], got [5]",
                () -> Tensor.batchNormTraining(Tensor.zeros(5), null, null, null, null, 0.1, 1e-5));
        assertMessage("batch_norm: per-channel tensor of shape [4] does not match 3 channels of input [2, 3]",
                () -> Tensor.batchNormTraining(Tensor.zeros(2, 3), Tensor.zeros(4), null, null, null, 0.1, 1e-5));
        assertMessage("batch_norm: running statistics must be dense tensors",
                () -> Tensor.batchNormTraining(Tensor.zeros(2, 3), null, null, Tensor.zeros(6).slice(0, 0, 6, 2),
                        Tensor.zeros(3), 0.1, 1e-5));
        assertMessage("batch_norm: inference needs running statistics",
                () -> Tensor.batchNormInference(Tensor.zeros(2, 3), null, null, null, null, 1e-5));
        assertMessage("batch_norm_backward: gradient shape [2, 4] differs from input [2, 3]",
                () -> Tensor.batchNormBackward(Tensor.zeros(2, 3), Tensor.zeros(2, 4), null, Tensor.zeros(3),
                        Tensor.zeros(3)));
    }

    @Test void resultsKeepTheirIdentity() {
        Tensor rm = Tensor.zeros(3), rv = Tensor.ones(3);
        Storage before = rm.storage();
        Tensor.batchNormTraining(Tensor.ones(2, 3), null, null, rm, rv, 0.5, 1e-5);
        assertSame(before, rm.storage());
        assertClose("constant input", new Nd(new int[] {3}, new double[] {0.5, 0.5, 0.5}), rm, 1e-7);
        assertClose("constant input var", new Nd(new int[] {3}, new double[] {0.5, 0.5, 0.5}), rv, 1e-7);
    }
}
