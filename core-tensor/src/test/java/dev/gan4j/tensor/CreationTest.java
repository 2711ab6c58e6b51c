package dev.gan4j.tensor;

import static dev.gan4j.tensor.ConvTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Creation ops, the random generator (determinism, ranges, statistics) and dtype/device conversions. */
class CreationTest {

    @Test void constants() {
        for (DType dtype : OpCheck.DTYPES) {
            Tensor z = Tensor.zeros(dtype, Device.CPU, 2, 3);
            assertEquals(dtype, z.dtype());
            assertArrayEquals(new int[] {2, 3}, z.shape());
            assertArrayEquals(new double[6], z.toDoubleArray());
            Tensor f = Tensor.full(-2.5, dtype, Device.CPU, 4);
            assertArrayEquals(new double[] {-2.5, -2.5, -2.5, -2.5}, f.toDoubleArray());
            assertArrayEquals(new double[] {1, 1, 1, 1}, Tensor.onesLike(f).toDoubleArray());
            assertEquals(dtype, Tensor.zerosLike(f).dtype());
            Tensor s = Tensor.scalar(3, f);
            assertEquals(0, s.rank());
            assertEquals(dtype, s.dtype());
            assertEquals(3, s.item());
        }
        assertEquals(DType.F32, Tensor.ones(2).dtype());
        assertArrayEquals(new float[] {1, 1}, Tensor.ones(2).toFloatArray());
        assertArrayEquals(new float[] {7, 7, 7}, Tensor.full(7, 3).toFloatArray());
        assertEquals(0, Tensor.zeros(0, 5).numel());
        assertEquals(1, Tensor.zeros().numel());
    }

    @Test void fromArrayCopiesItsInput() {
        float[] f = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensor.fromArray(f, 2, 3);
        f[0] = 100;
        assertEquals(1, t.get(0, 0));
        assertEquals(6, t.get(1, 2));
        double[] d = {0.1, 0.2};
        Tensor u = Tensor.fromArray(d, 2);
        d[1] = 9;
        assertEquals(DType.F64, u.dtype());
        assertArrayEquals(new double[] {0.1, 0.2}, u.toDoubleArray());
        assertMessage("fromArray: 5 values do not fill shape [2, 3] (6 elements)", () -> Tensor.fromArray(new float[5], 2, 3));
    }

    @Test void arange() {
        double[][] cases = {{0, 5, 1}, {0, 1, 0.1}, {-1, 1, 0.25}, {5, 1, -1}, {0, 0, 1}, {0.5, 3.2, 0.7}, {1, -2, -0.3}};
        for (double[] c : cases) {
            int n = (int) Math.ceil((c[1] - c[0]) / c[2]); // torch.arange's length
            double[] expected = new double[n];
            for (int i = 0; i < n; i++) expected[i] = (float) (c[0] + i * c[2]);
            Tensor t = Tensor.arange(c[0], c[1], c[2]);
            assertEquals(DType.F32, t.dtype());
            assertArrayEquals(expected, t.toDoubleArray(), Arrays.toString(c));
        }
        assertEquals(10, Tensor.arange(0, 1, 0.1).numel());
        assertMessage("arange: cannot go from 0.0 to 5.0 by 0.0", () -> Tensor.arange(0, 5, 0));
        assertMessage("arange: cannot go from 0.0 to 5.0 by -1.0", () -> Tensor.arange(0, 5, -1));
    }

