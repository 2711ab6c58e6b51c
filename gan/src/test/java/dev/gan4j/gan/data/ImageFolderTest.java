package dev.gan4j.gan.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path root;

    @Test
    void uniformImagesKeepTheirColourThroughResizeAndCrop() throws IOException {
        write(solid(500, 300, new Color(200, 100, 50)), root.resolve("a.png"));

        ByteImageDataset rgb = ImageFolder.load(root, 16, ColorMode.RGB);
        ByteImageDataset gray = ImageFolder.load(root, 16, ColorMode.GRAYSCALE);

        assertEquals(3, rgb.channels());
        assertEquals(16, rgb.height());
        assertEquals(16, rgb.width());
        assertEquals(1, rgb.numClasses());
        float[] image = new float[rgb.imageSize()];
        rgb.copyImage(0, image, 0);
        for (int p = 0; p < 256; p++) {
            assertEquals(Pixels.fromByte(200), image[p]);
            assertEquals(Pixels.fromByte(100), image[256 + p]);
            assertEquals(Pixels.fromByte(50), image[512 + p]);
        }
        float[] luma = new float[gray.imageSize()];
        gray.copyImage(0, luma, 0);
        // 0.299 * 200 + 0.587 * 100 + 0.114 * 50 = 124.2
        assertEquals(Pixels.fromByte(124), luma[0]);
    }

    @Test
    void aHugeImageIsRefusedFromItsHeaderBeforeDecoding() throws IOException {
        // A valid 30000x30000 black-and-white PNG of about 110 kB: decoded to RGB it would take 3.6 GB.
        Path huge = root.resolve("huge.png");
        writeBlankPng(huge, 30_000, 30_000);
        write(solid(40, 40, Color.GRAY), root.resolve("small.png"));

        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolder.load(root, 32, ColorMode.RGB));

        assertTrue(e.getMessage().contains(huge.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("30000x30000") && e.getMessage().contains("limit of 50 megapixels"),
                e.getMessage());
    }

    /** A 1-bit greyscale PNG of zeros, streamed so the test never holds the image. */
    private static void writeBlankPng(Path file, int width, int height) throws IOException {
        java.io.ByteArrayOutputStream idat = new java.io.ByteArrayOutputStream();
        try (java.util.zip.DeflaterOutputStream z = new java.util.zip.DeflaterOutputStream(idat)) {
            byte[] row = new byte[1 + (width + 7) / 8]; // filter type 0, then the packed pixels
            for (int y = 0; y < height; y++) z.write(row);
        }
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 1).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(Files.newOutputStream(file))) {
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            chunk(out, "IHDR", ihdr.array());
            chunk(out, "IDAT", idat.toByteArray());
            chunk(out, "IEND", new byte[0]);
        }
    }

    private static void chunk(java.io.DataOutputStream out, String type, byte[] data) throws IOException {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        crc.update(data);
        out.writeInt(data.length);
        out.writeBytes(type);
        out.write(data);
        out.writeInt((int) crc.getValue());
    }

    @Test
    void shorterSideIsScaledThenTheCentreIsCropped() throws IOException {
        // 60x30 in three vertical stripes, red | green | blue. Scaled to 20x10, the centre 10x10 crop
        // (columns 5..14) is mostly green with a little red on the left and blue on the right.
        BufferedImage stripes = new BufferedImage(60, 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = stripes.createGraphics();
        Color[] colours = {Color.RED, Color.GREEN, Color.BLUE};
        for (int s = 0; s < 3; s++) {
            g.setColor(colours[s]);
            g.fillRect(20 * s, 0, 20, 30);
        }
        g.dispose();
        write(stripes, root.resolve("stripes.png"));

        ByteImageDataset dataset = ImageFolder.load(root, 10, ColorMode.RGB);

        byte[] chw = new byte[300];
        float[] image = new float[300];
        dataset.copyImage(0, image, 0);
        for (int i = 0; i < 300; i++) {
            chw[i] = (byte) Pixels.toByte(image[i]);
        }
        int row = 5 * 10;
        assertTrue(red(chw, row) > 200 && green(chw, row + 5) > 250, "left edge red, centre green");
        assertTrue(blue(chw, row + 9) > 100 && red(chw, row + 9) < 5, "right edge towards blue");
        assertEquals(0, red(chw, row + 5));
    }

    private static int red(byte[] chw, int pixel) {
        return chw[pixel] & 0xFF;
    }

    private static int green(byte[] chw, int pixel) {
        return chw[100 + pixel] & 0xFF;
    }

    private static int blue(byte[] chw, int pixel) {
        return chw[200 + pixel] & 0xFF;
    }

    @Test
    void grayPngsAreNotGammaShifted() throws IOException {
        BufferedImage gray = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                gray.getRaster().setSample(x, y, 0, 128);
            }
        }
        write(gray, root.resolve("gray.png"));

        float[] image = new float[3 * 64];
        ImageFolder.load(root, 8, ColorMode.RGB).copyImage(0, image, 0);

        assertEquals(Pixels.fromByte(128), image[0]);
        assertEquals(Pixels.fromByte(128), image[64]);
    }

    @Test
    void subfoldersAreClassesInNameOrder() throws IOException {
        write(solid(20, 20, Color.WHITE), root.resolve("dogs/a.png"));
        write(solid(20, 20, Color.BLACK), root.resolve("cats/deep/b.jpg"));
        write(solid(20, 20, Color.BLACK), root.resolve("cats/c.PNG"));
        Files.writeString(root.resolve("cats/notes.txt"), "not an image, ignored");

        ByteImageDataset dataset = ImageFolder.load(root, 4, ColorMode.GRAYSCALE);

        assertEquals(3, dataset.size());
        assertEquals(2, dataset.numClasses());
        // Sorted paths: cats/c.PNG, cats/deep/b.jpg, dogs/a.png.
        assertEquals(0, dataset.label(0));
        assertEquals(0, dataset.label(1));
        assertEquals(1, dataset.label(2));
    }

    @Test
    void imagesDirectlyInTheRootMakeTheFolderUnlabelled() throws IOException {
        write(solid(20, 20, Color.WHITE), root.resolve("dogs/a.png"));
        write(solid(20, 20, Color.WHITE), root.resolve("b.png"));

        ByteImageDataset dataset = ImageFolder.load(root, 4, ColorMode.RGB);

        assertEquals(1, dataset.numClasses());
        assertEquals(0, dataset.label(0) + dataset.label(1));
    }

    @Test
    void unreadableImageIsNamed() throws IOException {
        write(solid(20, 20, Color.WHITE), root.resolve("good.png"));
        Path broken = root.resolve("broken.png");
        Files.writeString(broken, "this is not a PNG");

        DataFormatException e = assertThrows(DataFormatException.class,
                () -> ImageFolder.load(root, 4, ColorMode.RGB));

        assertEquals(broken, e.file());
    }

    @Test
    void folderWithoutImagesIsAnError() throws IOException {
        Files.writeString(root.resolve("readme.txt"), "no images here");

        DataFormatException e = assertThrows(DataFormatException.class,
                () -> ImageFolder.load(root, 4, ColorMode.RGB));

        assertTrue(e.getMessage().contains("no .png, .jpg or .jpeg files"), e.getMessage());
    }

    private static BufferedImage solid(int width, int height, Color colour) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    private static void write(BufferedImage image, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        String format = file.toString().toLowerCase().endsWith(".jpg") ? "jpg" : "png";
        ImageIO.write(image, format, file.toFile());
    }
}
