package dev.gan4j.gan.eval;

import dev.gan4j.gan.data.Dataset;
import dev.gan4j.gan.data.Mnist;
import dev.gan4j.gan.data.Split;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The metrics on real MNIST, with the real classifier: the bar of issue #10. What they print is quoted in
 * the README ("Judging samples").
 */
class MnistCalibrationTest {

    private static SampleQuality quality;
    private static Dataset test;
    private static QualityReport testSet;

    @BeforeAll
    static void classifier() throws IOException {
        Path mnist = TestClassifiers.sharedMnist();
        assumeTrue(mnist != null, "real MNIST (../shared/data/mnist) not present");
        quality = TestClassifiers.mnist();
        test = Mnist.load(mnist, Split.TEST);
        testSet = quality.evaluate(Images.of(test, test.size()));
        System.out.println("MNIST test set against itself:\n" + testSet.table());
    }

    @Test
    void theClassifierReaches99PercentOnTheTestSet() {
        assertTrue(quality.identity().testAccuracy() >= 0.99, "test accuracy " + quality.identity().testAccuracy());
    }

    @Test
    void theTestSetScoresPerfectlyAgainstItself() {
        assertTrue(testSet.fid() < 1, "FID " + testSet.fid());
        assertTrue(testSet.inceptionScore() >= 9.5, "IS " + testSet.inceptionScore());
        assertEquals(10, testSet.classesCovered());
        assertEquals(1, testSet.precision(), 0.02);
        assertEquals(1, testSet.recall(), 0.02);
    }

    @Test
    void trainingImagesScoreCloseAndNoiseScoresFarWorse() throws IOException {
        Dataset train = Mnist.load(TestClassifiers.sharedMnist(), Split.TRAIN);
        QualityReport first10k = quality.evaluate(Images.of(train, 10_000), false);
        Tensor noise = Tensor.randn(new Generator(1), 10_000, 1, 28, 28).clamp(-1, 1);
        QualityReport gaussian = quality.evaluate(noise, false);
        System.out.println("first 10 000 training images:\n" + first10k.table() + "Gaussian noise:\n" + gaussian.table());
        // Another sample of the same distribution: small but not 0 (2.79 with mnist-cnn-v2).
        assertTrue(first10k.fid() < 5, "FID of training images " + first10k.fid());
        assertTrue(first10k.inceptionScore() >= 9.5, "IS of training images " + first10k.inceptionScore());
        assertTrue(gaussian.fid() >= 100 * first10k.fid(), "noise FID " + gaussian.fid() + " vs " + first10k.fid());
        assertTrue(gaussian.inceptionScore() < 3, "noise IS " + gaussian.inceptionScore());
    }

    @Test
    void oneDigitRepeatedCoversOneClassWithAScoreOfOne() {
        int index = 0;
        while (test.label(index) != 7) index++;
        Tensor seven = Images.of(test, test.size()).narrow(0, index, 1).expand(10_000, 1, 28, 28).contiguous();
        QualityReport collapsed = quality.evaluate(seven);
        System.out.println("10 000 copies of one seven:\n" + collapsed.table());
        assertEquals(1, collapsed.classesCovered());
        assertEquals(10_000, collapsed.classCounts()[7]);
        assertEquals(1, collapsed.inceptionScore(), 1e-3);
        assertTrue(collapsed.recall() < 0.01, "recall " + collapsed.recall());
        assertTrue(collapsed.fid() > 100 * testSet.fid(), "FID " + collapsed.fid());
    }

    @Test
    void blurredDigitsScoreWorseThanSharpOnes() {
        Tensor blurred = GaussianBlur.of(Images.of(test, test.size()), 1.0);
        QualityReport report = quality.evaluate(blurred, false);
        System.out.println("test set blurred (sigma 1 px):\n" + report.table());
        assertTrue(report.fid() > testSet.fid() + 1, "blurred FID " + report.fid() + " vs sharp " + testSet.fid());
        assertTrue(report.inceptionScore() < testSet.inceptionScore(), "blurred IS " + report.inceptionScore());
    }
}
