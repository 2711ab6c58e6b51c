package dev.gan4j.gan.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;

/** Real 2-D points in grey and generated ones in orange on one square plot, for the toy datasets. */
public final class ScatterPlot {

    private static final int SIDE = 600;
    private static final Color REAL = new Color(120, 120, 120, 90);
    private static final Color GENERATED = new Color(255, 127, 14, 150);

    private ScatterPlot() {}

    /** @param real, generated points as x0, y0, x1, y1, ...; the axes span [-1, 1], the generator's range */
    public static void write(float[] real, float[] generated, String title, Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(SIDE).height(SIDE).title(title).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisMin(-1.0).setXAxisMax(1.0).setYAxisMin(-1.0).setYAxisMax(1.0);
        add(chart, "real", real, REAL);
        add(chart, "generated", generated, GENERATED);
        PngFiles.write(BitmapEncoder.getBufferedImage(chart), png);
    }

    private static void add(XYChart chart, String name, float[] xy, Color color) {
        double[] x = new double[xy.length / 2];
        double[] y = new double[xy.length / 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = xy[2 * i];
            y[i] = xy[2 * i + 1];
        }
        XYSeries series = chart.addSeries(name, x, y);
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setMarkerColor(color);
    }
}
