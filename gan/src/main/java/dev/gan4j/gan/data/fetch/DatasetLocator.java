package dev.gan4j.gan.data.fetch;

import dev.gan4j.gan.data.DataFiles;
import dev.gan4j.gan.data.DataFormatException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a dataset's files the way users expect: an explicit folder wins; otherwise the per-user cache;
 * otherwise each source is tried in turn, and whatever it fetched is kept in the cache.
 */
public final class DatasetLocator {
    private final Path cacheRoot;
    private final PrintStream log;

    /**
     * @param cacheRoot folder holding one subfolder per dataset (see {@link CacheDirectory})
     * @param log       where progress and failed attempts are reported
     */
    public DatasetLocator(Path cacheRoot, PrintStream log) {
        this.cacheRoot = cacheRoot;
        this.log = log;
    }

    /** Cache from the environment, messages on stderr. */
    public static DatasetLocator standard() {
        return new DatasetLocator(CacheDirectory.fromEnvironment(), System.err);
    }

    /** The cache folder of {@code spec}, whether or not it exists yet. */
    public Path cacheFolder(DatasetSpec spec) {
        return cacheRoot.resolve(spec.name());
    }

    /**
     * Returns a folder holding every file of {@code spec} (each possibly gzipped, as NAME.gz).
     *
     * @param dataDir a folder the user named, or null to use the cache and download
     * @throws DatasetUnavailableException naming what is missing, and for downloads why each source failed
     */
    public Path locate(DatasetSpec spec, Path dataDir) throws IOException {
        if (dataDir == null) {
            return fetchIntoCache(spec);
        }
        List<ExpectedFile> missing = missing(spec, dataDir);
        if (!missing.isEmpty()) {
            throw new DatasetUnavailableException("the data folder " + dataDir + " lacks " + names(missing)
                    + " for " + spec.name() + " (each file may also be gzipped, named NAME.gz)");
        }
        return dataDir;
    }

    /** Tries the sources in order until every file is in the cache folder. */
    private Path fetchIntoCache(DatasetSpec spec) throws IOException {
        Path folder = cacheFolder(spec);
        List<ExpectedFile> missing = missing(spec, folder);
        if (missing.isEmpty()) {
            return folder;
        }
        Files.createDirectories(folder);
        List<String> failures = new ArrayList<>();
        for (DataSource source : spec.sources()) {
            log.println("Fetching " + spec.name() + " " + names(missing) + " from " + source.description());
            try {
                source.fetch(missing, folder);
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException | UncheckedIOException | DataFormatException e) {
                // A broken source must not end the search: the next one may work.
                log.println("  failed: " + e.getMessage());
                failures.add(source.description() + ": " + e.getMessage());
            }
            missing = missing(spec, folder);
            if (missing.isEmpty()) {
                return folder;
            }
        }
        throw new DatasetUnavailableException("could not obtain " + spec.name() + " " + names(missing) + ".\n"
                + (failures.isEmpty() ? "" : "Tried:\n  " + String.join("\n  ", failures) + "\n")
                + spec.manualAdvice().apply(folder));
    }

    private static List<ExpectedFile> missing(DatasetSpec spec, Path folder) {
        return spec.files().stream().filter(f -> DataFiles.find(folder, f.name()).isEmpty()).toList();
    }

    private static List<String> names(List<ExpectedFile> files) {
        return files.stream().map(ExpectedFile::name).toList();
    }
}