    @Test void linspace() {
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f, 1}, Tensor.linspace(0, 1, 5).toFloatArray());
        assertArrayEquals(new float[] {3}, Tensor.linspace(3, 7, 1).toFloatArray());
        assertArrayEquals(new float[] {2, -1}, Tensor.linspace(2, -1, 2).toFloatArray());
        float[] v = Tensor.linspace(-3, 7.3, 101).toFloatArray();
        assertEquals(-3f, v[0]);
        assertEquals(7.3f, v[100]);
        for (int i = 0; i < v.length; i++) assertEquals(-3 + 10.3 * i / 100, v[i], 1e-6);
        assertMessage("linspace: steps must be >= 1, got 0", () -> Tensor.linspace(0, 1, 0));
    }

    // ---------------------------------------------------------------- random

    /** SplitMix64's published outputs, computed by an independent Python implementation. */
    @Test void generatorIsSplitMix64() {
        Generator g = new Generator(0);
        assertEquals(0xE220A8397B1DCDAFL, g.nextLong());
        assertEquals(7960286522194355700L, g.nextLong());
        assertEquals(487617019471545679L, g.nextLong());
        Generator h = new Generator(42);
        assertEquals(-4767286540954276203L, h.nextLong());
        assertEquals(2949826092126892291L, h.nextLong());
        assertEquals(5139283748462763858L, h.nextLong());
    }

    @Test void sameSeedSameTensorsAndStateRoundTrips() {
        for (DType dtype : OpCheck.DTYPES) {
            Tensor a = Tensor.normal(new Generator(7), 1, 2, dtype, Device.CPU, 3, 5);
            Tensor b = Tensor.normal(new Generator(7), 1, 2, dtype, Device.CPU, 3, 5);
            assertArrayEquals(a.toDoubleArray(), b.toDoubleArray());
            assertFalse(Arrays.equals(a.toDoubleArray(),
                    Tensor.normal(new Generator(8), 1, 2, dtype, Device.CPU, 3, 5).toDoubleArray()));
        }
        Generator g = new Generator(123);
        Tensor first = Tensor.rand(g, 10);
        long saved = g.state();
        Tensor second = Tensor.rand(g, 10);
        assertFalse(Arrays.equals(first.toFloatArray(), second.toFloatArray()), "a generator moves on");
        g.setState(saved);
        assertArrayEquals(second.toFloatArray(), Tensor.rand(g, 10).toFloatArray(), "restored state repeats");
        // float32 values are the float64 draws, rounded
        double[] d = Tensor.uniform(new Generator(5), -1, 3, DType.F64, Device.CPU, 9).toDoubleArray();
        float[] f = Tensor.uniform(new Generator(5), -1, 3, DType.F32, Device.CPU, 9).toFloatArray();
        for (int i = 0; i < 9; i++) assertEquals((float) d[i], f[i]);
        Generator.manualSeed(99);
        Tensor x = Tensor.randn(Generator.global(), 4);
        Generator.manualSeed(99);
        assertArrayEquals(x.toFloatArray(), Tensor.randn(Generator.global(), 4).toFloatArray());
        assertArrayEquals(new int[] {0, 3}, Tensor.randn(new Generator(1), 0, 3).shape());
        assertArrayEquals(new int[] {3}, Tensor.randn(new Generator(1), 3).shape(), "odd sizes fill every element");
    }

    @Test void uniformStaysInItsRangeAndNormalHasItsMoments() {
        Generator g = new Generator(2024);
        double[] u = Tensor.uniform(g, -2, 3, DType.F64, Device.CPU, 50_000).toDoubleArray();
        double mean = Arrays.stream(u).average().orElseThrow();
        for (double v : u) assertTrue(v >= -2 && v < 3, "uniform value " + v);
        assertEquals(0.5, mean, 0.05);
        double[] n = Tensor.normal(g, 3, 0.5, DType.F64, Device.CPU, 50_000).toDoubleArray();
        double nm = Arrays.stream(n).average().orElseThrow();
        double var = Arrays.stream(n).map(v -> (v - nm) * (v - nm)).sum() / (n.length - 1);
        assertEquals(3, nm, 0.01);
        assertEquals(0.25, var, 0.01);
        int[] perm = g.permutation(20);
        assertArrayEquals(java.util.stream.IntStream.range(0, 20).toArray(), Arrays.stream(perm).sorted().toArray());
        for (int i = 0; i < 1000; i++) {
            int k = g.nextInt(7);
            assertTrue(k >= 0 && k < 7);
        }
        assertThrows(IllegalArgumentException.class, () -> g.nextInt(0));
    }

    /**
     * The largest draw, u = 1 - 2^-53 (forced by a seed whose first SplitMix64 output is
     * 0xfffffffffffff923, found by inverting the mixer in Python), must still be below high after
     * low + (high - low) * u is rounded to the dtype: torch.rand never returns 1.
     */
    @Test void theLargestDrawStaysBelowHigh() {
        long seed = 1841492444868220271L;
        assertEquals(0xfffffffffffff923L, new Generator(seed).nextLong());
        assertEquals(1 - 0x1p-53, new Generator(seed).nextDouble());
        assertTrue(Tensor.rand(new Generator(seed), 1).item() < 1, "float32 rand");
        assertTrue(Tensor.uniform(new Generator(seed), 1, 2, DType.F64, Device.CPU, 1).item() < 2, "float64 uniform [1, 2)");
        assertTrue(Tensor.uniform(new Generator(seed), 0, 0.1, DType.F32, Device.CPU, 1).item() < 0.1f,
                "float32 uniform [0, 0.1)");
    }

    // ---------------------------------------------------------------- conversions

    @Test void dtypeConversions() {
        Tensor d = Tensor.fromArray(new double[] {0.1, 1e-50, 3e39, -2.5, Double.NaN}, 5);
        Tensor f = d.to(DType.F32);
        assertEquals(DType.F32, f.dtype());
        assertArrayEquals(new float[] {0.1f, 0f, Float.POSITIVE_INFINITY, -2.5f, Float.NaN}, f.toFloatArray());
        assertArrayEquals(new double[] {(float) 0.1, 0, Double.POSITIVE_INFINITY, -2.5, Double.NaN},
                f.to(DType.F64).toDoubleArray());
        assertSame(f, f.to(DType.F32));
        // A non-contiguous view converts to a dense tensor with the view's values.
        Tensor m = Tensor.arange(0, 12, 1).reshape(3, 4).t().slice(1, 0, 3, 2);
        Tensor m64 = m.to(DType.F64);
        assertArrayEquals(new int[] {4, 2}, m64.shape());
        assertArrayEquals(new double[] {0, 8, 1, 9, 2, 10, 3, 11}, m64.toDoubleArray());
        assertTrue(m64.layout().isContiguous());
        // assign converts too
        Tensor target = Tensor.zeros(DType.F64, Device.CPU, 2);
        target.assign(Tensor.fromArray(new float[] {1.5f, 2.5f}, 2));
        assertArrayEquals(new double[] {1.5, 2.5}, target.toDoubleArray());
    }

    @Test void devices() {
        Tensor t = Tensor.ones(2);
        assertSame(t, t.to(Device.CPU));
        assertEquals(Device.CPU, t.device());
        assertEquals(Device.CPU, Device.parse(" CPU "));
        assertEquals(Device.cuda(0), Device.parse("cuda"));
        assertEquals(Device.cuda(3), Device.parse("cuda:3"));
        assertEquals("cuda:1", Device.cuda(1).toString());
        assertEquals("cpu", Device.CPU.toString());
        assertMessage("unknown device 'tpu' (expected cpu, cuda or cuda:N)", () -> Device.parse("tpu"));
        assertMessage("unknown device 'cuda:x'", () -> Device.parse("cuda:x"));
        assertMessage("device index must be >= 0, got -1", () -> Device.cuda(-1));
        assertEquals(Device.CPU, dev.gan4j.tensor.backend.Backends.resolve("cpu"));
    }

    /** core-tensor's tests run without the CUDA module: asking for it fails with a reason. */
    @Test void missingCudaBackendIsExplained() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Tensor.ones(2).to(Device.cuda(0)));
        assertEquals("no backend for device cuda:0: the cuda backend module is not on the class path", e.getMessage());
        assertEquals(Device.CPU, dev.gan4j.tensor.backend.Backends.resolve("auto"));
        assertNotEquals(null, dev.gan4j.tensor.backend.Backends.cpu().name());
    }
}
