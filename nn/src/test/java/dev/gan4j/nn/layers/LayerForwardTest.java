package dev.gan4j.nn.layers;

import static dev.gan4j.nn.TestTensors.assertClose;
import static dev.gan4j.nn.TestTensors.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.Module;
import dev.gan4j.tensor.ConvParams;
import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Every layer's forward against the loop implementations in {@link Naive}, in float32 and float64. */
class LayerForwardTest {

    /**
     * Runs a fresh module in float32 and a fresh one in float64 on {@code x}, comparing with the
     * reference computed (in double) from that module's parameters before the forward.
     */
    private static void check(Supplier<Module> make, Tensor x, BiFunction<Module, Tensor, Tensor> reference) {
        Module m32 = make.get();
        Tensor x32 = x.to(DType.F32);
        Tensor expected32 = reference.apply(m32, x32.to(DType.F64));
        Tensor y32 = m32.forward(Variable.constant(x32)).data();
        assertEquals(DType.F32, y32.dtype());
        assertClose(expected32, y32, 2e-5, "float32");

        Module m64 = make.get().to(DType.F64);
        Tensor expected64 = reference.apply(m64, x);
        Tensor y64 = m64.forward(Variable.constant(x)).data();
        assertEquals(DType.F64, y64.dtype());
        assertClose(expected64, y64, 1e-12, "float64");
    }

    private static Tensor param(Module m, String name) {
        Variable p = m.namedParameters().get(name);
        return p == null ? null : p.data().to(DType.F64);
    }

    private static double[] values(Module m, String name) {
        return m.namedParameters().get(name).data().toDoubleArray();
    }

    // ---- linear and convolutions ----

    @Test
    void linear() {
        check(() -> new Linear(5, 3, true, new Generator(1)), random(2, 4, 5),
                (m, x) -> Naive.linear(x, param(m, "weight"), param(m, "bias")));
        check(() -> new Linear(5, 3, false, new Generator(1)), random(3, 2, 3, 5),
                (m, x) -> Naive.linear(x, param(m, "weight"), null));
        assertArrayEquals(new int[] {3, 5}, new Linear(5, 3).namedParameters().get("weight").shape());
    }

    @Test
    void conv2d() {
        for (int[] s : new int[][] {{1, 0, 1}, {2, 1, 1}, {1, 2, 2}, {3, 1, 1}}) {
            int stride = s[0], pad = s[1], dil = s[2];
            ConvParams p = ConvParams.of(stride, pad, dil);
            check(() -> new Conv2d(3, 4, 3, p, true, new Generator(4)), random(5, 2, 3, 7, 6),
                    (m, x) -> Naive.conv2d(x, param(m, "weight"), param(m, "bias"), stride, pad, dil));
        }
        check(() -> new Conv2d(2, 3, 4, ConvParams.of(2, 1), false, new Generator(6)), random(7, 2, 2, 8, 8),
                (m, x) -> Naive.conv2d(x, param(m, "weight"), null, 2, 1, 1));
        assertArrayEquals(new int[] {4, 3, 5, 5}, new Conv2d(3, 4, 5, 1, 2).namedParameters().get("weight").shape());
    }

    @Test
    void convTranspose2d() {
        // The DCGAN generator's block (k4 s2 p1 doubles the size), plus output padding, dilation and no bias.
        check(() -> new ConvTranspose2d(3, 2, 4, ConvParams.of(2, 1), 0, true, new Generator(8)), random(9, 2, 3, 4, 4),
                (m, x) -> Naive.convTranspose2d(x, param(m, "weight"), param(m, "bias"), 2, 1, 0, 1));
        check(() -> new ConvTranspose2d(2, 3, 3, ConvParams.of(2, 1), 1, true, new Generator(10)), random(11, 1, 2, 3, 5),
                (m, x) -> Naive.convTranspose2d(x, param(m, "weight"), param(m, "bias"), 2, 1, 1, 1));
        check(() -> new ConvTranspose2d(2, 2, 3, ConvParams.of(1, 0, 2), 0, false, new Generator(12)), random(13, 2, 2, 3, 3),
                (m, x) -> Naive.convTranspose2d(x, param(m, "weight"), null, 1, 0, 0, 2));
        check(() -> new ConvTranspose2d(4, 2, 4, ConvParams.of(1, 0), 0, true, new Generator(14)), random(15, 2, 4, 1, 1),
                (m, x) -> Naive.convTranspose2d(x, param(m, "weight"), param(m, "bias"), 1, 0, 0, 1));
        Module up = new ConvTranspose2d(8, 4, 4, 2, 1);
        assertArrayEquals(new int[] {8, 4, 4, 4}, up.namedParameters().get("weight").shape());
        assertArrayEquals(new int[] {2, 4, 14, 14}, up.forward(Variable.constant(Tensor.zeros(2, 8, 7, 7))).shape());
    }

