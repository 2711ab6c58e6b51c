package dev.gan4j.nn.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file all at once: readers see either the old content or the complete new one, and a
 * crash or failure at any point leaves the old file as it was.
 */
final class AtomicFile {

    /** Writes a file's whole content to a channel positioned at its start. */
    @FunctionalInterface
    interface Contents {
        void writeTo(FileChannel channel) throws IOException;
    }

    private AtomicFile() {}

    /**
     * Writes {@code contents} to a temporary file beside {@code target} (a rename is only atomic within
     * one file system), forces it to disk, then renames it over {@code target}. On failure the
     * temporary file is deleted and the exception propagates.
     */
    static void write(Path target, Contents contents) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Path temp = directory.resolve(tempName(target));
        // Opened before the try: if the name is taken, the file there is not ours to delete.
        // CREATE_NEW, unlike Files.createTempFile, keeps the usual umask permissions instead of 0600.
        FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            try (channel) {
                contents.writeTo(channel);
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (Throwable failure) {
            deleteAfterFailure(temp, failure);
            throw failure;
        }
        syncDirectory(directory);
    }

    /** A hidden name beside the target, random so that concurrent writers do not collide. */
    private static String tempName(Path target) {
        return "." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp";
    }

    private static void deleteAfterFailure(Path temp, Throwable failure) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** Makes the rename itself durable. Best effort: some platforms (Windows) cannot open a directory. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // The new content is already in place and on disk; only the rename's durability is at stake.
        }
    }
}
