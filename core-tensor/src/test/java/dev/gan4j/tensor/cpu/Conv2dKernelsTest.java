package dev.gan4j.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gan4j.tensor.backend.ConvGeometry;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The three convolution kernels, float and double, against a direct convolution in double; and
 * {@link PaddedConv}, which the float kernels pick for stride-1 layers with few output channels, with
 * each of its loops ({@link FloatRuns}) on every geometry it applies to, whatever the channel count.
 *
 * <p>Tolerances: a float32 result that sums {@code n} products (inputs in [-1, 1]) must match to
 * {@code 1e-4 * sqrt(n)} relative to {@code max(1, |expected|)}; float64 to {@code 1e-12} likewise.
 * Outputs start as NaN, so every element must be written.
 */
class Conv2dKernelsTest {

    static Stream<ConvGeometry> geometries() {
        return Stream.of(
                // batch, inC, inH, inW, outC, kH, kW, strideH, strideW, padH, padW, dilationH, dilationW
                geometry(2, 3, 7, 7, 4, 3, 3, 1, 1, 1, 1, 1, 1),
                geometry(3, 1, 28, 28, 8, 4, 4, 2, 2, 1, 1, 1, 1),     // DCGAN discriminator, first layer
                geometry(5, 16, 14, 14, 32, 4, 4, 2, 2, 1, 1, 1, 1),   // DCGAN discriminator, second layer
                geometry(4, 8, 4, 4, 16, 4, 4, 2, 2, 1, 1, 1, 1),      // small output: samples grouped
                geometry(1, 5, 9, 11, 6, 3, 2, 2, 3, 1, 0, 1, 1),      // batch 1: the GEMM runs in parallel
                geometry(3, 4, 10, 9, 5, 3, 3, 1, 2, 2, 1, 2, 3),      // dilation
                geometry(2, 6, 5, 5, 7, 1, 1, 1, 1, 0, 0, 1, 1),       // pointwise: no im2col
                geometry(7, 6, 3, 4, 2, 1, 1, 1, 1, 0, 0, 1, 1),       // pointwise, grouped
                geometry(2, 3, 6, 6, 3, 1, 1, 2, 2, 1, 1, 1, 1),       // 1x1 but strided and padded
                geometry(2, 2, 3, 3, 3, 5, 5, 1, 1, 3, 3, 1, 1),       // kernel wider than input: rows all padding
                geometry(3, 17, 5, 4, 33, 2, 3, 3, 1, 0, 2, 2, 1),     // odd channel counts
                geometry(65, 2, 3, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1),      // many groups, uneven sizes
                geometry(6, 5, 4, 3, 7, 4, 3, 1, 1, 0, 0, 1, 1),       // kernel = input: fully connected, no im2col
                geometry(3, 4, 5, 5, 2, 5, 5, 2, 3, 0, 0, 1, 1),       // fully connected, strides irrelevant
                geometry(2, 3, 4, 4, 5, 4, 4, 1, 1, 1, 1, 1, 1),       // kernel = input but padded: not dense
                geometry(0, 2, 3, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1),       // empty batch
                // Large enough to pack (im2col straight into GEMM panels), with edge panels and tiles:
                geometry(3, 45, 9, 7, 13, 4, 3, 2, 1, 2, 1, 2, 1),     // 540 taps: two K slices; dilated
                geometry(1, 50, 12, 13, 11, 3, 3, 1, 2, 1, 1, 1, 2),   // batch 1, stride and dilation in W only
                geometry(9, 40, 5, 5, 19, 1, 1, 1, 1, 0, 0, 1, 1),     // pointwise, grouped, packed
                geometry(4, 64, 16, 16, 128, 4, 4, 2, 2, 1, 1, 1, 1),  // cifar.D2 with a small batch
                geometry(5, 7, 11, 10, 25, 5, 5, 3, 2, 4, 3, 1, 1),    // pads wider than the stride
                // Stride 1 (PaddedConv): GEMM on padded planes, groups of samples with a shorter last one:
                geometry(23, 7, 5, 6, 9, 3, 3, 1, 1, 1, 1, 1, 1),
                geometry(5, 8, 9, 7, 6, 3, 2, 1, 1, 2, 1, 2, 1),       // dilated, uneven padding
                geometry(64, 32, 14, 14, 16, 3, 3, 1, 1, 1, 1, 1, 1),  // mnist-upsample, first generator layer (half width)
                // ... and with few output channels (FloatRuns), odd sizes that are no multiple of a vector:
                geometry(3, 16, 28, 28, 1, 3, 3, 1, 1, 1, 1, 1, 1),    // mnist-upsample, last generator layer
                geometry(2, 5, 9, 13, 2, 3, 2, 1, 1, 1, 0, 1, 1),      // uneven kernel and padding
                geometry(3, 3, 11, 7, 3, 3, 3, 1, 1, 2, 1, 2, 1),      // dilated, padded past the kernel's reach in W
                geometry(1, 1, 1, 1, 1, 3, 3, 1, 1, 1, 1, 1, 1),       // one pixel
                geometry(9, 2, 17, 5, 5, 4, 1, 1, 1, 0, 0, 1, 1),      // unpadded, uneven slots
                geometry(2, 3, 6, 6, 2, 1, 1, 1, 1, 1, 1, 1, 1));      // padded 1x1: PaddedConv does not apply
    }

