package dev.gan4j.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.gan4j.tensor.ConvParams;
import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Results are bitwise the same whatever the size of the CPU thread pool: runs are reproducible across machines. */
class ThreadCountTest {

    static List<float[]> results(Supplier<List<Tensor>> work, int threads) {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            return work.get().stream().map(Tensor::toFloatArray).toList();
        } finally {
            Parallel.setThreads(before);
        }
    }

    static void assertSameBits(Supplier<List<Tensor>> work) {
        List<float[]> one = results(work, 1);
        for (int threads : new int[] {3, 4}) {
            List<float[]> many = results(work, threads);
            for (int i = 0; i < one.size(); i++) {
                assertArrayEquals(one.get(i), many.get(i), "result " + i + " with " + threads + " threads");
            }
        }
    }

    record Conv(Tensor x, Tensor w, Tensor gy) {
        static Conv random() {
            Generator g = new Generator(3);
            Tensor x = Tensor.randn(g, 8, 16, 20, 20), w = Tensor.randn(g, 24, 16, 3, 3);
            return new Conv(x, w, Tensor.randn(g, 8, 24, 20, 20));
        }
    }

    @Test void sameBitsWithOneOrManyThreads() {
        assertSameBits(() -> {
            Generator g = new Generator(3);
            Tensor a = Tensor.randn(g, 300, 257), b = Tensor.randn(g, 257, 190);
            Conv c = Conv.random();
            Tensor big = Tensor.normal(g, 0, 1, DType.F32, Device.CPU, 64, 2048);
            return List.of(a.matmul(b), a.t().matmul(a), Tensor.conv2d(c.x(), c.w(), null, ConvParams.of(1, 1)),
                    Tensor.conv2dBackwardInput(c.gy(), c.w(), c.x().shape(), ConvParams.of(1, 1)),
                    big.sum(new int[] {0}, false), big.sum(), big.t().mean(new int[] {1}, true),
                    big.exp().add(big.t().t()), big.argmax(1, false),
                    Tensor.batchNormTraining(c.x(), null, null, null, null, 0.1, 1e-5).output(),
                    c.x().maxPool2d(2, 2, 0), c.x().avgPool2d(3, 1, 1), c.x().upsampleNearest(2),
                    Tensor.upsampleNearestBackward(c.x(), 2),
                    c.gy().sum(new int[] {0, 2, 3}, false), c.gy().leakyRelu(0.2),
                    Tensor.batchNormBackward(c.x(), c.x().add(1), Tensor.ones(16), Tensor.zeros(16), Tensor.ones(16)).input());
        });
    }

    /** float32 batch norm on odd planes (vector tails in every plane), channels split over the threads; and BatchNorm1d. */
    @Test void batchNormOnOddPlanesIsReproducible() {
        assertSameBits(() -> {
            Generator g = new Generator(9);
            Tensor x = Tensor.normal(g, 2, 3, DType.F32, Device.CPU, 16, 12, 23, 29);
            Tensor gy = Tensor.randn(g, 16, 12, 23, 29), gamma = Tensor.randn(g, 12), beta = Tensor.randn(g, 12);
            Tensor.BatchNormResult r = Tensor.batchNormTraining(x, gamma, beta, Tensor.zeros(12), Tensor.ones(12), 0.1, 1e-5);
            Tensor.BatchNormGrads d = Tensor.batchNormBackward(x, gy, gamma, r.mean(), r.invStd());
            Tensor features = Tensor.randn(g, 37, 3001), featureGrads = Tensor.randn(g, 37, 3001);  // BatchNorm1d
            Tensor.BatchNormResult r1 = Tensor.batchNormTraining(features, null, null, null, null, 0.1, 1e-5);
            Tensor.BatchNormGrads d1 = Tensor.batchNormBackward(features, featureGrads, Tensor.ones(3001), r1.mean(), r1.invStd());
            return List.of(r.output(), r.mean(), r.invStd(), d.input(), d.gamma(), d.beta(), r1.output(), d1.input(),
                    d1.gamma());
        });
    }

    /**
     * Conv2dKernels.backwardWeight sums the batch in slots fixed by the geometry alone and adds the
     * slots' partial sums in slot order, so neither the thread count nor the order in which threads
     * finish changes the bits. (It used to add per-thread partials under a lock as they finished.)
     */
    @Test void convWeightGradientIsReproducible() {
        assertSameBits(() -> {
            Conv c = Conv.random();
            return List.of(Tensor.conv2dBackwardWeight(c.x(), c.gy(), c.w().shape(), ConvParams.of(1, 1)));
        });
    }

    /** The same for the direct kernels of a layer with one output channel (PaddedConv), all three passes. */
    @Test void directConvolutionIsReproducible() {
        assertSameBits(() -> {
            Conv c = Conv.random();
            Tensor w = c.w().narrow(0, 0, 1).contiguous(), gy = c.gy().narrow(1, 0, 1).contiguous();
            ConvParams same = ConvParams.of(1, 1);
            return List.of(Tensor.conv2d(c.x(), w, null, same), Tensor.conv2dBackwardInput(gy, w, c.x().shape(), same),
                    Tensor.conv2dBackwardWeight(c.x(), gy, w.shape(), same));
        });
    }
}
