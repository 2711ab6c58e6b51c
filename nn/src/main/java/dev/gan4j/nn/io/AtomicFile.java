package dev.gan4j.nn.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file all at once: readers see either the old content or the complete new one, and a
 * crash or failure at any point leaves the old file as it was. The one atomic-write utility of gan4j:
 * checkpoints, images, metrics, downloads and configuration all go through it.
 */
public final class AtomicFile {

    /** Writes a file's whole content to a channel positioned at its start. */
    @FunctionalInterface
    public interface Contents {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Writes a file's whole content to a stream. */
    @FunctionalInterface
    public interface StreamContents {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final String TEMP_SUFFIX = ".tmp";

    private AtomicFile() {}

    /**
     * Writes {@code contents} to a temporary file beside {@code target} (a rename is only atomic within
     * one file system), forces it to disk, then renames it over {@code target}. On failure the
     * temporary file is deleted and the exception propagates. The target's folder must exist.
     */
    public static void write(Path target, Contents contents) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Path temp = directory.resolve(tempName(target));
        // Opened before the try: if the name is taken, the file there is not ours to delete.
        // CREATE_NEW, unlike Files.createTempFile, keeps the usual umask permissions instead of 0600.
        FileChannel channel;
        try {
            channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (AccessDeniedException e) {
            // Name the file the caller asked for, not our temporary one.
            throw new AccessDeniedException(target.toString(), null, "cannot create files in " + directory);
        }
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

    /** {@link #write(Path, Contents)} for content produced as a stream (buffered). */
    public static void writeStream(Path target, StreamContents contents) throws IOException {
        write(target, channel -> {
            // Not closed here: closing the stream would close the channel before write() forces it.
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            contents.writeTo(out);
            out.flush();
        });
    }

    /** Atomically replaces {@code target} with {@code bytes}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        writeStream(target, out -> out.write(bytes));
    }

    /**
     * Deletes the temporary files that a killed process left in {@code folder} (not below it). Only
     * names this class creates are touched.
     *
     * @return how many were deleted
     */
    public static int deleteStrayTemporaries(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return 0;
        int deleted = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, AtomicFile::isTemporary)) {
            for (Path entry : entries) {
                if (Files.deleteIfExists(entry)) deleted++;
            }
        }
        return deleted;
    }

    /** A hidden name beside the target, random so that concurrent writers do not collide. */
    private static String tempName(Path target) {
        return "." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX;
    }

    /** Whether {@code file} is named like one of {@link #tempName}'s files: ".NAME.HEX.tmp". */
    static boolean isTemporary(Path file) {
        String name = file.getFileName().toString();
        if (!name.startsWith(".") || !name.endsWith(TEMP_SUFFIX) || !Files.isRegularFile(file)) return false;
        String middle = name.substring(1, name.length() - TEMP_SUFFIX.length());
        int dot = middle.lastIndexOf('.');
        return dot > 0 && dot < middle.length() - 1 && middle.substring(dot + 1).chars().allMatch(AtomicFile::isHexDigit);
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
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
