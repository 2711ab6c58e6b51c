package dev.gan4j.gan.data.fetch;

import dev.gan4j.gan.data.Fixtures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TarReaderTest {
    @TempDir
    Path dir;

    private static Map<String, byte[]> readAll(InputStream tar) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        TarReader.forEachFile(tar, (name, size, content) -> files.put(name, content.readAllBytes()));
        return files;
    }

    private static InputStream gunzip(byte[] tarGz) throws IOException {
        return new GZIPInputStream(new ByteArrayInputStream(tarGz));
    }

    @Test
    void readsEntriesInOrderWhateverTheHandlerConsumes() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("a/first.bin", Fixtures.pixels(1, 700));        // spans two blocks
        entries.put("a/second.txt", "hello".getBytes(StandardCharsets.US_ASCII));
        entries.put("third", new byte[0]);
        byte[] tarGz = Fixtures.tarGz(entries);

        // A handler that reads only one byte of each entry must not desynchronise the reader.
        Map<String, Integer> firstBytes = new LinkedHashMap<>();
        TarReader.forEachFile(gunzip(tarGz), (name, size, content) -> firstBytes.put(name, content.read()));

        assertEquals(Map.of("a/first.bin", 0, "a/second.txt", (int) 'h', "third", -1), firstBytes);
        Map<String, byte[]> files = readAll(gunzip(tarGz));
        assertArrayEquals(entries.get("a/first.bin"), files.get("a/first.bin"));
        assertArrayEquals(entries.get("a/second.txt"), files.get("a/second.txt"));
    }

    @ParameterizedTest(name = "tar --format={0}")
    @ValueSource(strings = {"gnu", "pax", "ustar"})
    void readsArchivesMadeByTarWithLongNames(String format) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tar")) || Files.isExecutable(Path.of("/bin/tar")),
                "no tar command on this machine");
        // ustar can only split long paths at a slash into prefix + name; gnu and pax store them whole.
        String folder = "f".repeat(120);
        Path file = Files.createDirectories(dir.resolve("in").resolve(folder)).resolve("n".repeat(90));
        Files.write(file, Fixtures.pixels(3, 333));
        Files.createDirectory(dir.resolve("in").resolve("empty"));
        Process tar = new ProcessBuilder("tar", "--format=" + format, "-cf", dir.resolve("x.tar").toString(),
                "-C", dir.resolve("in").toString(), folder + "/" + file.getFileName(), "empty")
                .redirectErrorStream(true).start();
        assertEquals(0, tar.waitFor(), new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

        Map<String, byte[]> files = readAll(Files.newInputStream(dir.resolve("x.tar")));

        assertEquals(1, files.size(), "the folder entry is skipped: " + files.keySet());
        assertArrayEquals(Files.readAllBytes(file), files.get(folder + "/" + "n".repeat(90)));
    }

    @Test
    void notATarArchive() {
        IOException e = assertThrows(IOException.class,
                () -> readAll(new ByteArrayInputStream(Fixtures.pixels(2, 512))));
        assertTrue(e.getMessage().contains("not a tar archive"), e.getMessage());
    }

    @Test
    void truncatedEntry() throws IOException {
        byte[] tar = gunzip(Fixtures.tarGz(Map.of("big", new byte[2000]))).readAllBytes();
        byte[] cut = Arrays.copyOf(tar, 512 + 1000);

        assertThrows(EOFException.class, () -> readAll(new ByteArrayInputStream(cut)));
    }
}
