package dev.gan4j.gan.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * MNIST in its original IDX format (big-endian header, then unsigned bytes), raw or gzipped.
 * Images: magic 2051, count, rows, cols, then count x rows x cols pixels.
 * Labels: magic 2049, count, then count labels 0-9.
 */
public final class Mnist {
    public static final int IMAGE_MAGIC = 2051;
    public static final int LABEL_MAGIC = 2049;
    public static final int NUM_CLASSES = 10;

    private static final int IMAGE_HEADER_BYTES = 16;
    private static final int LABEL_HEADER_BYTES = 8;

    private Mnist() {
    }

    /** The standard file names of a split, images first. */
    public static List<String> fileNames(Split split) {
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        return List.of(prefix + "-images-idx3-ubyte", prefix + "-labels-idx1-ubyte");
    }

    /** Loads a split from a folder holding the standard file names, each raw or with ".gz" appended. */
    public static ByteImageDataset load(Path dir, Split split) throws IOException {
        List<String> names = fileNames(split);
        Path images = DataFiles.find(dir, names.get(0)).orElseThrow(() -> missing(dir, names.get(0)));
        Path labels = DataFiles.find(dir, names.get(1)).orElseThrow(() -> missing(dir, names.get(1)));
        return read(images, labels, "mnist-" + split.id());
    }

    /** Reads one pair of IDX files, checking headers, sizes and labels against each other. */
    public static ByteImageDataset read(Path imageFile, Path labelFile, String name) throws IOException {
        ByteBuffer images = ByteBuffer.wrap(DataFiles.readAll(imageFile));
        ByteBuffer labels = ByteBuffer.wrap(DataFiles.readAll(labelFile));

        int count = header(imageFile, images, IMAGE_HEADER_BYTES, IMAGE_MAGIC, "image");
        int rows = positive(imageFile, images.getInt(), "row count");
        int cols = positive(imageFile, images.getInt(), "column count");
        expectSize(imageFile, images, IMAGE_HEADER_BYTES + (long) count * rows * cols,
                count + " images of " + rows + "x" + cols);

        int labelCount = header(labelFile, labels, LABEL_HEADER_BYTES, LABEL_MAGIC, "label");
        expectSize(labelFile, labels, LABEL_HEADER_BYTES + (long) labelCount, labelCount + " labels");
        if (labelCount != count) {
            throw new DataFormatException(labelFile, "has " + labelCount + " labels but " + imageFile.getFileName()
                    + " has " + count + " images");
        }

        byte[] pixels = new byte[count * rows * cols];
        images.get(pixels);
        return new ByteImageDataset(name, pixels, readLabels(labelFile, labels, count), 1, rows, cols, NUM_CLASSES);
    }

    /** Checks the magic number and returns the item count. */
    private static int header(Path file, ByteBuffer data, int headerBytes, int magic, String kind) {
        // The magic number first: for a wrong file it is the most telling complaint.
        if (data.remaining() >= 4 && data.getInt(0) != magic) {
            throw new DataFormatException(file, "magic number " + data.getInt(0) + " is not " + magic
                    + " (IDX " + kind + " file)");
        }
        if (data.remaining() < headerBytes) {
            throw new DataFormatException(file, "only " + data.remaining() + " bytes, too short for an IDX "
                    + kind + " header of " + headerBytes + " bytes");
        }
        data.position(4);
        return positive(file, data.getInt(), kind + " count");
    }

    private static int positive(Path file, int value, String field) {
        if (value <= 0) {
            throw new DataFormatException(file, field + " in the header is " + value);
        }
        return value;
    }

    private static void expectSize(Path file, ByteBuffer data, long expected, String contents) {
        if (data.capacity() != expected) {
            String problem = data.capacity() < expected ? "truncated" : "has trailing bytes";
            throw new DataFormatException(file, problem + ": " + contents + " need " + expected
                    + " bytes, found " + data.capacity());
        }
    }

    private static int[] readLabels(Path file, ByteBuffer data, int count) {
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = data.get() & 0xFF;
            if (labels[i] >= NUM_CLASSES) {
                throw new DataFormatException(file, "label " + labels[i] + " of item " + i + " is not a digit 0-9");
            }
        }
        return labels;
    }

    private static NoSuchFileException missing(Path dir, String name) {
        return new NoSuchFileException(dir.resolve(name).toString(), null, "MNIST file missing (nor is there a .gz)");
    }
}
