package dev.gan4j.gan.eval;

import dev.gan4j.gan.report.MetricsLog;
import dev.gan4j.gan.report.PngFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** quality_curves.png: one small chart per quality column against the step, stacked, from metrics.csv's rows that have it. */
final class QualityCurves {

    private static final int WIDTH = 900;
    private static final int PANEL_HEIGHT = 260;

    private QualityCurves() {}

    static void write(MetricsLog metrics, List<String> columns, Path png) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, PANEL_HEIGHT * columns.size(),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        double[] steps = metrics.column(MetricsLog.STEP);
        for (int i = 0; i < columns.size(); i++) {
            g.drawImage(BitmapEncoder.getBufferedImage(chart(columns.get(i), steps, metrics.column(columns.get(i)))),
                    0, i * PANEL_HEIGHT, null);
        }
        g.dispose();
        PngFiles.write(image, png);
    }

    /** The measured (finite) points of one column; the rows between measurements hold NaN. */
    private static XYChart chart(String column, double[] steps, double[] values) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(PANEL_HEIGHT).title(column).xAxisTitle("step").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (Double.isFinite(values[i])) {
                x.add(steps[i]);
                y.add(values[i]);
            }
        }
        if (!x.isEmpty()) {
            chart.addSeries(column, x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }
}
