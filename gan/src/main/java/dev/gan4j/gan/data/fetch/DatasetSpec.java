package dev.gan4j.gan.data.fetch;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Everything needed to obtain a dataset's files: their expected contents, the sources to try in order,
 * and what to tell the user when every source fails.
 *
 * @param name         folder name in the cache, e.g. "mnist"
 * @param manualAdvice given the folder the files belong in, says what to download and where to put it
 */
public record DatasetSpec(String name, List<ExpectedFile> files, List<DataSource> sources,
                          Function<Path, String> manualAdvice) {
    public DatasetSpec {
        files = List.copyOf(files);
        sources = List.copyOf(sources);
    }
}
