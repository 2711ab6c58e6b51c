package dev.gan4j.gan.data.fetch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A temporary folder that is deleted, with everything in it, when closed. */
final class ScratchFolder implements AutoCloseable {
    private final Path path;

    /** Creates the folder inside {@code parent}, so moves from it to {@code parent} stay on one file system. */
    ScratchFolder(Path parent) throws IOException {
        Files.createDirectories(parent);
        this.path = Files.createTempDirectory(parent, ".scratch-");
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        List<Path> deepestFirst;
        try (Stream<Path> walk = Files.walk(path)) {
            deepestFirst = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : deepestFirst) {
            Files.deleteIfExists(p);
        }
    }
}
