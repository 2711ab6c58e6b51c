package dev.gan4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.Loss.Reduction;
import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Tensor;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Loss values (every reduction) and input gradients against PyTorch, in float64; the numbers come from
 * src/test/resources/pytorch/losses.py. Float32 checks cover the saturated ends (p = 0 or 1, logits of
 * +-1000), where values must stay finite and equal to PyTorch's.
 */
class LossTest {

    static final double[] BCE_P = {0.2, 0.5, 0.9, 0.01, 0.999, 0.3};
    static final double[] BCE_T = {0.0, 1.0, 0.3, 1.0, 0.0, 0.7};
    static final double[] BCE_NONE = {0.2231435513142097, 0.6931471805599453, 1.6434177197931799, 4.605170185988091, 6.907755278982136, 0.949783446209775};
    static final double[] BCE_MEAN_SUM = {2.5037362271412227, 15.022417362847335};
    static final double[] BCE_GRAD = {0.2083333333333333, -0.3333333333333333, 1.1111111111111114, -16.666666666666664, 166.6666666666665, -0.31746031746031744};
    static final double[] BCE_ENDS_P = {0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1e-50};
    static final double[] BCE_ENDS_T = {1.0, 0.0, 0.0, 1.0, 0.25, 0.75, 1.0};
    static final double[] BCE_ENDS_NONE = {100.0, 0.0, 100.0, -0.0, 25.0, 25.0, 100.0};
    static final double[] LOGITS_X = {-1000.0, -1000.0, 1000.0, 1000.0, -20.0, -1.0, 0.0, 0.5, 3.0, 20.0, 88.0, -88.0};
    static final double[] LOGITS_T = {0.0, 1.0, 0.0, 1.0, 1.0, 0.25, 1.0, 0.0, 1.0, 0.0, 0.5, 0.5};
    static final double[] LOGITS_NONE = {0.0, 1000.0, 1000.0, 0.0, 20.000000002061153, 0.5632616875182228, 0.6931471805599453, 0.9740769841801067, 0.048587351573741965, 20.000000002061153, 44.0, 44.0};
    static final double[] LOGITS_MEAN_SUM = {177.52325610066285, 2130.2790732079543};
    static final double[] LOGITS_GRAD = {0.0, -0.08333333333333333, 0.08333333333333333, 0.0, -0.08333333316157053, 0.0015784517808329253, -0.041666666666666664, 0.05187161093348788, -0.003952156098130553, 0.08333333316157053, 0.041666666666666664, -0.041666666666666664};
    static final double[] MSE_A = {0.5, -1.0, 2.0, 3.0, 0.0, -0.25};
    static final double[] MSE_B = {1.0, -1.0, 0.0, 2.5, 0.125, 4.0};
    static final double[] MSE_NONE = {0.25, 0.0, 4.0, 0.25, 0.015625, 18.0625};
    static final double[] MSE_MEAN_SUM = {3.7630208333333335, 22.578125};
    static final double[] MSE_GRAD = {-0.16666666666666666, 0.0, 0.6666666666666666, 0.16666666666666666, -0.041666666666666664, -1.4166666666666665};
    static final double[] CE_LOGITS = {1.0, 2.0, 0.5, -1.0, 0.0, 3.0, 0.25, 0.25, 0.25, 1000.0, -1000.0, 999.0};
    static final int[] CE_LABELS = {1, 0, 2, 2};
    static final double[] CE_NONE = {0.4643687841079449, 4.065883903757429, 1.0986122886681098, 1.3132616875182228};
    static final double[] CE_MEAN_SUM = {1.7355316660129267, 6.942126664051707};
    static final double[] CE_GRAD = {0.05780597440553726, -0.09286707019705939, 0.03506109579152212, -0.2457130436136199, 0.011653155644493473, 0.23405988796912644, 0.08333333333333333, 0.08333333333333333, -0.16666666666666669, 0.18276464465750122, 0.0, -0.18276464465750122};

    static Variable f64(double[] values, int... shape) {
        return Variable.of(Tensor.fromArray(values.clone(), shape.length == 0 ? new int[] {values.length} : shape), true);
    }

