package dev.gan4j.gan.report;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Creates the folders that runs and samples are written to, and says plainly why one cannot be created:
 * the JDK's exceptions name only a path, and report a file system that refuses a folder as "no such file".
 */
public final class OutputFolders {

    private OutputFolders() {}

    /** Creates {@code folder} and its missing parents. */
    public static void create(Path folder) throws IOException {
        try {
            Files.createDirectories(folder);
        } catch (FileSystemException e) {
            throw new IOException("cannot create folder " + folder + ": " + reason(e), e);
        }
    }

    private static String reason(FileSystemException e) {
        String at = e.getFile() == null ? "" : " (" + e.getFile() + ")";
        if (e instanceof AccessDeniedException) return "permission denied" + at;
        if (e instanceof FileAlreadyExistsException) return "a file of that name is in the way" + at;
        if (e instanceof NoSuchFileException) return "the file system refuses it" + at;
        return (e.getReason() == null ? e.getClass().getSimpleName() : e.getReason()) + at;
    }
}
