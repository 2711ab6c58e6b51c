package dev.gan4j.gan.eval;

import dev.gan4j.gan.report.MetricsLog;
import dev.gan4j.nn.Module;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a training run measures about its samples every few epochs. The trainer adds {@link #columns()}
 * to metrics.csv, calls {@link #evaluate} after each epoch that {@link #due} says, and shows
 * {@link #summary} on the progress line.
 */
public interface QualityMonitor {

    /** A monitor that measures nothing. */
    QualityMonitor NONE = new QualityMonitor() {
        @Override public List<String> columns() { return List.of(); }
        @Override public boolean due(int epochsDone) { return false; }
        @Override public Map<String, Double> evaluate(Module generator, int epochsDone, Path runFolder) {
            return Map.of();
        }
        @Override public String summary() { return ""; }
    };

    /** The metrics.csv columns this monitor fills. */
    List<String> columns();

    /** Whether to measure after {@code epochsDone} epochs. */
    boolean due(int epochsDone);

    /** Measures the generator's samples; returns a value per column and may write figures into the run folder. */
    Map<String, Double> evaluate(Module generator, int epochsDone, Path runFolder) throws IOException;

    /** The latest measurement in a few words for the progress line, or "" before the first. */
    String summary();

    /** Draws the columns over time; a no-op for a monitor without columns. */
    default void writeCurves(MetricsLog metrics, Path runFolder) throws IOException {
        if (!columns().isEmpty()) QualityCurves.write(metrics, columns(), runFolder.resolve("quality_curves.png"));
    }

    /** Wall-clock seconds spent measuring so far, to state what the measurements cost. */
    default double secondsSpent() {
        return 0;
    }

    /** Whether this monitor draws the samples itself (scatter plots of 2-D points) instead of image grids. */
    default boolean drawsSamples() {
        return false;
    }
}