    // ---- normalisation ----

    @Test
    void batchNormTrainingUsesBatchStatistics() {
        for (boolean twoD : new boolean[] {false, true}) {
            Tensor x = twoD ? random(16, 3, 4, 2, 3) : random(16, 6, 4);
            check(() -> affine(twoD ? new BatchNorm2d(4) : new BatchNorm1d(4)), x, (m, in) -> {
                double[][] stats = Naive.channelStats(in);
                return Naive.normalize(in, stats[0], stats[1], values(m, "weight"), values(m, "bias"), 1e-5);
            });
        }
        check(() -> new BatchNorm1d(3, 1e-3, 0.1, false, true), random(17, 5, 3, 4), (m, in) -> {
            double[][] stats = Naive.channelStats(in);
            return Naive.normalize(in, stats[0], stats[1], null, null, 1e-3);
        });
    }

    @Test
    void batchNormEvalUsesRunningStatistics() {
        double[] mean = {0.5, -0.25, 1.0, 0.0};
        double[] var = {2.0, 0.5, 1.5, 0.01};
        for (boolean twoD : new boolean[] {false, true}) {
            Tensor x = twoD ? random(18, 2, 4, 3, 3) : random(18, 1, 4);
            check(() -> {
                BatchNorm bn = affine(twoD ? new BatchNorm2d(4, 1e-4, 0.1, true, true) : new BatchNorm1d(4, 1e-4, 0.1, true, true));
                bn.namedBuffers().get("running_mean").assign(Tensor.fromArray(mean, 4));
                bn.namedBuffers().get("running_var").assign(Tensor.fromArray(var, 4));
                bn.eval();
                return bn;
            }, x, (m, in) -> Naive.normalize(in, m.namedBuffers().get("running_mean").toDoubleArray(),
                    m.namedBuffers().get("running_var").toDoubleArray(), values(m, "weight"), values(m, "bias"), 1e-4));
        }
    }

    @Test
    void batchNormUpdatesRunningStatisticsWithTheUnbiasedVariance() {
        Tensor x = random(19, 3, 2, 4, 5);
        BatchNorm bn = new BatchNorm2d(2, 1e-5, 0.25, true, true);
        bn.to(DType.F64);
        bn.forward(Variable.constant(x));
        bn.forward(Variable.constant(x));
        double[][] stats = Naive.channelStats(x);
        double[] expectedMean = new double[2], expectedVar = new double[2];
        for (int c = 0; c < 2; c++) {
            expectedMean[c] = 0.75 * 0.25 * stats[0][c] + 0.25 * stats[0][c];
            expectedVar[c] = 0.75 * (0.75 + 0.25 * stats[2][c]) + 0.25 * stats[2][c];
        }
        assertClose(expectedMean, bn.namedBuffers().get("running_mean").toDoubleArray(), 1e-12, "running_mean");
        assertClose(expectedVar, bn.namedBuffers().get("running_var").toDoubleArray(), 1e-12, "running_var");
        assertEquals(2, bn.namedBuffers().get("num_batches_tracked").item());
    }

    /** Non-trivial gamma and beta, so the affine part is exercised. */
    private static BatchNorm affine(BatchNorm bn) {
        int c = bn.namedParameters().get("weight").size(0);
        bn.namedParameters().get("weight").data().assign(random(20, c).add(1.5));
        bn.namedParameters().get("bias").data().assign(random(21, c));
        return bn;
    }

