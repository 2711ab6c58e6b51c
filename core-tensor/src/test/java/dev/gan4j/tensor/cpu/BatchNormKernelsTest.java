package dev.gan4j.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The float32 batch-norm loops (both {@link ChannelLoops}, whichever this JVM would pick) and the
 * whole kernels in float32 and float64, against naive double loops, on shapes that reach every tail
 * of the loops: planes shorter than a vector, odd planes, N = 1, C = 1, BatchNorm1d (S = 1), and
 * planes large enough to be split over threads.
 */
class BatchNormKernelsTest {

    static final List<int[]> SHAPES = List.of(new int[] {3, 5, 7}, new int[] {2, 3, 5, 5}, new int[] {1, 4, 33},
            new int[] {5, 1, 17, 3}, new int[] {9, 6}, new int[] {2, 3, 128, 130}, new int[] {64, 32, 4, 4},
            new int[] {7, 2, 1, 19}, new int[] {37, 1001});

    private static final double EPS = 1e-5;

    /** Statistics and gradients of channel c, in double, element by element. */
    record Expected(double mean, double invStd, double[] y, double sumGrad, double sumGradXhat, double[] gx) {}

    static Expected expected(double[] x, double[] gy, int n, int ch, int s, int c, double gamma, double beta) {
        int m = n * s;
        double mean = 0, var = 0, sumGrad = 0, sumGradXhat = 0;
        for (int b = 0; b < n; b++) for (int i = 0; i < s; i++) mean += x[(b * ch + c) * s + i];
        mean /= m;
        for (int b = 0; b < n; b++) for (int i = 0; i < s; i++) var += Math.pow(x[(b * ch + c) * s + i] - mean, 2);
        double invStd = 1 / Math.sqrt(var / m + EPS);
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < s; i++) {
                int at = (b * ch + c) * s + i;
                sumGrad += gy[at];
                sumGradXhat += gy[at] * (x[at] - mean) * invStd;
            }
        }
        double[] y = new double[m], gx = new double[m];
        for (int b = 0, k = 0; b < n; b++) {
            for (int i = 0; i < s; i++, k++) {
                int at = (b * ch + c) * s + i;
                double xhat = (x[at] - mean) * invStd;
                y[k] = xhat * gamma + beta;
                gx[k] = gamma * invStd / m * (m * gy[at] - sumGrad - xhat * sumGradXhat);
            }
        }
        return new Expected(mean, invStd, y, sumGrad, sumGradXhat, gx);
    }

    static void assertNear(String what, double expected, double actual, double tol) {
        if (!(Math.abs(expected - actual) <= tol * (1 + Math.abs(expected)))) {
            assertEquals(expected, actual, tol * (1 + Math.abs(expected)), what);
        }
    }

    static double[] widen(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    static float[] floats(Random random, int n, double offset) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (offset + 3 * random.nextGaussian());
        return a;
    }

    @Test void bothChannelLoopsMatchDoubleLoops() {
        Random random = new Random(5);
        for (ChannelLoops loops : List.of(new ChannelLoopsPlain(), ChannelLoops.best())) {
            for (int[] shape : SHAPES) {
                int n = shape[0], ch = shape[1], s = Arrays.stream(shape).skip(2).reduce(1, (a, b) -> a * b);
                float[] x = floats(random, n * ch * s, 2), gy = floats(random, n * ch * s, -0.5);
                float[] y = new float[x.length], gx = new float[x.length];
                double[] sums = new double[2];
                for (int c = 0; c < ch; c++) {
                    String ctx = loops.getClass().getSimpleName() + " " + Arrays.toString(shape) + " channel " + c;
                    Expected e = expected(widen(x), widen(gy), n, ch, s, c, 1.5, 0.25);
                    int m = n * s, first = c * s, step = ch * s;
                    double mean = loops.sum(x, first, step, n, s) / m;
                    assertNear(ctx + " mean", e.mean(), mean, 1e-12);
                    double invStd = 1 / Math.sqrt(loops.centredSquares(x, first, step, n, s, mean) / m + EPS);
                    assertNear(ctx + " invStd", e.invStd(), invStd, 1e-12);
                    loops.affine(x, y, first, step, n, s, mean, 1.5 * invStd, 0.25);
                    loops.gradSums(x, gy, first, step, n, s, mean, sums);
                    assertNear(ctx + " sum(gy)", e.sumGrad(), sums[0], 1e-12);
                    assertNear(ctx + " sum(gy xhat)", e.sumGradXhat(), sums[1] * invStd, 1e-12);
                    double k = 1.5 * invStd / m;
                    loops.gradInput(x, gy, gx, first, step, n, s, mean, k * m, -k * sums[1] * invStd * invStd, -k * sums[0]);
                    for (int b = 0, i = 0; b < n; b++) {
                        for (int j = 0; j < s; j++, i++) {
                            assertNear(ctx + " y " + i, e.y()[i], y[first + b * step + j], 1e-6);
                            assertNear(ctx + " gx " + i, e.gx()[i], gx[first + b * step + j], 1e-6);
                        }
                    }
                }
            }
        }
    }

    /** The whole kernels, float32 and float64, through the tensor API (a channel's gamma and beta vary). */
    @Test void kernelsMatchDoubleLoopsInBothDtypes() {
        for (DType dtype : List.of(DType.F32, DType.F64)) {
            double tol = dtype == DType.F32 ? 1e-5 : 1e-12;
            for (int[] shape : SHAPES) {
                Generator g = new Generator(11);
                int ch = shape[1];
                Tensor x = Tensor.normal(g, 1, 2, dtype, Device.CPU, shape);
                Tensor gy = Tensor.normal(g, -0.5, 1, dtype, Device.CPU, shape);
                Tensor gamma = Tensor.normal(g, 1, 0.5, dtype, Device.CPU, ch);
                Tensor beta = Tensor.normal(g, 0, 1, dtype, Device.CPU, ch);
                Tensor.BatchNormResult r = Tensor.batchNormTraining(x, gamma, beta, null, null, 0.1, EPS);
                Tensor.BatchNormGrads grads = Tensor.batchNormBackward(x, gy, gamma, r.mean(), r.invStd());
                double[] xs = x.toDoubleArray(), gys = gy.toDoubleArray(), gammas = gamma.toDoubleArray();
                double[] betas = beta.toDoubleArray(), y = r.output().toDoubleArray(), gx = grads.input().toDoubleArray();
                int n = shape[0], s = xs.length / (n * ch);
                for (int c = 0; c < ch; c++) {
                    String ctx = dtype + " " + Arrays.toString(shape) + " channel " + c;
                    Expected e = expected(xs, gys, n, ch, s, c, gammas[c], betas[c]);
                    assertNear(ctx + " mean", e.mean(), r.mean().toDoubleArray()[c], tol);
                    assertNear(ctx + " invStd", e.invStd(), r.invStd().toDoubleArray()[c], tol);
                    assertNear(ctx + " grad beta", e.sumGrad(), grads.beta().toDoubleArray()[c], tol);
                    assertNear(ctx + " grad gamma", e.sumGradXhat(), grads.gamma().toDoubleArray()[c], tol);
                    for (int b = 0, i = 0; b < n; b++) {
                        for (int j = 0; j < s; j++, i++) {
                            int at = (b * ch + c) * s + j;
                            assertNear(ctx + " y " + i, e.y()[i], y[at], tol);
                            // gx is computed from the saved (float-rounded) mean and invStd
                            assertNear(ctx + " gx " + i, e.gx()[i], gx[at], dtype == DType.F32 ? 1e-4 : tol);
                        }
                    }
                }
            }
        }
    }
}
