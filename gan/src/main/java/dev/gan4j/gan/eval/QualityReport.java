package dev.gan4j.gan.eval;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import java.util.Locale;

/**
 * How good a set of samples is, as judged by a dataset's classifier. Precision and recall are NaN when
 * they were not computed (the quick evaluation during training skips them).
 *
 * @param images          number of samples judged
 * @param fid             Fréchet distance to the reference set in the classifier's features
 * @param reference       what the FID and precision/recall compare against
 * @param classCounts     samples per predicted class
 * @param classesCovered  classes predicted for at least 1% of the samples
 * @param confidentFraction samples whose top class probability is at least 0.9
 * @param classAgreement  for a class-conditional generator, the samples classified as the class they were drawn
 *                        for; null otherwise
 * @param source          the checkpoint that drew the samples; null for samples read from files and for
 *                        the measurements during training
 */
public record QualityReport(int images, double inceptionScore, double inceptionScoreStd, double fid,
                            double precision, double recall, int[] classCounts, int classesCovered,
                            double confidentFraction, Double classAgreement, String reference, ClassifierIdentity classifier,
                            JudgedSource source) {

    private static final Gson JSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .create();

    /** This report, saying which generator drew the samples. */
    public QualityReport from(JudgedSource source) {
        return new QualityReport(images, inceptionScore, inceptionScoreStd, fid, precision, recall, classCounts,
                classesCovered, confidentFraction, classAgreement, reference, classifier, source);
    }

    /** One line: the numbers {@code gan4j sample} quotes beside its grid. */
    public String summary() {
        String pr = Double.isNaN(precision) ? ""
                : String.format(Locale.ROOT, ", precision %.3f, recall %.3f", precision, recall);
        String agreement = classAgreement == null ? ""
                : String.format(Locale.ROOT, ", %.1f%% drawn as the class asked for", 100 * classAgreement);
        return String.format(Locale.ROOT, "IS %.2f ± %.2f, FID %.1f%s, %d of %d classes covered, %.1f%% confident%s"
                + " (%d samples, %s)", inceptionScore, inceptionScoreStd, fid, pr, classesCovered, classCounts.length,
                100 * confidentFraction, agreement, images, classifier.name());
    }

    public String toJson() {
        return JSON.toJson(this);
    }

    public static QualityReport fromJson(String json) {
        return JSON.fromJson(json, QualityReport.class);
    }

    /** A short table for the console. */
    public String table() {
        StringBuilder t = new StringBuilder();
        row(t, "images", Integer.toString(images));
        row(t, "Inception Score", String.format(Locale.ROOT, "%.3f ± %.3f (%d splits)", inceptionScore,
                inceptionScoreStd, InceptionScore.DEFAULT_SPLITS));
        row(t, "FID", String.format(Locale.ROOT, "%.3f  vs %s", fid, reference));
        if (!Double.isNaN(precision)) {
            row(t, "precision / recall", String.format(Locale.ROOT, "%.3f / %.3f (k = %d)", precision, recall,
                    PrecisionRecall.DEFAULT_K));
        }
        row(t, "classes covered", classesCovered + " of " + classCounts.length + " (>= 1% of the samples each)");
        StringBuilder histogram = new StringBuilder();
        for (int c = 0; c < classCounts.length; c++) histogram.append(c == 0 ? "" : " ").append(c).append(':')
                .append(classCounts[c]);
        row(t, "class histogram", histogram.toString());
        row(t, "confident", String.format(Locale.ROOT, "%.1f%% (top probability >= 0.9)", 100 * confidentFraction));
        if (classAgreement != null) {
            row(t, "class asked for", String.format(Locale.ROOT, "%.1f%% classified as the class they were drawn for",
                    100 * classAgreement));
        }
        row(t, "classifier", String.format(Locale.ROOT, "%s (test accuracy %.2f%%, weights sha256 %s)",
                classifier.name(), 100 * classifier.testAccuracy(), classifier.weightsSha256().substring(0, 12)));
        return t.toString();
    }

    private static void row(StringBuilder t, String name, String value) {
        t.append(String.format(Locale.ROOT, "%-20s %s%n", name, value));
    }
}
