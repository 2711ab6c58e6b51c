package dev.gan4j.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Philox4x32-10 against the published known answers, and the draws Tensor.random makes from it. */
class PhiloxTest {

    /** Random123's kat_vectors, "philox4x32 10" lines: counter words, key words, expected output words. */
    @Test
    void knownAnswerVectorsOfRandom123() {
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
                Philox.block(0, 0, 0, 0, 0, 0));
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
                Philox.block(-1, -1, -1, -1, -1, -1));
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
                Philox.block(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0));
    }

    @Test
    void elementsFollowTheBlockAndLaneRule() {
        long key = 0x299f31d0a4093822L;
        int[] words = Philox.block(7, 0, 0, 0, 0xa4093822, 0x299f31d0);
        // Element 4 * 2 + 1 of counter 5 is word 1 of block 7.
        assertEquals((words[1] >>> 8) * 0x1.0p-24, Philox.value(Philox.Distribution.UNIFORM, key, 5, 9, 0, 1));
    }

    @Test
    void uniformAndNormalDrawsHaveTheirMoments() {
        int n = 1 << 18;
        float[] u = Tensor.random(Philox.Distribution.UNIFORM, 42, 0, -1, 3, DType.F32, Device.CPU, n).toFloatArray();
        float[] z = Tensor.random(Philox.Distribution.NORMAL, 42, 0, 2, 0.5, DType.F32, Device.CPU, n).toFloatArray();
        double uMean = 0;
        double zMean = 0;
        double zSquares = 0;
        for (int i = 0; i < n; i++) {
            assertTrue(u[i] >= -1 && u[i] < 3, "uniform value " + u[i]);
            uMean += u[i] / n;
            zMean += z[i] / n;
            zSquares += (z[i] - 2.0) * (z[i] - 2.0) / n;
        }
        assertEquals(1, uMean, 0.01);
        assertEquals(2, zMean, 0.005);
        assertEquals(0.25, zSquares, 0.005);
    }

    @Test
    void sameKeyAndCounterSameTensorOtherwiseNot() {
        Tensor a = Tensor.random(Philox.Distribution.NORMAL, 1, 0, 0, 1, DType.F32, Device.CPU, 3, 5);
        Tensor b = Tensor.random(Philox.Distribution.NORMAL, 1, 0, 0, 1, DType.F32, Device.CPU, 3, 5);
        Tensor otherKey = Tensor.random(Philox.Distribution.NORMAL, 2, 0, 0, 1, DType.F32, Device.CPU, 3, 5);
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        assertNotEquals(a.toFloatArray()[0], otherKey.toFloatArray()[0]);
        // A later counter continues the same stream: elements 8.. of one draw are a draw at counter + 2.
        float[] longer = Tensor.random(Philox.Distribution.NORMAL, 1, 0, 0, 1, DType.F32, Device.CPU, 16).toFloatArray();
        float[] tail = Tensor.random(Philox.Distribution.NORMAL, 1, 2, 0, 1, DType.F32, Device.CPU, 8).toFloatArray();
        assertArrayEquals(java.util.Arrays.copyOfRange(longer, 8, 16), tail);
    }

    @Test
    void float64DrawsKeepTheDoubleValues() {
        double[] d = Tensor.random(Philox.Distribution.NORMAL, 9, 4, 0, 1, DType.F64, Device.CPU, 6).toDoubleArray();
        for (int i = 0; i < d.length; i++) assertEquals(Philox.value(Philox.Distribution.NORMAL, 9, 4, i, 0, 1), d[i]);
    }
}
