package dev.gan4j.gan.eval;

import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The classifier-free parts of the metrics, on inputs whose answers are known. */
class MetricsTest {

    @Test
    void inceptionScoreIsTheClassCountForConfidentEvenSamplesAndOneForIdenticalOnes() {
        int n = 1000;
        int k = 10;
        double[] even = new double[n * k];
        double[] same = new double[n * k];
        for (int i = 0; i < n; i++) {
            even[i * k + i % k] = 1;
            same[i * k + 3] = 1;
        }
        InceptionScore spread = InceptionScore.of(Tensor.fromArray(even, n, k), 10);
        assertEquals(10, spread.mean(), 1e-9);
        assertEquals(0, spread.std(), 1e-9);
        assertEquals(1, InceptionScore.of(Tensor.fromArray(same, n, k), 10).mean(), 1e-9);
        // Uniform predictions say nothing: score 1.
        assertEquals(1, InceptionScore.of(Tensor.full(0.1, n, k).to(DType.F64), 10).mean(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> InceptionScore.of(Tensor.fromArray(even, n, k).narrow(0, 0, 5), 10));
    }

    @Test
    void classHistogramCountsCoveredClassesAndConfidentSamples() {
        // 200 samples: 150 confident class 0, 48 unsure class 1 (0.6), 2 class 2 (under 1% each is 2 samples: 1% = 2).
        int n = 200;
        double[] p = new double[n * 3];
        for (int i = 0; i < n; i++) {
            int c = i < 150 ? 0 : i < 198 ? 1 : 2;
            double top = c == 1 ? 0.6 : 0.95;
            for (int j = 0; j < 3; j++) p[i * 3 + j] = j == c ? top : (1 - top) / 2;
        }
        ClassHistogram h = ClassHistogram.of(Tensor.fromArray(p, n, 3));
        assertArrayEquals(new int[] {150, 48, 2}, h.counts());
        assertEquals(3, h.classesCovered());
        assertEquals(152 / 200.0, h.confidentFraction(), 1e-12);
        double[] fewer = p.clone();
        fewer[199 * 3 + 2] = 0;
        assertEquals(2, ClassHistogram.of(Tensor.fromArray(fewer, n, 3)).classesCovered());
        assertEquals(null, h.askedClassAgreement(), "no class was asked for");
    }

    @Test
    void classAgreementCountsTheSamplesClassifiedAsTheClassAskedFor() {
        double[] p = {0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.3, 0.3, 0.4, 0.1, 0.1, 0.8};
        ClassHistogram h = ClassHistogram.of(Tensor.fromArray(p, 4, 3), new int[] {0, 1, 0, 1});
        assertEquals(0.5, h.askedClassAgreement(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> ClassHistogram.of(Tensor.fromArray(p, 4, 3), new int[3]));
    }

    @Test
    void precisionAndRecallSeparateLookingRealFromCoveringTheData() {
        Random random = new Random(1);
        Tensor real = gaussianCloud(random, 500, 0);
        // Another draw from the same distribution: both near 1.
        PrecisionRecall same = PrecisionRecall.of(real, gaussianCloud(random, 500, 0), 3);
        assertEquals(1, same.precision(), 0.15);
        assertEquals(1, same.recall(), 0.15);
        // Far away: nothing looks real, nothing is covered.
        PrecisionRecall far = PrecisionRecall.of(real, gaussianCloud(random, 500, 100), 3);
        assertEquals(0, far.precision(), 1e-12);
        assertEquals(0, far.recall(), 1e-12);
        // Collapsed onto a few real points: every sample looks real, little of the data is covered.
        Tensor collapsed = real.narrow(0, 0, 5).contiguous().reshape(5, 1, 4).expand(5, 100, 4).contiguous().reshape(500, 4);
        PrecisionRecall mode = PrecisionRecall.of(real, collapsed.add(gaussianCloud(random, 500, 0).mul(1e-3)), 3);
        assertEquals(1, mode.precision(), 1e-12);
        assertEquals(0, mode.recall(), 0.1);
    }

    private static Tensor gaussianCloud(Random random, int n, double offset) {
        double[] x = new double[n * 4];
        for (int i = 0; i < x.length; i++) x[i] = offset + random.nextGaussian();
        return Tensor.fromArray(x, n, 4);
    }
}
