package dev.gan4j.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed write leaves the previous file as it was and no temporary file behind; a killed one's is cleaned up. */
class AtomicWriteTest {

    @TempDir
    Path dir;

    private Path file;
    private byte[] original;

    @BeforeEach
    void writeTheOriginalFile() throws IOException {
        file = dir.resolve("model.safetensors");
        SafeTensors.write(file, Map.of("w", StTensor.ofF32(new int[] {2}, new float[] {1, 2})), Map.of("v", "1"));
        original = Files.readAllBytes(file);
    }

    @Test
    void ioFailureMidWrite() throws IOException {
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(file, channel -> {
            channel.write(ByteBuffer.wrap(new byte[4096])); // part of the new content is on disk
            throw new IOException("disk full");
        }));

        assertEquals("disk full", e.getMessage());
        assertOriginalIntactAndNoTempFile();
    }

    @Test
    void uncheckedFailureMidWrite() throws IOException {
        assertThrows(IllegalStateException.class, () -> AtomicFile.write(file, channel -> {
            channel.write(ByteBuffer.wrap(new byte[16]));
            throw new IllegalStateException("bug in the caller");
        }));

        assertOriginalIntactAndNoTempFile();
    }

    @Test
    void failureToRenameOverTheTarget() throws IOException {
        Path occupied = dir.resolve("occupied");
        Files.createDirectories(occupied.resolve("child")); // a non-empty directory cannot be replaced

        // The exact IOException subtype depends on the platform's rename error.
        assertThrows(IOException.class, () -> AtomicFile.write(occupied, channel -> channel.write(ByteBuffer.wrap(new byte[8]))));

        assertEquals(List.of(occupied.resolve("child")), list(occupied));
        assertEquals(List.of(file, occupied), list(dir));
    }

    @Test
    void rejectedTensorsNeverReachTheDisk() throws IOException {
        Map<String, StTensor> reserved = Map.of("__metadata__", StTensor.ofF32(new int[] {1}, new float[] {3}));

        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file, reserved, Map.of()));

        assertOriginalIntactAndNoTempFile();
    }

    @Test
    void newFilesGetTheUsualPermissionsNotThoseOfATempFile() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.createFile(dir.resolve("plain"));

        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
    }

    @Test
    void streamWritesReplaceTheFileOrLeaveItAsItWas() throws IOException {
        Path text = dir.resolve("metrics.csv");
        AtomicFile.write(text, "old".getBytes(StandardCharsets.UTF_8));
        AtomicFile.writeStream(text, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertEquals("new", Files.readString(text));

        IOException e = assertThrows(IOException.class, () -> AtomicFile.writeStream(text, out -> {
            out.write(new byte[100_000]); // more than the buffer: part of it reaches the temporary file
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("new", Files.readString(text));
        assertEquals(List.of(text, file), list(dir));
    }

    @Test
    void strayTemporariesOfAKilledWriterAreDeletedAndNothingElse() throws IOException {
        Path stray = Files.write(dir.resolve(".last.safetensors.7f3a09c1d2e4b5a6.tmp"), new byte[] {1});
        Path hidden = Files.write(dir.resolve(".notes.tmp"), new byte[] {1});
        Path user = Files.write(dir.resolve("draft.tmp"), new byte[] {1});

        assertEquals(1, AtomicFile.deleteStrayTemporaries(dir));

        assertFalse(Files.exists(stray));
        assertEquals(List.of(hidden, user, file), list(dir));
    }

    private void assertOriginalIntactAndNoTempFile() throws IOException {
        assertArrayEquals(original, Files.readAllBytes(file));
        assertEquals(List.of(file), list(dir));
    }

    private static List<Path> list(Path directory) throws IOException {
        try (var entries = Files.list(directory)) {
            return entries.sorted().toList();
        }
    }
}
