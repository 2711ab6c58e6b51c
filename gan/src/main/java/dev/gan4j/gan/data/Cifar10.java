package dev.gan4j.gan.data;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10 in its official binary format, raw or gzipped: records of 3073 bytes, a label 0-9
 * followed by 32x32 red, then green, then blue planes (already CHW).
 */
public final class Cifar10 {
    public static final int SIDE = 32;
    public static final int CHANNELS = 3;
    public static final int IMAGE_BYTES = CHANNELS * SIDE * SIDE;
    public static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    public static final List<String> CLASS_NAMES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    private Cifar10() {
    }

    /** The official batch file names of a split. */
    public static List<String> fileNames(Split split) {
        if (split == Split.TEST) {
            return List.of("test_batch.bin");
        }
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            names.add("data_batch_" + i + ".bin");
        }
        return names;
    }

    /** Loads a split from a folder holding the official batch files, each raw or with ".gz" appended. */
    public static ByteImageDataset load(Path dir, Split split) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String name : fileNames(split)) {
            files.add(DataFiles.find(dir, name).orElseThrow(() -> new NoSuchFileException(
                    dir.resolve(name).toString(), null, "CIFAR-10 batch file missing (nor is there a .gz)")));
        }
        return read(files, "cifar10-" + split.id());
    }

    /** Reads and concatenates batch files in the given order. */
    public static ByteImageDataset read(List<Path> batchFiles, String name) throws IOException {
        List<byte[]> contents = new ArrayList<>();
        long records = 0;
        for (Path file : batchFiles) {
            byte[] bytes = DataFiles.readAll(file);
            if (bytes.length == 0 || bytes.length % RECORD_BYTES != 0) {
                throw new DataFormatException(file, "size " + bytes.length + " is not a positive multiple of the "
                        + RECORD_BYTES + "-byte CIFAR-10 record (truncated or not a CIFAR-10 batch)");
            }
            contents.add(bytes);
            records += bytes.length / RECORD_BYTES;
        }
        if (records * IMAGE_BYTES > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": " + records + " records do not fit in one array");
        }

        byte[] pixels = new byte[(int) records * IMAGE_BYTES];
        int[] labels = new int[(int) records];
        int image = 0;
        for (int f = 0; f < contents.size(); f++) {
            byte[] bytes = contents.get(f);
            for (int offset = 0; offset < bytes.length; offset += RECORD_BYTES, image++) {
                labels[image] = bytes[offset] & 0xFF;
                if (labels[image] >= CLASS_NAMES.size()) {
                    throw new DataFormatException(batchFiles.get(f), "label " + labels[image] + " of record "
                            + offset / RECORD_BYTES + " is not a class 0-9");
                }
                System.arraycopy(bytes, offset + 1, pixels, image * IMAGE_BYTES, IMAGE_BYTES);
            }
        }
        return new ByteImageDataset(name, pixels, labels, CHANNELS, SIDE, SIDE, CLASS_NAMES.size());
    }
}
