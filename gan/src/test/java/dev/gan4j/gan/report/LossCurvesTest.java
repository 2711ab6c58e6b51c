package dev.gan4j.gan.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossCurvesTest {
    @TempDir
    Path dir;

    @Test
    void writesAChartPngEvenWithDivergedSteps() throws IOException {
        MetricsLog log = new MetricsLog(List.of(MetricsLog.STEP, MetricsLog.LOSS_D, MetricsLog.LOSS_G));
        for (int step = 0; step < 300; step++) {
            double noise = Math.sin(step * 1.7);
            log.add(step, 1.4 - step / 400.0 + 0.2 * noise, 0.7 + step / 300.0 - 0.3 * noise);
        }
        log.add(300, Double.NaN, Double.POSITIVE_INFINITY);
        Path png = dir.resolve("loss.png");

        LossCurves.write(log, png);

        BufferedImage chart = ImageIO.read(png.toFile());
        assertEquals(LossCurves.WIDTH, chart.getWidth());
        assertEquals(LossCurves.HEIGHT, chart.getHeight());
        assertTrue(countPixelsNear(chart, 31, 119, 180) > 200, "the smoothed loss_D line is drawn");
        assertTrue(countPixelsNear(chart, 255, 127, 14) > 200, "the smoothed loss_G line is drawn");
    }

    private static int countPixelsNear(BufferedImage image, int r, int g, int b) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int dr = ((rgb >> 16) & 0xFF) - r;
                int dg = ((rgb >> 8) & 0xFF) - g;
                int db = (rgb & 0xFF) - b;
                if (dr * dr + dg * dg + db * db < 300) {
                    count++;
                }
            }
        }
        return count;
    }

    @Test
    void smoothingIsAnExponentialMovingAverageFromTheFirstValue() {
        double[] smoothed = LossCurves.smooth(new double[] {1, 1, 11});
        assertArrayEquals(new double[] {1, 1, 2}, smoothed, 1e-12);
    }

    @Test
    void nothingToPlotGivesEmptyAxesRatherThanAnError() {
        MetricsLog empty = new MetricsLog(List.of(MetricsLog.STEP, MetricsLog.LOSS_D));
        MetricsLog otherColumns = new MetricsLog(List.of(MetricsLog.STEP, "fid"));
        otherColumns.add(1, 30);

        assertEquals(LossCurves.WIDTH, LossCurves.render(empty).getWidth());
        assertEquals(0, countPixelsNear(LossCurves.render(otherColumns), 31, 119, 180));
    }
}
