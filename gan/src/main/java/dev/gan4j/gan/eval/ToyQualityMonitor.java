package dev.gan4j.gan.eval;

import dev.gan4j.gan.model.LatentCode;
import dev.gan4j.gan.data.ToyPoints;
import dev.gan4j.gan.report.ScatterPlot;
import dev.gan4j.nn.Module;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The toy datasets' measurements every few epochs: modes hit and the fraction of high-quality samples
 * (see {@link ModeCoverage}) in metrics.csv, and a scatter plot of real points and samples as
 * {@code samples/epoch_NNN.png} in place of an image grid.
 */
public final class ToyQualityMonitor implements QualityMonitor {

    public static final String MODES = "modes_hit";
    public static final String HIGH_QUALITY = "high_quality";
    /** Points drawn per plot and measurement, for both the data and the generator. */
    static final int POINTS = 2500;

    private final ToyPoints toy;
    private final int everyEpochs;
    private final LatentCode latentCode;
    private final float[] real;
    private String summary = "";

    public ToyQualityMonitor(ToyPoints toy, int everyEpochs, LatentCode latentCode) {
        if (everyEpochs < 1) throw new IllegalArgumentException("--eval-every must be >= 1 (0 turns it off), got "
                + everyEpochs);
        this.toy = toy;
        this.everyEpochs = everyEpochs;
        this.latentCode = latentCode;
        this.real = Images.of(toy.sample(POINTS, 0), POINTS).toFloatArray();
    }

    @Override
    public List<String> columns() {
        return List.of(MODES, HIGH_QUALITY);
    }

    @Override
    public boolean due(int epochsDone) {
        return epochsDone % everyEpochs == 0;
    }

    @Override
    public Map<String, Double> evaluate(Module generator, int epochsDone, Path runFolder) throws IOException {
        float[] generated = GeneratorSamples.generate(generator, latentCode, POINTS, 0).toFloatArray();
        ModeCoverage coverage = ModeCoverage.of(generated, toy);
        summary = String.format(Locale.ROOT, "modes %d/%d", coverage.modesHit(), coverage.modes());
        ScatterPlot.write(real, generated, String.format(Locale.ROOT,
                "%s after epoch %d: %d of %d modes hit, %.0f%% high-quality samples", toy.id(), epochsDone,
                coverage.modesHit(), coverage.modes(), 100 * coverage.highQualityFraction()),
                runFolder.resolve("samples").resolve(String.format(Locale.ROOT, "epoch_%03d.png", epochsDone)));
        Map<String, Double> values = new LinkedHashMap<>();
        values.put(MODES, (double) coverage.modesHit());
        values.put(HIGH_QUALITY, coverage.highQualityFraction());
        return values;
    }

    @Override
    public String summary() {
        return summary;
    }

    @Override
    public boolean drawsSamples() {
        return true;
    }
}