    @Test
    void layerNorm() {
        check(() -> withRandomAffine(new LayerNorm(6)), random(22, 3, 6),
                (m, x) -> Naive.layerNorm(x, 6, values(m, "weight"), values(m, "bias"), 1e-5));
        check(() -> withRandomAffine(new LayerNorm(2, 3, 3)), random(23, 2, 2, 3, 3),
                (m, x) -> Naive.layerNorm(x, 18, values(m, "weight"), values(m, "bias"), 1e-5));
        check(() -> new LayerNorm(new int[] {4}, 1e-2, false), random(24, 2, 5, 4),
                (m, x) -> Naive.layerNorm(x, 4, new double[] {1, 1, 1, 1}, new double[4], 1e-2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LayerNorm(4).forward(Variable.constant(Tensor.zeros(2, 5))));
        assertTrue(e.getMessage().contains("[2, 5]") && e.getMessage().contains("[4]"), e.getMessage());
    }

    private static Module withRandomAffine(LayerNorm ln) {
        ln.namedParameters().get("weight").data().assign(random(25, ln.namedParameters().get("weight").shape()).add(1));
        ln.namedParameters().get("bias").data().assign(random(26, ln.namedParameters().get("bias").shape()));
        return ln;
    }

    // ---- activations ----

    @Test
    void activations() {
        Tensor x = random(27, 3, 4, 5).mul(6);
        check(ReLU::new, x, (m, in) -> Naive.map(in, v -> Math.max(v, 0)));
        check(() -> new LeakyReLU(0.2), x, (m, in) -> Naive.map(in, v -> v > 0 ? v : 0.2 * v));
        check(() -> new LeakyReLU(0.01), x, (m, in) -> Naive.map(in, v -> v > 0 ? v : 0.01 * v));
        check(Tanh::new, x, (m, in) -> Naive.map(in, Math::tanh));
        check(Sigmoid::new, x, (m, in) -> Naive.map(in, v -> 1 / (1 + Math.exp(-v))));
        Tensor extreme = Tensor.fromArray(new double[] {-1000, -50, 0, 50, 1000}, 5);
        check(Sigmoid::new, extreme, (m, in) -> Naive.map(in, v -> 1 / (1 + Math.exp(-v))));
        check(Tanh::new, extreme, (m, in) -> Naive.map(in, Math::tanh));
    }

    // ---- dropout ----

    @Test
    void dropoutZeroesWithProbabilityPAndScalesTheRest() {
        double p = 0.3;
        Tensor x = random(28, 200, 500).add(2); // all > 0
        Tensor y = new Dropout(p, new Generator(5)).forward(Variable.constant(x)).data();
        double[] xs = x.toDoubleArray(), ys = y.toDoubleArray();
        int zeros = 0;
        for (int i = 0; i < xs.length; i++) {
            if (ys[i] == 0) zeros++;
            else assertEquals(xs[i] / (1 - p), ys[i], 1e-12, "kept element " + i);
        }
        double rate = zeros / (double) xs.length; // binomial sd ~ 0.001
        assertEquals(p, rate, 0.006, "fraction dropped");
    }

    @Test
    void dropoutIsSeeded() {
        Tensor x = random(29, 50, 40);
        double[] a = new Dropout(0.5, new Generator(42)).forward(Variable.constant(x)).data().toDoubleArray();
        double[] b = new Dropout(0.5, new Generator(42)).forward(Variable.constant(x)).data().toDoubleArray();
        double[] c = new Dropout(0.5, new Generator(43)).forward(Variable.constant(x)).data().toDoubleArray();
        assertArrayEquals(a, b);
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(c));
        Dropout d = new Dropout(0.5, new Generator(42));
        double[] first = d.forward(Variable.constant(x)).data().toDoubleArray();
        double[] second = d.forward(Variable.constant(x)).data().toDoubleArray();
        assertArrayEquals(a, first);
        assertNotEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(second), "a new mask each call");
    }

    @Test
    void dropoutInEvalModeOrWithPZeroIsTheIdentity() {
        Variable x = Variable.constant(random(30, 4, 5));
        Dropout d = new Dropout(0.9, new Generator(1));
        d.eval();
        assertSame(x, d.forward(x));
        assertSame(x, new Dropout(0, new Generator(1)).forward(x));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1));
    }

    @Test
    void dropoutGradientUsesTheSameMask() {
        Variable x = Variable.of(random(31, 30, 30), true);
        Variable y = new Dropout(0.4, new Generator(9)).forward(x);
        y.sum().backward();
        double[] ys = y.data().toDoubleArray(), g = x.grad().toDoubleArray();
        for (int i = 0; i < g.length; i++) assertEquals(ys[i] == 0 ? 0 : 1 / 0.6, g[i], 1e-12);
    }

    // ---- shapes, pooling, resampling ----

    @Test
    void flattenAndReshape() {
        Tensor x = random(32, 2, 3, 4, 5);
        check(Flatten::new, x, (m, in) -> Tensor.fromArray(in.toDoubleArray(), 2, 60));
        check(() -> new Reshape(3, 4, 5), random(33, 2, 60), (m, in) -> Tensor.fromArray(in.toDoubleArray(), 2, 3, 4, 5));
        check(() -> new Reshape(6, 2), random(34, 3, 2, 6), (m, in) -> Tensor.fromArray(in.toDoubleArray(), 3, 6, 2));
        // Non-contiguous input: a transposed view is flattened in its logical order.
        Tensor t = random(35, 3, 2, 4).permute(0, 2, 1);
        Tensor expected = Tensor.fromArray(t.contiguous().toDoubleArray(), 3, 8);
        assertClose(expected, new Flatten().forward(Variable.constant(t)).data(), 0, "flatten of a view");
        assertThrows(IllegalArgumentException.class, () -> new Reshape(7).forward(Variable.constant(Tensor.zeros(2, 6))));
    }

    @Test
    void upsampleNearest() {
        check(() -> new Upsample(2), random(36, 2, 3, 3, 4), (m, x) -> Naive.upsampleNearest(x, 2));
        check(() -> new Upsample(3), random(37, 1, 1, 2, 2), (m, x) -> Naive.upsampleNearest(x, 3));
    }

    @Test
    void maxPool2d() {
        check(() -> new MaxPool2d(2, 2, 0), random(38, 2, 3, 6, 6), (m, x) -> Naive.pool(x, 2, 2, 0, true));
        check(() -> new MaxPool2d(3, 2, 1), random(39, 2, 2, 7, 5), (m, x) -> Naive.pool(x, 3, 2, 1, true));
        // All-negative input: the padding must not win.
        check(() -> new MaxPool2d(3, 1, 1), random(40, 1, 2, 4, 4).sub(5), (m, x) -> Naive.pool(x, 3, 1, 1, true));
    }

    @Test
    void avgPool2dCountsPaddingInTheDivisor() {
        check(() -> new AvgPool2d(2, 2, 0), random(41, 2, 3, 6, 6), (m, x) -> Naive.pool(x, 2, 2, 0, false));
        check(() -> new AvgPool2d(3, 2, 1), random(42, 2, 2, 7, 5), (m, x) -> Naive.pool(x, 3, 2, 1, false));
    }

    @Test
    void adaptiveAvgPool2d() {
        check(() -> new AdaptiveAvgPool2d(1), random(43, 2, 3, 5, 7), (m, x) -> {
            double[] v = x.toDoubleArray(), y = new double[6];
            for (int i = 0; i < v.length; i++) y[i / 35] += v[i] / 35;
            return Tensor.fromArray(y, 2, 3, 1, 1);
        });
        check(() -> new AdaptiveAvgPool2d(2), random(44, 1, 2, 6, 6), (m, x) -> Naive.pool(x, 3, 3, 0, false));
    }

    // ---- containers ----

    @Test
    void sequentialAppliesItsLayersInOrder() {
        Tensor x = random(45, 2, 1, 8, 8);
        check(() -> new Sequential(new Conv2d(1, 2, 3, ConvParams.of(1, 1), true, new Generator(2)), new LeakyReLU(0.2),
                new MaxPool2d(2, 2, 0), new Flatten(), new Linear(32, 3, true, new Generator(3)), new Sigmoid()), x,
                (m, in) -> {
                    Tensor h = Naive.conv2d(in, param(m, "0.weight"), param(m, "0.bias"), 1, 1, 1);
                    h = Naive.map(h, v -> v > 0 ? v : 0.2 * v);
                    h = Naive.pool(h, 2, 2, 0, true);
                    h = Naive.linear(Tensor.fromArray(h.toDoubleArray(), 2, 32), param(m, "4.weight"), param(m, "4.bias"));
                    return Naive.map(h, v -> 1 / (1 + Math.exp(-v)));
                });
        Sequential s = new Sequential(new ReLU(), new Tanh());
        assertEquals(2, s.size());
        assertTrue(s.get(1) instanceof Tanh);
        assertEquals(List.of("0", "1"), List.copyOf(s.children().keySet()));
        Variable v = Variable.constant(x);
        assertSame(v, new Sequential().forward(v));
    }
}
