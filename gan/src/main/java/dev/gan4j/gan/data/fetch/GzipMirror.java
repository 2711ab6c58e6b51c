package dev.gan4j.gan.data.fetch;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** A web folder serving each file gzipped as NAME.gz (how MNIST is published). Files are stored gunzipped. */
public final class GzipMirror implements DataSource {
    private final URI base;
    private final HttpDownloader http;

    /** @param base the folder's address; a trailing slash is added when missing */
    public GzipMirror(URI base, HttpDownloader http) {
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.http = http;
    }

    @Override
    public String description() {
        return base.toString();
    }

    @Override
    public void fetch(List<ExpectedFile> files, Path dir) throws IOException {
        for (ExpectedFile file : files) {
            URI uri = base.resolve(file.name() + ".gz");
            http.download(uri, body -> VerifiedFiles.write(new GZIPInputStream(body, 1 << 16), dir, file,
                    uri.toString()));
        }
    }
}
