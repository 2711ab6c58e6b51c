package dev.gan4j.gan.eval;

import dev.gan4j.gan.model.LatentCode;
import dev.gan4j.gan.data.StandardDataset;
import dev.gan4j.nn.Module;
import dev.gan4j.tensor.Device;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Inception Score, FID and classes covered of a few thousand samples every few epochs, judged by the
 * dataset's classifier. The classifier and the reference features are loaded at the first measurement,
 * so a run that never finishes an epoch never needs them. FID from fewer samples than the 10 000 of
 * {@code gan4j eval} is biased upwards: compare these numbers with each other, not with eval's.
 */
public final class ClassifierQualityMonitor implements QualityMonitor {

    public static final String IS = "IS";
    public static final String FID = "FID";
    public static final String CLASSES = "classes_covered";

    private final StandardDataset dataset;
    private final Path dataDir;
    private final Device device;
    private final int everyEpochs;
    private final int samples;
    private final LatentCode latentCode;
    private final PrintStream log;
    private SampleQuality quality;
    private String summary = "";
    private double seconds;

    public ClassifierQualityMonitor(StandardDataset dataset, Path dataDir, Device device, int everyEpochs, int samples,
                                    LatentCode latentCode, PrintStream log) {
        if (everyEpochs < 1) throw new IllegalArgumentException("--eval-every must be >= 1 (0 turns it off), got "
                + everyEpochs);
        if (samples < InceptionScore.DEFAULT_SPLITS) {
            throw new IllegalArgumentException("--eval-samples must be >= " + InceptionScore.DEFAULT_SPLITS + ", got "
                    + samples);
        }
        this.dataset = dataset;
        this.dataDir = dataDir;
        this.device = device;
        this.everyEpochs = everyEpochs;
        this.samples = samples;
        this.latentCode = latentCode;
        this.log = log;
    }

    @Override
    public List<String> columns() {
        return List.of(IS, FID, CLASSES);
    }

    @Override
    public boolean due(int epochsDone) {
        return epochsDone % everyEpochs == 0;
    }

    @Override
    public Map<String, Double> evaluate(Module generator, int epochsDone, Path runFolder) throws IOException {
        long started = System.nanoTime();
        if (quality == null) quality = SampleQuality.open(dataset, dataDir, device, log);
        // The same latent vectors every time, so the curve shows the generator changing, not the noise.
        QualityReport r = quality.evaluate(GeneratorSamples.generate(generator, latentCode, samples, 0), false,
                GeneratorSamples.classes(latentCode, samples, 0));
        summary = String.format(Locale.ROOT, "FID %.2f", r.fid());
        Map<String, Double> values = new LinkedHashMap<>();
        values.put(IS, r.inceptionScore());
        values.put(FID, r.fid());
        values.put(CLASSES, (double) r.classesCovered());
        seconds += (System.nanoTime() - started) / 1e9;
        return values;
    }

    @Override
    public String summary() {
        return summary;
    }

    @Override
    public double secondsSpent() {
        return seconds;
    }
}
