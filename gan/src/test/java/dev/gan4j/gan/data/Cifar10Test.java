package dev.gan4j.gan.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10Test {
    @TempDir
    Path dir;

    @Test
    void concatenatesTrainBatchesInOrder() throws IOException {
        for (int b = 1; b <= 5; b++) {
            byte[] records = Fixtures.cifarRecords(2, b);
            // Alternate raw and gzipped files: both must be accepted side by side.
            if (b % 2 == 0) {
                Files.write(dir.resolve("data_batch_" + b + ".bin.gz"), Fixtures.gzip(records));
            } else {
                Files.write(dir.resolve("data_batch_" + b + ".bin"), records);
            }
        }

        ByteImageDataset train = Cifar10.load(dir, Split.TRAIN);

        assertEquals(10, train.size());
        assertEquals(3, train.channels());
        assertEquals(32, train.height());
        assertEquals(32, train.width());
        assertEquals("cifar10-train", train.name());
        // Batch b holds labels b, b+1 (mod 10).
        int[] labels = new int[10];
        Arrays.setAll(labels, train::label);
        assertArrayEquals(new int[] {1, 2, 2, 3, 3, 4, 4, 5, 5, 6}, labels);
    }

    @Test
    void pixelsKeepThePlanarRgbOrder() throws IOException {
        Files.write(dir.resolve("test_batch.bin"), Fixtures.cifarRecords(3, 0));

        ByteImageDataset test = Cifar10.load(dir, Split.TEST);

        float[] image = new float[test.imageSize()];
        test.copyImage(1, image, 0);
        // Image 1 byte j = (7 + j) mod 256; red plane first, then green from 1024, blue from 2048.
        assertEquals(Pixels.fromByte(7), image[0]);
        assertEquals(Pixels.fromByte(7 + 1024), image[1024]);
        assertEquals(Pixels.fromByte(7 + 2048 + 5), image[2048 + 5]);
    }

    @Test
    void sizeNotAMultipleOfTheRecordIsNamed() throws IOException {
        Path file = dir.resolve("test_batch.bin");
        byte[] records = Fixtures.cifarRecords(2, 0);
        Files.write(file, Arrays.copyOf(records, records.length - 1));

        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10.read(List.of(file), "x"));

        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains("size 6145 is not a positive multiple of the 3073-byte"), e.getMessage());
    }

    @Test
    void badLabelIsNamedWithItsRecord() throws IOException {
        Path file = dir.resolve("test_batch.bin");
        byte[] records = Fixtures.cifarRecords(3, 0);
        records[2 * Cifar10.RECORD_BYTES] = 10;
        Files.write(file, records);

        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10.read(List.of(file), "x"));

        assertTrue(e.getMessage().contains(file + ": label 10 of record 2 is not a class 0-9"), e.getMessage());
    }

    @Test
    void missingBatchIsNamed() throws IOException {
        Files.write(dir.resolve("data_batch_1.bin"), Fixtures.cifarRecords(1, 0));

        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Cifar10.load(dir, Split.TRAIN));

        assertTrue(e.getMessage().contains("data_batch_2.bin"), e.getMessage());
    }

    @Test
    void realCifar10WhenPresent() throws IOException {
        Path real = Fixtures.realData("cifar-10-batches-bin");
        assumeTrue(real != null, "shared/data/cifar-10-batches-bin not on this machine");

        ByteImageDataset test = Cifar10.load(real, Split.TEST);
        ByteImageDataset train = Cifar10.load(real, Split.TRAIN);

        assertEquals(10_000, test.size());
        assertEquals(50_000, train.size());
        int[] first = new int[10];
        Arrays.setAll(first, train::label);
        assertArrayEquals(new int[] {6, 9, 9, 4, 1, 1, 2, 7, 8, 3}, first);
        Arrays.setAll(first, test::label);
        assertArrayEquals(new int[] {3, 8, 8, 0, 6, 6, 1, 6, 3, 1}, first);
        // The README's spot check: the first training image starts with RGB (59, 62, 63).
        float[] image = new float[train.imageSize()];
        train.copyImage(0, image, 0);
        assertEquals(Pixels.fromByte(59), image[0]);
        assertEquals(Pixels.fromByte(62), image[1024]);
        assertEquals(Pixels.fromByte(63), image[2048]);
    }
}
