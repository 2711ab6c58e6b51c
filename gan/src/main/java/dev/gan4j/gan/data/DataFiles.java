package dev.gan4j.gan.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Reading dataset files that may or may not be gzipped, as distributed by the various mirrors. */
public final class DataFiles {
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private DataFiles() {
    }

    /** {@code dir/name} if it exists, else {@code dir/name.gz} if that exists. */
    public static Optional<Path> find(Path dir, String name) {
        for (Path candidate : new Path[] {dir.resolve(name), dir.resolve(name + ".gz")}) {
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The file's contents, gunzipped when it starts with the gzip magic number
     * (the name is not trusted: some mirrors serve gzip under a plain name and vice versa).
     *
     * @throws DataFormatException if the gzip stream is corrupt or truncated
     */
    public static byte[] readAll(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            in.mark(2);
            boolean gzipped = in.read() == GZIP_MAGIC_1 && in.read() == GZIP_MAGIC_2;
            in.reset();
            if (!gzipped) {
                return in.readAllBytes();
            }
            try (InputStream unzipped = new GZIPInputStream(in, 1 << 16)) {
                return unzipped.readAllBytes();
            } catch (EOFException | ZipException e) {
                throw new DataFormatException(file, "corrupt or truncated gzip data (" + e.getMessage() + ")", e);
            }
        }
    }
}
