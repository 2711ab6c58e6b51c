package dev.gan4j.gan.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Plots loss_D and loss_G against step from a {@link MetricsLog}: each raw curve drawn faint, with an
 * exponentially smoothed curve on top, because GAN losses are too noisy to read unsmoothed.
 */
public final class LossCurves {
    public static final int WIDTH = 900;
    public static final int HEIGHT = 500;
    /** Weight of the running average, as in TensorBoard's smoothing slider. */
    public static final double SMOOTHING = 0.9;

    private static final Color DISCRIMINATOR = new Color(31, 119, 180);
    private static final Color GENERATOR = new Color(255, 127, 14);
    private static final int RAW_ALPHA = 60;

    static {
        // Charts are drawn off-screen; training machines usually have no display.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private LossCurves() {
    }

    /** The chart as an image, {@value #WIDTH} x {@value #HEIGHT}; empty axes when there is nothing to draw. */
    public static BufferedImage render(MetricsLog log) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("GAN losses").xAxisTitle("step").yAxisTitle("loss").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        double[] steps = log.column(MetricsLog.STEP);
        addCurve(chart, log, steps, MetricsLog.LOSS_D, DISCRIMINATOR);
        addCurve(chart, log, steps, MetricsLog.LOSS_G, GENERATOR);
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Writes {@link #render} as a PNG, atomically. */
    public static void write(MetricsLog log, Path png) throws IOException {
        PngFiles.write(render(log), png);
    }

    /**
     * Adds the raw (faint, unlisted) and smoothed curves of one column. A missing column, or one without
     * finite values, is left out rather than failing: a report must never stop a training run.
     */
    private static void addCurve(XYChart chart, MetricsLog log, double[] steps, String column, Color color) {
        if (!log.hasColumn(column)) {
            return;
        }
        double[] values = log.column(column);
        // Diverged runs log NaN or infinity; the chart can only show finite points.
        int[] finite = IntStream.range(0, values.length)
                .filter(i -> Double.isFinite(values[i])).toArray();
        if (finite.length == 0) {
            return;
        }
        double[] x = Arrays.stream(finite).mapToDouble(i -> steps[i]).toArray();
        double[] y = Arrays.stream(finite).mapToDouble(i -> values[i]).toArray();

        XYSeries raw = chart.addSeries(column + " (raw)", x, y);
        style(raw, new Color(color.getRed(), color.getGreen(), color.getBlue(), RAW_ALPHA), 1f);
        raw.setShowInLegend(false);
        style(chart.addSeries(column, x, smooth(y)), color, 2f);
    }

    private static void style(XYSeries series, Color color, float width) {
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(color);
        series.setLineStyle(new BasicStroke(width));
    }

    /** Exponential moving average, started at the first value. */
    static double[] smooth(double[] values) {
        double[] smoothed = new double[values.length];
        double average = values.length > 0 ? values[0] : 0;
        for (int i = 0; i < values.length; i++) {
            average = SMOOTHING * average + (1 - SMOOTHING) * values[i];
            smoothed[i] = average;
        }
        return smoothed;
    }
}
