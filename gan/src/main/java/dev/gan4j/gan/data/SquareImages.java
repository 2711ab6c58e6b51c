package dev.gan4j.gan.data;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Turns an arbitrary decoded image into a square of a given side, the way image datasets are usually prepared. */
final class SquareImages {
    private SquareImages() {
    }

    /**
     * Scales the image so its shorter side equals {@code size}, crops the centre {@code size x size}
     * and writes it as CHW bytes into {@code dst} at {@code offset}.
     */
    static void resizeCropInto(BufferedImage image, int size, ColorMode mode, byte[] dst, int offset) {
        BufferedImage square = centreCrop(scaleShorterSide(toRgb(image), size), size);
        writePlanes(square, mode, dst, offset);
    }

    /**
     * Redraws any image type as 8-bit sRGB. Drawing (rather than getRGB) converts gray images correctly,
     * and transparent areas are flattened onto white, as image viewers show them.
     */
    static BufferedImage toRgb(BufferedImage image) {
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return rgb;
    }

    /**
     * Halves with bilinear filtering while the image is still at least twice too large, then one bicubic step.
     * Halving first keeps every source pixel contributing, which avoids the aliasing of one big bilinear jump.
     */
    static BufferedImage scaleShorterSide(BufferedImage image, int size) {
        double scale = (double) size / Math.min(image.getWidth(), image.getHeight());
        int targetWidth = Math.max(size, (int) Math.round(image.getWidth() * scale));
        int targetHeight = Math.max(size, (int) Math.round(image.getHeight() * scale));
        BufferedImage current = image;
        while (current.getWidth() / 2 >= targetWidth && current.getHeight() / 2 >= targetHeight) {
            current = draw(current, current.getWidth() / 2, current.getHeight() / 2,
                    RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        }
        if (current.getWidth() == targetWidth && current.getHeight() == targetHeight) {
            return current;
        }
        return draw(current, targetWidth, targetHeight, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    }

    private static BufferedImage draw(BufferedImage image, int width, int height, Object interpolation) {
        BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(image, 0, 0, width, height, null);
        g.dispose();
        return scaled;
    }

    static BufferedImage centreCrop(BufferedImage image, int size) {
        int x = (image.getWidth() - size) / 2;
        int y = (image.getHeight() - size) / 2;
        return image.getSubimage(x, y, size, size);
    }

    private static void writePlanes(BufferedImage square, ColorMode mode, byte[] dst, int offset) {
        int size = square.getWidth();
        int plane = size * size;
        int[] rgb = square.getRGB(0, 0, size, size, null, 0, size);
        for (int i = 0; i < plane; i++) {
            int r = (rgb[i] >> 16) & 0xFF;
            int g = (rgb[i] >> 8) & 0xFF;
            int b = rgb[i] & 0xFF;
            if (mode == ColorMode.RGB) {
                dst[offset + i] = (byte) r;
                dst[offset + plane + i] = (byte) g;
                dst[offset + 2 * plane + i] = (byte) b;
            } else {
                dst[offset + i] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
            }
        }
    }
}