    /** The three float32 kernels of one implementation. */
    private interface FloatConv {
        void forward(float[] x, float[] w, float[] y, ConvGeometry g);

        void backwardInput(float[] gy, float[] w, float[] gx, ConvGeometry g);

        void backwardWeight(float[] x, float[] gy, float[] gw, ConvGeometry g);
    }

    private static final FloatConv CONV2D_KERNELS = new FloatConv() {
        @Override public void forward(float[] x, float[] w, float[] y, ConvGeometry g) {
            Conv2dKernels.forward(x, w, y, g);
        }

        @Override public void backwardInput(float[] gy, float[] w, float[] gx, ConvGeometry g) {
            Conv2dKernels.backwardInput(gy, w, gx, g);
        }

        @Override public void backwardWeight(float[] x, float[] gy, float[] gw, ConvGeometry g) {
            Conv2dKernels.backwardWeight(x, gy, gw, g);
        }
    };

    private static FloatConv direct(FloatRuns runs) {
        return new FloatConv() {
            @Override public void forward(float[] x, float[] w, float[] y, ConvGeometry g) {
                PaddedConv.forward(runs, x, w, y, g);
            }

            @Override public void backwardInput(float[] gy, float[] w, float[] gx, ConvGeometry g) {
                PaddedConv.backwardInput(runs, gy, w, gx, g);
            }

            @Override public void backwardWeight(float[] x, float[] gy, float[] gw, ConvGeometry g) {
                PaddedConv.backwardWeight(runs, x, gy, gw, g);
            }
        };
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void floatKernelsMatchDirectConvolution(ConvGeometry g) {
        assertFloatKernelsMatch(CONV2D_KERNELS, g, "");
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void directConvolutionWithEitherLoopsMatches(ConvGeometry g) {
        if (!PaddedConv.applies(g)) return;
        for (FloatRuns runs : List.of(new FloatRunsPlain(), FloatRuns.best())) {
            assertFloatKernelsMatch(direct(runs), g, runs.getClass().getSimpleName() + " ");
        }
    }

    @Test
    void paddedConvolutionTakesStrideOneLayers() {
        ConvGeometry last = geometry(64, 16, 28, 28, 1, 3, 3, 1, 1, 1, 1, 1, 1);   // mnist-upsample's last G layer
        assertTrue(PaddedConv.applies(last) && PaddedConv.fewChannels(last));
        ConvGeometry wide = geometry(64, 32, 28, 28, 16, 3, 3, 1, 1, 1, 1, 1, 1);
        assertTrue(PaddedConv.applies(wide) && !PaddedConv.fewChannels(wide));
        assertFalse(PaddedConv.applies(geometry(64, 16, 28, 28, 1, 4, 4, 2, 2, 1, 1, 1, 1)));
        assertFalse(PaddedConv.applies(geometry(2, 3, 6, 6, 2, 1, 1, 1, 1, 1, 1, 1, 1)));
    }

    /**
     * Subnormal values count as zero on every GEMM path of the three passes (packed weights, padded
     * planes flushed once, im2col columns, panels packed from x), as they do in a plain product
     * ({@code GemmTest.subnormalOperandsCountAsZeroInPackedProducts}): with only subnormals in one
     * operand and 1e30 in the other, every result is exactly zero.
     */
    @Test
    void subnormalInputsCountAsZeroInEveryPass() {
        for (ConvGeometry g : List.of(
                geometry(4, 16, 14, 14, 32, 3, 3, 1, 1, 1, 1, 1, 1),     // stride 1: padded planes
                geometry(4, 16, 14, 14, 32, 4, 4, 2, 2, 1, 1, 1, 1))) {  // stride 2: im2col
            float[] tiny = new float[Math.max(g.inputSize(), Math.max(g.outputSize(), g.weightSize()))];
            float[] huge = new float[tiny.length];
            for (int i = 0; i < tiny.length; i++) {
                tiny[i] = (i % 3 == 0 ? -1e-40f : 2e-40f);
                huge[i] = (i % 2 == 0 ? 1e30f : -1e30f);
            }
            float[] y = new float[g.outputSize()], gx = new float[g.inputSize()], gw = new float[g.weightSize()];
            Conv2dKernels.forward(tiny, huge, y, g);
            assertAllZero(y, "forward, subnormal x, " + g);
            Conv2dKernels.forward(huge, tiny, y, g);
            assertAllZero(y, "forward, subnormal w, " + g);
            Conv2dKernels.backwardInput(tiny, huge, gx, g);
            assertAllZero(gx, "input gradient, subnormal gy, " + g);
            Conv2dKernels.backwardWeight(tiny, huge, gw, g);
            assertAllZero(gw, "weight gradient, subnormal x, " + g);
            Conv2dKernels.backwardWeight(huge, tiny, gw, g);
            assertAllZero(gw, "weight gradient, subnormal gy, " + g);
        }
    }

    private static void assertAllZero(float[] values, String what) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0f) fail(what + ": element " + i + " is " + values[i] + ", not 0");
        }
    }

    private static void assertFloatKernelsMatch(FloatConv kernels, ConvGeometry g, String what) {
        Random random = new Random(g.hashCode());
        float[] x = floats(random, g.inputSize()), w = floats(random, g.weightSize());
        float[] gy = floats(random, g.outputSize());
        double[] xd = widen(x), wd = widen(w), gyd = widen(gy);
        int taps = g.inChannels() * g.kernelH() * g.kernelW();

        float[] y = nans(g.outputSize());
        kernels.forward(x, w, y, g);
        assertClose(directForward(xd, wd, g), widen(y), 1e-4 * Math.sqrt(taps), what + "forward");

        float[] gx = nans(g.inputSize());
        kernels.backwardInput(gy, w, gx, g);
        double taps1 = (double) g.outChannels() * g.kernelH() * g.kernelW();
        assertClose(directBackwardInput(gyd, wd, g), widen(gx), 1e-4 * Math.sqrt(taps1), what + "backwardInput");

        float[] gw = nans(g.weightSize());
        kernels.backwardWeight(x, gy, gw, g);
        double terms = Math.max(1.0, (double) g.batch() * g.outH() * g.outW());
        assertClose(directBackwardWeight(xd, gyd, g), widen(gw), 1e-4 * Math.sqrt(terms), what + "backwardWeight");
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void doubleKernelsMatchDirectConvolution(ConvGeometry g) {
        Random random = new Random(g.hashCode() + 1);
        double[] x = doubles(random, g.inputSize()), w = doubles(random, g.weightSize());
        double[] gy = doubles(random, g.outputSize());

        double[] y = new double[g.outputSize()];
        Arrays.fill(y, Double.NaN);
        Conv2dKernels.forward(x, w, y, g);
        assertClose(directForward(x, w, g), y, 1e-12, "forward");

        double[] gx = new double[g.inputSize()];
        Arrays.fill(gx, Double.NaN);
        Conv2dKernels.backwardInput(gy, w, gx, g);
        assertClose(directBackwardInput(gy, w, g), gx, 1e-12, "backwardInput");

        double[] gw = new double[g.weightSize()];
        Arrays.fill(gw, Double.NaN);
        Conv2dKernels.backwardWeight(x, gy, gw, g);
        assertClose(directBackwardWeight(x, gy, g), gw, 1e-12 * Math.sqrt(Math.max(1, g.batch())), "backwardWeight");
    }

    @Test
    void threadCountsThatDoNotDivideTheBatchStillMatch() {
        int threads = Parallel.threads();
        try {
            for (int t : new int[] {1, 3}) {
                Parallel.setThreads(t);
                geometries().forEach(this::floatKernelsMatchDirectConvolution);
                geometries().forEach(this::directConvolutionWithEitherLoopsMatches);
            }
        } finally {
            Parallel.setThreads(threads);
        }
    }

    @Test
    void rejectsArraysTooShortForTheGeometry() {
        ConvGeometry g = geometry(2, 3, 7, 7, 4, 3, 3, 1, 1, 1, 1, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> Conv2dKernels.forward(
                new float[g.inputSize() - 1], new float[g.weightSize()], new float[g.outputSize()], g));
        assertThrows(IllegalArgumentException.class, () -> Conv2dKernels.backwardWeight(
                new double[g.inputSize()], new double[g.outputSize()], new double[g.weightSize() - 1], g));
    }

    private static ConvGeometry geometry(int batch, int inC, int inH, int inW, int outC, int kH, int kW,
                                         int sH, int sW, int pH, int pW, int dH, int dW) {
        return new ConvGeometry(batch, inC, inH, inW, outC, kH, kW, sH, sW, pH, pW, dH, dW,
                ConvGeometry.outputSize(inH, kH, sH, pH, dH), ConvGeometry.outputSize(inW, kW, sW, pW, dW));
    }

    /** Calls {@code visit(xIndex, wIndex, yIndex)} for every product term of the convolution. */
    @FunctionalInterface
    private interface TermVisitor {
        void visit(int xIndex, int wIndex, int yIndex);
    }

    private static void forEachTerm(ConvGeometry g, TermVisitor visitor) {
        for (int b = 0; b < g.batch(); b++) {
            for (int co = 0; co < g.outChannels(); co++) {
                for (int oh = 0; oh < g.outH(); oh++) {
                    for (int ow = 0; ow < g.outW(); ow++) {
                        int yIndex = ((b * g.outChannels() + co) * g.outH() + oh) * g.outW() + ow;
                        for (int c = 0; c < g.inChannels(); c++) {
                            for (int kh = 0; kh < g.kernelH(); kh++) {
                                for (int kw = 0; kw < g.kernelW(); kw++) {
                                    int ih = oh * g.strideH() - g.padH() + kh * g.dilationH();
                                    int iw = ow * g.strideW() - g.padW() + kw * g.dilationW();
                                    if (ih < 0 || ih >= g.inH() || iw < 0 || iw >= g.inW()) continue;
                                    int xIndex = ((b * g.inChannels() + c) * g.inH() + ih) * g.inW() + iw;
                                    int wIndex = ((co * g.inChannels() + c) * g.kernelH() + kh) * g.kernelW() + kw;
                                    visitor.visit(xIndex, wIndex, yIndex);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static double[] directForward(double[] x, double[] w, ConvGeometry g) {
        double[] y = new double[g.outputSize()];
        forEachTerm(g, (xi, wi, yi) -> y[yi] += x[xi] * w[wi]);
        return y;
    }

    private static double[] directBackwardInput(double[] gy, double[] w, ConvGeometry g) {
        double[] gx = new double[g.inputSize()];
        forEachTerm(g, (xi, wi, yi) -> gx[xi] += gy[yi] * w[wi]);
        return gx;
    }

    private static double[] directBackwardWeight(double[] x, double[] gy, ConvGeometry g) {
        double[] gw = new double[g.weightSize()];
        forEachTerm(g, (xi, wi, yi) -> gw[wi] += gy[yi] * x[xi]);
        return gw;
    }

    private static void assertClose(double[] expected, double[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            double allowed = tolerance * Math.max(1, Math.abs(expected[i]));
            if (!(Math.abs(expected[i] - actual[i]) <= allowed)) {
                fail(what + ": index " + i + " expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }

    private static float[] floats(Random random, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = random.nextFloat() * 2 - 1;
        return x;
    }

    private static double[] doubles(Random random, int size) {
        double[] x = new double[size];
        for (int i = 0; i < size; i++) x[i] = random.nextDouble() * 2 - 1;
        return x;
    }

    private static float[] nans(int size) {
        float[] x = new float[size];
        Arrays.fill(x, Float.NaN);
        return x;
    }

    private static double[] widen(float[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i];
        return y;
    }
}
