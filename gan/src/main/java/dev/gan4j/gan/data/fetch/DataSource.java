package dev.gan4j.gan.data.fetch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** One place a dataset's files can come from: a mirror, an archive, a package. */
public interface DataSource {
    /** Where the files come from, for progress and error messages. */
    String description();

    /**
     * Stores {@code files} in {@code dir}, each verified against its size and SHA-256 and renamed into place
     * atomically. May store some files and then fail: what it stored is correct and stays.
     */
    void fetch(List<ExpectedFile> files, Path dir) throws IOException;
}
