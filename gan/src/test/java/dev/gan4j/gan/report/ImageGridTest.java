package dev.gan4j.gan.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gan4j.gan.data.ImageBatch;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {
    @TempDir
    Path dir;

    /** count images of channels x 3 x 4; image i has every pixel of channel c at value[i][c]. */
    private static ImageBatch constantImages(float[][] values, int channels) {
        int count = values.length;
        int plane = 3 * 4;
        float[] pixels = new float[count * channels * plane];
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < plane; p++) {
                    pixels[(i * channels + c) * plane + p] = values[i][c];
                }
            }
        }
        return ImageBatch.unlabelled(pixels, count, channels, 3, 4);
    }

    @Test
    void grayscaleGridHasPaddedCellsAndScaledValues() throws IOException {
        ImageBatch batch = constantImages(new float[][] {{-1}, {0}, {1}}, 1);

        ImageGrid.writeGrid(batch, 2, 2, dir.resolve("grid.png"));
        BufferedImage grid = ImageIO.read(dir.resolve("grid.png").toFile());

        // 2 columns of width 4 and 2 rows of height 3, with 2 px around and between cells.
        assertEquals(2 * (4 + 2) + 2, grid.getWidth());
        assertEquals(2 * (3 + 2) + 2, grid.getHeight());
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, grid.getType());
        assertEquals(0, gray(grid, 2, 2));                 // image 0 is -1: black
        assertEquals(128, gray(grid, 2 + 6, 2));           // image 1 is 0: mid-gray
        assertEquals(255, gray(grid, 2 + 3, 2 + 5 + 2));   // image 2 (second row) is +1: white
        assertEquals(0, gray(grid, 2 + 6 + 3, 2 + 5));     // the unused fourth cell stays black
        assertEquals(0, gray(grid, 7, 2), "padding between columns is black");
    }

    private static int gray(BufferedImage image, int x, int y) {
        return image.getRaster().getSample(x, y, 0);
    }

    @Test
    void rgbGridKeepsChannelsApart() throws IOException {
        ImageBatch batch = constantImages(new float[][] {{1, -1, 0}, {-1, 1, -1}}, 3);

        ImageGrid.writeGrid(batch, 1, 2, dir.resolve("grid.png"));
        BufferedImage grid = ImageIO.read(dir.resolve("grid.png").toFile());

        assertEquals(2 * 6 + 2, grid.getWidth());
        assertEquals(3 + 4, grid.getHeight());
        assertEquals(0xFF0080, grid.getRGB(2, 2) & 0xFFFFFF);
        assertEquals(0x00FF00, grid.getRGB(8, 4) & 0xFFFFFF);
    }

    @Test
    void onlyTheFirstRowsTimesColsImagesAreShown() {
        ImageBatch batch = constantImages(new float[][] {{-1}, {1}, {1}}, 1);
        BufferedImage grid = ImageGrid.render(batch, 1, 1);
        assertEquals(4 + 4, grid.getWidth());
        assertEquals(0, gray(grid, 3, 3));
    }

    @Test
    void singleImageHasNoPadding() throws IOException {
        ImageBatch batch = constantImages(new float[][] {{-1, -1, -1}, {0.5f, 0f, -0.5f}}, 3);

        ImageGrid.writeImage(batch, 1, dir.resolve("one.png"));
        BufferedImage image = ImageIO.read(dir.resolve("one.png").toFile());

        assertEquals(4, image.getWidth());
        assertEquals(3, image.getHeight());
        // (v + 1) * 127.5 rounded: 0.5 -> 191, 0 -> 128, -0.5 -> 64.
        assertEquals(0xBF8040, image.getRGB(3, 2) & 0xFFFFFF);
    }

    @Test
    void otherChannelCountsAreRejected() {
        ImageBatch twoChannels = ImageBatch.unlabelled(new float[24], 1, 2, 3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.render(twoChannels, 1, 1));
        assertEquals("can only draw 1 (gray) or 3 (RGB) channels, not 2", e.getMessage());
    }
}
