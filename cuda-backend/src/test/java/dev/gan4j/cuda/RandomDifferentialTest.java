package dev.gan4j.cuda;

import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Philox;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Backend method fillRandom (the Philox4x32-10 kernel) against the CPU's: uniform draws bit for bit; normal draws
 * within one float ulp, since Box-Muller's log, cos and sin are the device's math library on the GPU (and the C
 * library's on the emulation) but StrictMath on the CPU — in practice nearly all are bit for bit too.
 */
class RandomDifferentialTest extends Differential {

    @Test
    void kernelReproducesTheKnownAnswerOfTheZeroBlock() {
        // Random123 kat_vectors: philox4x32 10, counter 0, key 0 -> 6627e8d5 e169c58d bc57ac4c 9b00dbd8.
        float[] u = Tensor.random(Philox.Distribution.UNIFORM, 0, 0, 0, 1, DType.F32, CUDA, 4).toFloatArray();
        int[] words = {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8};
        for (int i = 0; i < 4; i++) assertEquals((words[i] >>> 8) * 0x1.0p-24f, u[i], "word " + i);
    }

    @Test
    void uniformDrawsAreTheCpusBitForBit() {
        for (long[] keyCounter : new long[][] {{1, 0}, {0x9E3779B97F4A7C15L, 123_456_789_012L}, {-1, -3}}) {
            Tensor cpu = Tensor.random(Philox.Distribution.UNIFORM, keyCounter[0], keyCounter[1], -2, 5, DType.F32,
                    Device.CPU, 1001, 7);
            Tensor gpu = Tensor.random(Philox.Distribution.UNIFORM, keyCounter[0], keyCounter[1], -2, 5, DType.F32, CUDA,
                    1001, 7);
            assertEquals(CUDA, gpu.device());
            assertArrayEquals(cpu.toFloatArray(), gpu.toFloatArray(), "key " + keyCounter[0] + ", counter " + keyCounter[1]);
        }
    }

    @Test
    void normalDrawsAreTheCpusToTheLastBit() {
        Tensor cpu = Tensor.random(Philox.Distribution.NORMAL, 77, 5, 0.5, 2, DType.F32, Device.CPU, 64, 100, 3);
        Tensor gpu = Tensor.random(Philox.Distribution.NORMAL, 77, 5, 0.5, 2, DType.F32, CUDA, 64, 100, 3);
        float[] c = cpu.toFloatArray();
        float[] g = gpu.toFloatArray();
        int exact = 0;
        for (int i = 0; i < c.length; i++) {
            if (c[i] == g[i]) exact++;
            else if (Math.abs(c[i] - g[i]) > Math.ulp(c[i])) fail("element " + i + ": " + g[i] + " on cuda, " + c[i] + " on the CPU");
        }
        assertTrue(exact >= c.length * 0.999, exact + " of " + c.length + " bit for bit");
    }
}
