package dev.gan4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gan4j.nn.layers.Conv2d;
import dev.gan4j.nn.layers.ConvTranspose2d;
import dev.gan4j.nn.layers.Linear;
import dev.gan4j.tensor.ConvParams;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Initialisers: PyTorch's default bounds for Linear/Conv/ConvTranspose (checked statistically on
 * large layers; the bounds were confirmed in PyTorch 1.13, where e.g. nn.ConvTranspose2d(16, 8, 4)
 * has max |w| = 0.08838 = 1/sqrt(8*4*4)), normal, xavier and kaiming.
 */
class InitTest {

    /** Sample statistics {min, max, mean, standard deviation}. */
    static double[] stats(Tensor t) {
        double[] v = t.toDoubleArray();
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum = 0, sq = 0;
        for (double x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
            sum += x;
        }
        double mean = sum / v.length;
        for (double x : v) sq += (x - mean) * (x - mean);
        return new double[] {min, max, mean, Math.sqrt(sq / (v.length - 1))};
    }

    /** U(-bound, bound): inside the bounds, reaching near both, mean ~0 and std ~bound/sqrt(3). */
    static void assertUniform(Tensor t, double bound, String what) {
        double[] s = stats(t);
        int n = t.numel();
        assertTrue(s[0] >= -bound && s[1] <= bound, what + ": [" + s[0] + ", " + s[1] + "] outside +-" + bound);
        double reach = bound * (1 - 20.0 / n); // P(no sample in the outer 10/n of the range) ~ e^-10
        assertTrue(s[0] < -reach && s[1] > reach, what + ": [" + s[0] + ", " + s[1] + "] does not reach +-" + bound);
        double sd = bound / Math.sqrt(3);
        assertEquals(0, s[2], 6 * sd / Math.sqrt(n), what + ": mean");
        assertEquals(sd, s[3], 6 * sd * Math.sqrt(0.8 / (4.0 * n)), what + ": std");
    }

    /** N(mean, std) for n samples: sample mean and std within 6 standard errors; no value past 7 std. */
    static void assertNormal(Tensor t, double mean, double std, String what) {
        double[] s = stats(t);
        int n = t.numel();
        assertEquals(mean, s[2], 6 * std / Math.sqrt(n), what + ": mean");
        assertEquals(std, s[3], 6 * std / Math.sqrt(2.0 * n), what + ": std");
        assertTrue(s[0] > mean - 7 * std && s[1] < mean + 7 * std, what + ": outlier in [" + s[0] + ", " + s[1] + "]");
    }

    private static Tensor w(Module m) {
        return m.namedParameters().get("weight").data();
    }

    private static Tensor b(Module m) {
        return m.namedParameters().get("bias").data();
    }

    @Test
    void linearDefaultIsUniformWithBoundOneOverSqrtFanIn() {
        Linear linear = new Linear(64, 512, true, new Generator(1));
        assertUniform(w(linear), 1 / Math.sqrt(64), "weight");
        assertUniform(new Linear(64, 20000, true, new Generator(2)).namedParameters().get("bias").data(),
                1 / Math.sqrt(64), "bias");
    }

    @Test
    void conv2dDefaultUsesInChannelsTimesKernelArea() {
        Conv2d conv = new Conv2d(8, 256, 3, ConvParams.of(1, 0), true, new Generator(3));
        assertUniform(w(conv), 1 / Math.sqrt(8 * 9), "weight");
        assertUniform(b(new Conv2d(8, 20000, 3, ConvParams.of(1, 0), true, new Generator(4))), 1 / Math.sqrt(8 * 9), "bias");
    }

    @Test
    void convTranspose2dDefaultUsesOutChannelsTimesKernelArea() {
        // weight [in, out, k, k]: PyTorch's fan-in is dim 1 (out channels) times the kernel area.
        ConvTranspose2d up = new ConvTranspose2d(256, 8, 4, ConvParams.of(2, 1), 0, true, new Generator(5));
        assertArrayEquals(new int[] {256, 8, 4, 4}, w(up).shape());
        assertUniform(w(up), 1 / Math.sqrt(8 * 16), "weight");
        assertUniform(b(new ConvTranspose2d(2, 20000, 4, ConvParams.of(2, 1), 0, true, new Generator(6))),
                1 / Math.sqrt(20000 * 16), "bias");
    }

    @Test
    void fanInAndFanOutFollowPyTorch() {
        assertEquals(5, Init.fanIn(Tensor.zeros(3, 5)));
        assertEquals(3, Init.fanOut(Tensor.zeros(3, 5)));
        assertEquals(4 * 9, Init.fanIn(Tensor.zeros(6, 4, 3, 3)));
        assertEquals(6 * 9, Init.fanOut(Tensor.zeros(6, 4, 3, 3)));
        assertEquals(2 * 5 * 7, Init.fanIn(Tensor.zeros(3, 2, 5, 7)));
    }

    @Test
    void initialisationIsSeeded() {
        assertArrayEquals(w(new Linear(7, 9, true, new Generator(8))).toFloatArray(),
                w(new Linear(7, 9, true, new Generator(8))).toFloatArray());
        assertTrue(w(new Linear(7, 9, true, new Generator(8))).get(0, 0) != w(new Linear(7, 9, true, new Generator(9))).get(0, 0));
        Generator.manualSeed(11);
        float[] a = w(new Linear(7, 9)).toFloatArray();
        Generator.manualSeed(11);
        assertArrayEquals(a, w(new Linear(7, 9)).toFloatArray(), "the global generator, reseeded");
    }

    @Test
    void normalUniformAndConstant() {
        Tensor t = Tensor.zeros(100, 200);
        Init.normal(t, 0.5, 2.0, new Generator(12));
        assertNormal(t, 0.5, 2.0, "normal");
        Init.uniform(t, -3, 1, new Generator(13));
        double[] s = stats(t);
        assertTrue(s[0] >= -3 && s[1] <= 1 && s[0] < -2.99 && s[1] > 0.99, "uniform range");
        assertEquals(-1, s[2], 0.05);
        Init.constant(t, 0.25);
        assertEquals(0.25, stats(t)[0]);
        assertEquals(0.25, stats(t)[1]);
    }

    @Test
    void xavierFormulas() {
        Tensor t = Tensor.zeros(300, 100); // fan-in 100, fan-out 300
        Init.xavierUniform(t, 2.0, new Generator(14));
        assertUniform(t, 2.0 * Math.sqrt(6.0 / 400), "xavier uniform");
        Tensor c = Tensor.zeros(64, 32, 3, 3); // fan-in 288, fan-out 576
        Init.xavierNormal(c, 1.0, new Generator(15));
        assertNormal(c, 0, Math.sqrt(2.0 / (288 + 576)), "xavier normal");
    }

    @Test
    void kaimingFormulas() {
        Tensor t = Tensor.zeros(400, 50);
        Init.kaimingUniform(t, 0, new Generator(16));
        assertUniform(t, Math.sqrt(6.0 / 50), "kaiming uniform, relu");
        Init.kaimingUniform(t, 0.2, new Generator(17));
        assertUniform(t, Math.sqrt(6.0 / (1.04 * 50)), "kaiming uniform, leaky 0.2");
        Tensor c = Tensor.zeros(128, 16, 3, 3); // fan-in 144
        Init.kaimingNormal(c, 0, new Generator(18));
        assertNormal(c, 0, Math.sqrt(2.0 / 144), "kaiming normal");
        Init.kaimingNormal(c, Math.sqrt(5), new Generator(19));
        assertNormal(c, 0, Math.sqrt(2.0 / (6 * 144)), "kaiming normal, a = sqrt(5)");
    }
}
