package dev.gan4j.gan.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MnistTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "gzipped={0}")
    @ValueSource(booleans = {false, true})
    void readsFixtureRawOrGzipped(boolean gzipped) throws IOException {
        Fixtures.writeMnist(dir, Split.TRAIN, 12, gzipped);

        ByteImageDataset dataset = Mnist.load(dir, Split.TRAIN);

        assertEquals(12, dataset.size());
        assertEquals(1, dataset.channels());
        assertEquals(28, dataset.height());
        assertEquals(28, dataset.width());
        assertEquals(10, dataset.numClasses());
        assertEquals("mnist-train", dataset.name());
        assertEquals(3, dataset.label(3));
        assertEquals(1, dataset.label(11));
        float[] image = new float[dataset.imageSize() + 1];
        dataset.copyImage(2, image, 1);
        // Pixel j of image 2 is (14 + j) mod 256; bytes map onto [-1, 1] by x / 127.5 - 1.
        assertEquals(14 / 127.5f - 1, image[1], 1e-6);
        assertEquals(-1f, image[1 + 242], 1e-6);          // (14 + 242) mod 256 = 0
        assertEquals(1f, image[1 + 241], 1e-6);           // 255
    }

    @Test
    void readsTestSplitByItsT10kNames() throws IOException {
        Fixtures.writeMnist(dir, Split.TEST, 5, true);
        assertEquals(5, Mnist.load(dir, Split.TEST).size());
    }

    @Test
    void wrongMagicIsNamed() throws IOException {
        Path images = dir.resolve("images");
        Path labels = dir.resolve("labels");
        Files.write(images, Fixtures.idxLabels(4));       // a label file where images belong
        Files.write(labels, Fixtures.idxLabels(4));

        DataFormatException e = assertThrows(DataFormatException.class, () -> Mnist.read(images, labels, "x"));

        assertEquals(images, e.file());
        assertTrue(e.getMessage().contains("magic number 2049 is not 2051"), e.getMessage());
    }

    @Test
    void truncatedImageFileIsNamed() throws IOException {
        Path images = dir.resolve("images");
        Path labels = dir.resolve("labels");
        byte[] full = Fixtures.idxImages(4, 28, 28);
        Files.write(images, Arrays.copyOf(full, full.length - 100));
        Files.write(labels, Fixtures.idxLabels(4));

        DataFormatException e = assertThrows(DataFormatException.class, () -> Mnist.read(images, labels, "x"));

        assertTrue(e.getMessage().startsWith(images.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated: 4 images of 28x28 need 3152 bytes, found 3052"),
                e.getMessage());
    }

    @Test
    void truncatedGzipIsNamed() throws IOException {
        Path images = dir.resolve("images.gz");
        byte[] gz = Fixtures.gzip(Fixtures.idxImages(4, 28, 28));
        Files.write(images, Arrays.copyOf(gz, gz.length / 2));
        Files.write(dir.resolve("labels"), Fixtures.idxLabels(4));

        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Mnist.read(images, dir.resolve("labels"), "x"));

        assertTrue(e.getMessage().contains(images + ": corrupt or truncated gzip data"), e.getMessage());
    }

    @Test
    void headerShorterThanSixteenBytes() throws IOException {
        Path images = dir.resolve("images");
        Files.write(images, new byte[] {0, 0, 8, 3});
        Files.write(dir.resolve("labels"), Fixtures.idxLabels(1));

        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Mnist.read(images, dir.resolve("labels"), "x"));

        assertTrue(e.getMessage().contains("only 4 bytes, too short for an IDX image header"), e.getMessage());
    }

    @Test
    void countMismatchBetweenImagesAndLabels() throws IOException {
        Files.write(dir.resolve("images"), Fixtures.idxImages(4, 28, 28));
        Path labels = dir.resolve("labels");
        Files.write(labels, Fixtures.idxLabels(3));

        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Mnist.read(dir.resolve("images"), labels, "x"));

        assertTrue(e.getMessage().contains(labels + ": has 3 labels but images has 4 images"), e.getMessage());
    }

    @Test
    void labelOutsideDigitsIsNamed() throws IOException {
        Files.write(dir.resolve("images"), Fixtures.idxImages(2, 28, 28));
        byte[] labels = Fixtures.idxLabels(2);
        labels[9] = 10;
        Files.write(dir.resolve("labels"), labels);

        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Mnist.read(dir.resolve("images"), dir.resolve("labels"), "x"));

        assertTrue(e.getMessage().contains("label 10 of item 1 is not a digit 0-9"), e.getMessage());
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        byte[] labels = Fixtures.idxLabels(2);
        Files.write(dir.resolve("images"), Fixtures.idxImages(2, 28, 28));
        Files.write(dir.resolve("labels"), Arrays.copyOf(labels, labels.length + 1));

        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Mnist.read(dir.resolve("images"), dir.resolve("labels"), "x"));

        assertTrue(e.getMessage().contains("has trailing bytes: 2 labels need 10 bytes, found 11"), e.getMessage());
    }

    @Test
    void missingFileNamesTheExpectedPath() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Mnist.load(dir, Split.TRAIN));
        assertTrue(e.getMessage().contains(dir.resolve("train-images-idx3-ubyte").toString()), e.getMessage());
    }

    @Test
    void realMnistWhenPresent() throws IOException {
        Path real = Fixtures.realData("mnist");
        assumeTrue(real != null, "shared/data/mnist not on this machine");

        ByteImageDataset train = Mnist.load(real, Split.TRAIN);
        ByteImageDataset test = Mnist.load(real, Split.TEST);

        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        assertEquals(5, train.label(0));
        assertEquals(7, test.label(0));
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, classCounts(train));
        float[] image = new float[train.imageSize()];
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int i = 0; i < 100; i++) {
            train.copyImage(i, image, 0);
            for (float v : image) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        assertEquals(-1f, min);
        assertEquals(1f, max);
    }

    private static int[] classCounts(Dataset dataset) {
        int[] counts = new int[dataset.numClasses()];
        for (int i = 0; i < dataset.size(); i++) {
            counts[dataset.label(i)]++;
        }
        return counts;
    }

    @Test
    void headerFieldsAreBigEndian() {
        // Guards the fixture writer itself: IDX headers are big-endian, ByteBuffer's default.
        assertEquals(2051, ByteBuffer.wrap(Fixtures.idxImages(1, 2, 2)).getInt());
    }
}
