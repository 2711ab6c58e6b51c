package dev.gan4j.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gan4j.tensor.Tensor;
import dev.gan4j.tensor.backend.BinaryOp;
import dev.gan4j.tensor.backend.UnaryOp;
import java.util.Random;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The float32 path (RowOps' float loops, operands read in place) agrees bit for bit with the ops'
 * scalar definitions rounded to float: on a tensor above the parallel threshold whose length is no
 * multiple of any vector width, on stride-0 (scalar) and row-broadcast second operands, and on the
 * special values where leaky ReLU's branch-free form could differ.
 */
class FloatPathTest {

    static final int LARGE = 100_003;

    static float[] random(Random rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rng.nextGaussian() * 3);
        return v;
    }

    static void assertBits(float expected, float actual, String context) {
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual), context + ": " + expected + " vs " + actual);
    }

    @Test void binaryOpsOnLargeDenseTensorsMatchTheScalarDefinition() {
        Random rng = new Random(1);
        float[] a = random(rng, LARGE), b = random(rng, LARGE);
        for (BinaryOp op : BinaryOp.values()) {
            if (op == BinaryOp.POW) continue; // pow of negative bases is NaN; covered by ElementwiseTest
            float[] got = Tensor.fromArray(a, LARGE).binary(op, Tensor.fromArray(b, LARGE)).toFloatArray();
            for (int i = 0; i < LARGE; i++) assertBits((float) op.apply(a[i], b[i]), got[i], op + " at " + i);
        }
    }

    @Test void unaryOpsOnLargeDenseTensorsMatchTheScalarDefinition() {
        Random rng = new Random(2);
        float[] a = random(rng, LARGE);
        for (UnaryOp op : UnaryOp.values()) {
            float[] got = Tensor.fromArray(a, LARGE).unary(op).toFloatArray();
            for (int i = 0; i < LARGE; i++) assertBits((float) op.apply(a[i]), got[i], op + " at " + i);
        }
    }

    @Test void scalarAndRowBroadcastOperands() {
        Random rng = new Random(3);
        int n = 5, c = 7, hw = 13 * 11;
        float[] x = random(rng, n * c * hw), bias = random(rng, c);
        float[] got = Tensor.fromArray(x, n, c, 13, 11).add(Tensor.fromArray(bias, 1, c, 1, 1)).toFloatArray();
        for (int i = 0; i < x.length; i++) assertBits(x[i] + bias[(i / hw) % c], got[i], "bias add at " + i);
        check((t, s) -> t.mul(s), BinaryOp.MUL, x, 0.37f);
        check((t, s) -> t.sub(s), BinaryOp.SUB, x, -2.5f);
    }

    /** Every op with a per-channel operand broadcast over odd planes (the one-float loops of RowOps.binaryScalar). */
    @Test void everyOpWithAChannelBroadcastOperand() {
        Random rng = new Random(7);
        int n = 3, c = 5, hw = 7 * 9;
        float[] x = random(rng, n * c * hw), bias = random(rng, c);
        bias[1] = 0.2f; // a slope in (0, 1] for leaky ReLU's branch-free loop
        bias[2] = 0f;
        for (BinaryOp op : BinaryOp.values()) {
            float[] got = Tensor.fromArray(x, n, c, 7, 9).binary(op, Tensor.fromArray(bias, 1, c, 1, 1)).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertBits((float) op.apply(x[i], bias[(i / hw) % c]), got[i], op + " with a channel operand at " + i);
            }
        }
    }

    /** Per-channel sums over N, H, W (a bias gradient) read float runs in place: same bits as the widened double rows. */
    @Test void channelSumsOfFloatRuns() {
        Random rng = new Random(8);
        int n = 4, c = 3, hw = 5 * 11;
        float[] x = random(rng, n * c * hw);
        float[] got = Tensor.fromArray(x, n, c, 5, 11).sum(new int[] {0, 2, 3}, false).toFloatArray();
        for (int ch = 0; ch < c; ch++) {
            double total = 0;
            for (int b = 0; b < n; b++) {
                double[] row = new double[hw];
                for (int i = 0; i < hw; i++) row[i] = x[(b * c + ch) * hw + i];
                total += RowOps.sum(row, hw);
            }
            assertBits((float) total, got[ch], "channel " + ch);
        }
    }

    /** ReLU's vector blend keeps the scalar rule's special cases: -0 and NaN pass through, as x < 0 is false. */
    @Test void reluMatchesItsDefinitionOnSpecialValues() {
        float[] special = {0f, -0f, Float.NaN, Float.intBitsToFloat(0xffc00000), Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, 2.5f, -2.5f};
        float[] x = new float[67];  // several vectors of any width, and a tail
        for (int i = 0; i < x.length; i++) x[i] = special[i % special.length];
        float[] got = Tensor.fromArray(x, x.length).relu().toFloatArray();
        for (int i = 0; i < x.length; i++) assertBits((float) UnaryOp.RELU.apply(x[i]), got[i], "relu of " + x[i]);
    }

    @Test void leakyReluMatchesItsDefinitionForEverySlopeAndSpecialValue() {
        float[] special = {0f, -0f, 1f, -1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 3.5f, -7.25f};
        for (float slope : new float[] {0.2f, 1f, 0f, -0f, -0.5f, 1.5f, Float.MIN_VALUE, Float.POSITIVE_INFINITY, Float.NaN}) {
            check((t, s) -> t.binary(BinaryOp.LEAKY_RELU, s), BinaryOp.LEAKY_RELU, special, slope);
        }
        float[] big = random(new Random(4), LARGE);
        float[] got = Tensor.fromArray(big, LARGE).leakyRelu(0.2).toFloatArray();
        for (int i = 0; i < LARGE; i++) assertBits((float) BinaryOp.LEAKY_RELU.apply(big[i], 0.2f), got[i], "at " + i);
    }

    @Test void comparisonsMatchTheirDefinitionAtTiesZerosAndNaN() {
        float[] special = {0f, -0f, 1f, -1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 2.5f};
        BinaryOp[] comparisons = {BinaryOp.EQ, BinaryOp.NE, BinaryOp.LT, BinaryOp.LE, BinaryOp.GT, BinaryOp.GE};
        for (BinaryOp op : comparisons) {
            for (float s : special) check((t, u) -> t.binary(op, u), op, special, s);
        }
    }

    @Test void whereOnLargeAndBroadcastOperands() {
        Random rng = new Random(6);
        float[] cond = random(rng, LARGE), a = random(rng, LARGE), b = random(rng, LARGE);
        for (int i = 0; i < LARGE; i += 7) cond[i] = i % 2 == 0 ? 0f : -0f; // both zeros mean false
        float[] got = Tensor.where(Tensor.fromArray(cond, LARGE), Tensor.fromArray(a, LARGE), Tensor.fromArray(b, LARGE))
                .toFloatArray();
        for (int i = 0; i < LARGE; i++) assertBits(cond[i] != 0 ? a[i] : b[i], got[i], "where at " + i);
        float[] scalarPick = Tensor.where(Tensor.fromArray(cond, LARGE), Tensor.fromArray(new float[] {1f}, 1),
                Tensor.fromArray(new float[] {0.2f}, 1)).toFloatArray();
        for (int i = 0; i < LARGE; i++) assertBits(cond[i] != 0 ? 1f : 0.2f, scalarPick[i], "scalar where at " + i);
    }

    /** {@code op(x, s)} with s a broadcast scalar, element by element against the definition. */
    static void check(BinaryOperator<Tensor> op, BinaryOp def, float[] x, float s) {
        float[] got = op.apply(Tensor.fromArray(x, x.length), Tensor.fromArray(new float[] {s}, 1)).toFloatArray();
        for (int i = 0; i < x.length; i++) assertBits((float) def.apply(x[i], s), got[i], def + "(" + x[i] + ", " + s + ")");
    }

    @Test void stridedOperandsAndOutputs() {
        Random rng = new Random(5);
        float[] a = random(rng, 40 * 30);
        Tensor t = Tensor.fromArray(a, 40, 30).t(); // [30, 40], strided
        UnaryOperator<Tensor> neg = Tensor::neg;
        float[] got = neg.apply(t).toFloatArray();
        for (int i = 0; i < 30; i++) {
            for (int j = 0; j < 40; j++) assertBits(-a[j * 30 + i], got[i * 40 + j], "neg of transposed at " + i + "," + j);
        }
        float[] copy = t.contiguous().toFloatArray();
        for (int i = 0; i < 30; i++) {
            for (int j = 0; j < 40; j++) assertBits(a[j * 30 + i], copy[i * 40 + j], "copy at " + i + "," + j);
        }
    }
}
