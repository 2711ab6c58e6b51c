package dev.gan4j.gan.eval;

import dev.gan4j.gan.data.StandardDataset;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Tensor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Judges generated images against a standard dataset: its classifier (trained on first use), and its
 * test split as the reference — all 10 000 test images, in the classifier's penultimate-layer features,
 * which the cached classifier file holds.
 * <pre>
 *   SampleQuality quality = SampleQuality.open(StandardDataset.MNIST, null, Device.CPU, System.out);
 *   QualityReport report = quality.evaluate(images);   // [N, 1, 28, 28] in [-1, 1]
 * </pre>
 */
public final class SampleQuality {

    private final Classifier classifier;
    private final ClassifierIdentity identity;
    private final Tensor referenceFeatures;
    private final FeatureStatistics referenceStatistics;
    private final String reference;

    public SampleQuality(ClassifierStore.Stored stored) {
        this.classifier = stored.classifier();
        this.identity = stored.identity();
        this.referenceFeatures = stored.referenceFeatures();
        this.referenceStatistics = FeatureStatistics.of(referenceFeatures);
        this.reference = String.format(Locale.ROOT, "%s, %d-d penultimate features of %s", stored.reference(),
                referenceFeatures.size(1), identity.name());
    }

    /** The standard dataset's classifier from the user's cache (trained if missing) with its reference. */
    public static SampleQuality open(StandardDataset dataset, Path dataDir, Device device, PrintStream log)
            throws IOException {
        return open(ClassifierStore.standard(), dataset, dataDir, device, log);
    }

    public static SampleQuality open(ClassifierStore store, StandardDataset dataset, Path dataDir, Device device,
                                     PrintStream log) throws IOException {
        return new SampleQuality(store.loadOrTrain(dataset, dataDir, device, log));
    }

    public Classifier classifier() { return classifier; }
    public ClassifierIdentity identity() { return identity; }

    /** Every metric, precision and recall included, for images {@code [N, C, S, S]} in [-1, 1]. */
    public QualityReport evaluate(Tensor images) {
        return evaluate(images, true);
    }

    /**
     * The metrics; precision and recall, which compare every sample with every reference image, only when
     * asked for (they are NaN otherwise).
     */
    public QualityReport evaluate(Tensor images, boolean precisionRecall) {
        return evaluate(images, precisionRecall, null);
    }

    /** As above, for samples drawn for the classes {@code asked} (null when none was asked for). */
    public QualityReport evaluate(Tensor images, boolean precisionRecall, int[] asked) {
        Classifier.Outputs out = classifier.classify(images);
        InceptionScore is = InceptionScore.of(out.probabilities(), InceptionScore.DEFAULT_SPLITS);
        double fid = FeatureStatistics.of(out.features()).frechetDistance(referenceStatistics);
        PrecisionRecall pr = precisionRecall
                ? PrecisionRecall.of(referenceFeatures, out.features(), PrecisionRecall.DEFAULT_K)
                : new PrecisionRecall(Double.NaN, Double.NaN);
        ClassHistogram histogram = ClassHistogram.of(out.probabilities(), asked);
        return new QualityReport(images.size(0), is.mean(), is.std(), fid, pr.precision(), pr.recall(),
                histogram.counts(), histogram.classesCovered(), histogram.confidentFraction(),
                histogram.askedClassAgreement(), reference, identity,
                null);
    }
}
