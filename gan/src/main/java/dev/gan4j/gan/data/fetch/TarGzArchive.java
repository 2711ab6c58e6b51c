package dev.gan4j.gan.data.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/** A .tar.gz on the web holding the files in one folder (how CIFAR-10 is published). */
public final class TarGzArchive implements DataSource {
    private final URI archive;
    private final String memberFolder;
    private final HttpDownloader http;

    /** @param memberFolder the folder inside the archive, e.g. "cifar-10-batches-bin/" */
    public TarGzArchive(URI archive, String memberFolder, HttpDownloader http) {
        this.archive = archive;
        this.memberFolder = memberFolder;
        this.http = http;
    }

    @Override
    public String description() {
        return archive.toString();
    }

    @Override
    public void fetch(List<ExpectedFile> files, Path dir) throws IOException {
        http.download(archive, body -> extract(body, memberFolder, files, dir, archive.toString()));
    }

    /**
     * Streams a .tar.gz once, storing the wanted members (memberFolder + name) verified in {@code dir}.
     *
     * @throws IOException if a wanted member is not in the archive
     */
    static void extract(InputStream tarGz, String memberFolder, List<ExpectedFile> files, Path dir, String origin)
            throws IOException {
        Map<String, ExpectedFile> wanted = new TreeMap<>();
        for (ExpectedFile file : files) {
            wanted.put(memberFolder + file.name(), file);
        }
        TarReader.forEachFile(new GZIPInputStream(tarGz, 1 << 16), (name, size, content) -> {
            ExpectedFile file = wanted.remove(name.startsWith("./") ? name.substring(2) : name);
            if (file != null) {
                VerifiedFiles.write(content, dir, file, origin + " (" + name + ")");
            }
        });
        if (!wanted.isEmpty()) {
            throw new IOException(origin + " does not contain " + wanted.keySet());
        }
    }
}
