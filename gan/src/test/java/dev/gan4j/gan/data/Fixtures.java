package dev.gan4j.gan.data;

import dev.gan4j.gan.data.fetch.ExpectedFile;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/** Small, deterministic dataset files written by the tests themselves. */
public final class Fixtures {
    private Fixtures() {
    }

    /** Pixel j of image i: (7 i + j) mod 256, so every image differs and all byte values occur. */
    public static byte[] pixels(int count, int imageBytes) {
        byte[] pixels = new byte[count * imageBytes];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < imageBytes; j++) {
                pixels[i * imageBytes + j] = (byte) (7 * i + j);
            }
        }
        return pixels;
    }

    public static byte[] idxImages(int count, int rows, int cols) {
        ByteBuffer buffer = ByteBuffer.allocate(16 + count * rows * cols);
        buffer.putInt(Mnist.IMAGE_MAGIC).putInt(count).putInt(rows).putInt(cols);
        return buffer.put(pixels(count, rows * cols)).array();
    }

    /** Labels i mod 10. */
    public static byte[] idxLabels(int count) {
        ByteBuffer buffer = ByteBuffer.allocate(8 + count);
        buffer.putInt(Mnist.LABEL_MAGIC).putInt(count);
        for (int i = 0; i < count; i++) {
            buffer.put((byte) (i % 10));
        }
        return buffer.array();
    }

    /** CIFAR records with labels (i + firstLabel) mod 10 and {@link #pixels} images. */
    public static byte[] cifarRecords(int count, int firstLabel) {
        byte[] images = pixels(count, Cifar10.IMAGE_BYTES);
        byte[] records = new byte[count * Cifar10.RECORD_BYTES];
        for (int i = 0; i < count; i++) {
            records[i * Cifar10.RECORD_BYTES] = (byte) ((i + firstLabel) % 10);
            System.arraycopy(images, i * Cifar10.IMAGE_BYTES, records, i * Cifar10.RECORD_BYTES + 1,
                    Cifar10.IMAGE_BYTES);
        }
        return records;
    }

    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes MNIST-named IDX files of a split (count images of 28x28) into dir, gzipped or not. */
    public static void writeMnist(Path dir, Split split, int count, boolean gzipped) throws IOException {
        Files.createDirectories(dir);
        String suffix = gzipped ? ".gz" : "";
        byte[] images = idxImages(count, 28, 28);
        byte[] labels = idxLabels(count);
        Files.write(dir.resolve(Mnist.fileNames(split).get(0) + suffix), gzipped ? gzip(images) : images);
        Files.write(dir.resolve(Mnist.fileNames(split).get(1) + suffix), gzipped ? gzip(labels) : labels);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    public static ExpectedFile expected(String name, byte[] contents) {
        return new ExpectedFile(name, contents.length, sha256(contents));
    }

    /** A .tar.gz of the given entries (name to contents), in the given order, in ustar format. */
    public static byte[] tarGz(Map<String, byte[]> entries) {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        entries.forEach((name, contents) -> {
            tar.writeBytes(ustarHeader(name, contents.length));
            tar.writeBytes(contents);
            tar.writeBytes(new byte[(512 - contents.length % 512) % 512]);
        });
        tar.writeBytes(new byte[1024]);     // end-of-archive: two zero blocks
        return gzip(tar.toByteArray());
    }

    private static byte[] ustarHeader(String name, long size) {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", size));
        put(header, 136, "00000000000");
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xFF;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        header[155] = ' ';
        return header;
    }

    private static void put(byte[] header, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The shared real-data folder (shared/data/NAME next to the project), if this machine has it. */
    public static Path realData(String name) {
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("data").resolve(name);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
