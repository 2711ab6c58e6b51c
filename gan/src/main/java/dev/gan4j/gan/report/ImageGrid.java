package dev.gan4j.gan.report;

import dev.gan4j.gan.data.ImageBatch;
import dev.gan4j.gan.data.Pixels;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Turns NCHW batches with pixels in [-1, 1] into pictures: a rows x cols grid with black padding
 * (like torchvision's make_grid), or single images. One channel gives a grayscale PNG, three give RGB.
 */
public final class ImageGrid {
    /** Pixels between cells and around the grid. */
    public static final int PADDING = 2;

    private ImageGrid() {
    }

    /** The first rows x cols images of the batch, row by row; cells beyond the batch stay black. */
    public static BufferedImage render(ImageBatch batch, int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("grid must be at least 1x1, got " + rows + "x" + cols);
        }
        int cellWidth = batch.width() + PADDING;
        int cellHeight = batch.height() + PADDING;
        BufferedImage grid = blank(batch, cols * cellWidth + PADDING, rows * cellHeight + PADDING);
        int shown = Math.min(batch.count(), rows * cols);
        for (int i = 0; i < shown; i++) {
            paint(batch, i, grid.getRaster(), PADDING + (i % cols) * cellWidth, PADDING + (i / cols) * cellHeight);
        }
        return grid;
    }

    /** Image {@code index} of the batch on its own, without padding. */
    public static BufferedImage render(ImageBatch batch, int index) {
        Objects.checkIndex(index, batch.count());
        BufferedImage image = blank(batch, batch.width(), batch.height());
        paint(batch, index, image.getRaster(), 0, 0);
        return image;
    }

    /** Writes {@link #render(ImageBatch, int, int)} as a PNG, atomically. */
    public static void writeGrid(ImageBatch batch, int rows, int cols, Path png) throws IOException {
        PngFiles.write(render(batch, rows, cols), png);
    }

    /** Writes one image of the batch as a PNG, atomically. */
    public static void writeImage(ImageBatch batch, int index, Path png) throws IOException {
        PngFiles.write(render(batch, index), png);
    }

    private static BufferedImage blank(ImageBatch batch, int width, int height) {
        return switch (batch.channels()) {
            case 1 -> new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
            case 3 -> new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            default -> throw new IllegalArgumentException("can only draw 1 (gray) or 3 (RGB) channels, not "
                    + batch.channels());
        };
    }

    /** Copies one CHW image into the raster at (x0, y0); raster bands are the channels in order. */
    private static void paint(ImageBatch batch, int index, WritableRaster raster, int x0, int y0) {
        float[] pixels = batch.pixels();
        int offset = batch.offsetOf(index);
        int plane = batch.height() * batch.width();
        for (int c = 0; c < batch.channels(); c++) {
            for (int y = 0; y < batch.height(); y++) {
                for (int x = 0; x < batch.width(); x++) {
                    int value = Pixels.toByte(pixels[offset + c * plane + y * batch.width() + x]);
                    raster.setSample(x0 + x, y0 + y, c, value);
                }
            }
        }
    }
}