    static Variable f32(double[] values) {
        return Variable.of(Tensor.fromArray(values.clone(), values.length).to(DType.F32), true);
    }

    static void assertClose(double[] expected, double[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * Math.max(1, Math.abs(expected[i])), what + "[" + i + "]");
        }
    }

    static void assertFinite(double[] values, String what) {
        for (int i = 0; i < values.length; i++) assertTrue(Double.isFinite(values[i]), what + "[" + i + "] = " + values[i]);
    }

    /** Checks none/mean/sum values and the mean-reduction gradient of a loss of (input, target). */
    private static void check(BiFunction<Variable, Reduction, Variable> loss, double[] input, int[] shape,
                              double[] none, double[] meanSum, double[] grad) {
        assertClose(none, loss.apply(f64(input, shape), Reduction.NONE).data().toDoubleArray(), 1e-13, "none");
        int[] noneShape = none.length == input.length ? shape : new int[] {none.length};
        assertArrayEquals(noneShape, loss.apply(f64(input, shape), Reduction.NONE).shape());
        assertEquals(0, loss.apply(f64(input, shape), Reduction.MEAN).rank());
        assertClose(new double[] {meanSum[0]}, loss.apply(f64(input, shape), Reduction.MEAN).data().toDoubleArray(),
                1e-13, "mean");
        assertClose(new double[] {meanSum[1]}, loss.apply(f64(input, shape), Reduction.SUM).data().toDoubleArray(),
                1e-13, "sum");
        Variable x = f64(input, shape);
        loss.apply(x, Reduction.MEAN).backward();
        assertClose(grad, x.grad().toDoubleArray(), 1e-12, "gradient");
    }

    @Test
    void bceMatchesPyTorch() {
        check((p, r) -> Loss.bce(p, f64(BCE_T), r), BCE_P, new int[] {BCE_P.length}, BCE_NONE, BCE_MEAN_SUM, BCE_GRAD);
    }

    @Test
    void bceClampsEachLogAtMinus100LikePyTorch() {
        assertClose(BCE_ENDS_NONE, Loss.bce(f64(BCE_ENDS_P), f64(BCE_ENDS_T), Reduction.NONE).data().toDoubleArray(),
                1e-13, "float64");
        double[] p32 = BCE_ENDS_P.clone();
        p32[p32.length - 1] = 0; // 1e-50 is 0 in float32
        assertClose(BCE_ENDS_NONE, Loss.bce(f32(p32), f32(BCE_ENDS_T), Reduction.NONE).data().toDoubleArray(),
                1e-6, "float32");
    }

    @Test
    void bceGradientIsFiniteAtProbabilitiesZeroAndOne() {
        for (boolean single : new boolean[] {false, true}) {
            Variable p = single ? f32(BCE_ENDS_P) : f64(BCE_ENDS_P);
            Variable t = single ? f32(BCE_ENDS_T) : f64(BCE_ENDS_T);
            Loss.bce(p, t, Reduction.MEAN).backward();
            assertFinite(p.grad().toDoubleArray(), single ? "float32 gradient" : "float64 gradient");
            assertFinite(t.grad().toDoubleArray(), single ? "float32 target gradient" : "float64 target gradient");
        }
    }

    @Test
    void bceThroughASaturatedSigmoidHasAFiniteGradient() {
        // sigmoid(+-120) is exactly 1 or 0 (or a denormal) in float32: the discriminator of a GAN gets there.
        Variable logits = f32(new double[] {120, -120, 90, -90, 0});
        Variable p = logits.sigmoid();
        Loss.bce(p, f32(new double[] {0, 1, 1, 1, 1}), Reduction.SUM).backward();
        assertFinite(logits.grad().toDoubleArray(), "logit gradient");
    }

    @Test
    void atASaturatedLogitOnlyTheFusedLossKeepsTheTrueGradient() {
        // The generator's loss against a confident discriminator: target 1, logit -29 (sigmoid 2.5e-13).
        // The true gradient is sigmoid(-29) - 1 = -1; PyTorch's BCELoss after a sigmoid gives -0.254.
        Variable fused = f32(new double[] {-29});
        Loss.bceWithLogits(fused, f32(new double[] {1}), Reduction.MEAN).backward();
        assertEquals(-1, fused.grad().item(), 1e-6);

        Variable plain = f32(new double[] {-29});
        Loss.bce(plain.sigmoid(), f32(new double[] {1}), Reduction.MEAN).backward();
        assertEquals(0, plain.grad().item(), "documented: plain bce after a sigmoid loses the gradient here");
    }

    @Test
    void bceWithLogitsMatchesPyTorchIncludingLogitsOfPlusMinus1000() {
        check((x, r) -> Loss.bceWithLogits(x, f64(LOGITS_T), r), LOGITS_X, new int[] {LOGITS_X.length},
                LOGITS_NONE, LOGITS_MEAN_SUM, LOGITS_GRAD);
    }

    @Test
    void bceWithLogitsIsStableInFloat32() {
        Variable x = f32(LOGITS_X);
        Variable loss = Loss.bceWithLogits(x, f32(LOGITS_T), Reduction.NONE);
        assertClose(LOGITS_NONE, loss.data().toDoubleArray(), 1e-6, "float32 values");
        Variable y = f32(LOGITS_X);
        Loss.bceWithLogits(y, f32(LOGITS_T), Reduction.MEAN).backward();
        assertClose(LOGITS_GRAD, y.grad().toDoubleArray(), 1e-6, "float32 gradient");
    }

    @Test
    void mseMatchesPyTorch() {
        check((a, r) -> Loss.mse(a, f64(MSE_B, 2, 3), r), MSE_A, new int[] {2, 3}, MSE_NONE, MSE_MEAN_SUM, MSE_GRAD);
    }

    @Test
    void crossEntropyMatchesPyTorchIncludingHugeLogits() {
        check((x, r) -> Loss.crossEntropy(x, CE_LABELS, r), CE_LOGITS, new int[] {4, 3}, CE_NONE, CE_MEAN_SUM, CE_GRAD);
        Variable x32 = Variable.of(Tensor.fromArray(CE_LOGITS.clone(), 4, 3).to(DType.F32), true);
        assertClose(CE_NONE, Loss.crossEntropy(x32, CE_LABELS, Reduction.NONE).data().toDoubleArray(), 1e-6, "float32");
    }

    @Test
    void lossesCarryTheInputDtype() {
        assertEquals(DType.F32, Loss.bce(f32(BCE_P), f32(BCE_T), Reduction.MEAN).dtype());
        assertEquals(DType.F32, Loss.bceWithLogits(f32(LOGITS_X), f32(LOGITS_T), Reduction.SUM).dtype());
        assertEquals(DType.F64, Loss.mse(f64(MSE_A), f64(MSE_B), Reduction.MEAN).dtype());
    }

    @Test
    void mismatchedShapesAndBadLabelsFailClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Loss.bce(f64(BCE_P), f64(new double[] {1, 0}), Reduction.MEAN));
        assertTrue(e.getMessage().contains("[6]") && e.getMessage().contains("[2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Loss.bceWithLogits(f64(MSE_A, 2, 3), f64(MSE_B), Reduction.MEAN));
        assertThrows(IllegalArgumentException.class, () -> Loss.mse(f64(MSE_A, 2, 3), f64(MSE_B, 3, 2), Reduction.MEAN));
        e = assertThrows(IllegalArgumentException.class,
                () -> Loss.crossEntropy(f64(CE_LOGITS, 4, 3), new int[] {0, 1, 3, 0}, Reduction.MEAN));
        assertTrue(e.getMessage().contains("label 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Loss.crossEntropy(f64(CE_LOGITS, 4, 3), new int[] {0, 1, 2}, Reduction.MEAN));
        assertThrows(IllegalArgumentException.class,
                () -> Loss.crossEntropy(f64(CE_LOGITS, 12), new int[] {0}, Reduction.MEAN));
    }
}
