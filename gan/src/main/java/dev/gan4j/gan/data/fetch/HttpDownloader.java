package dev.gan4j.gan.data.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Streams HTTP(S) downloads, following redirects, with an optional console progress bar on stderr. */
public final class HttpDownloader {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient client;
    private final boolean showProgress;
    private final Duration stallTimeout;

    public HttpDownloader(boolean showProgress) {
        this(showProgress, STALL_TIMEOUT);
    }

    /** {@code stallTimeout}: how long a started body may send nothing before the download fails. */
    HttpDownloader(boolean showProgress, Duration stallTimeout) {
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
        this.showProgress = showProgress;
        this.stallTimeout = stallTimeout;
    }

    /**
     * Opens {@code uri} and hands the body to {@code sink}, which must consume it before returning.
     *
     * @throws IOException on a connection failure or any status other than 200, naming the address
     */
    public void download(URI uri, IOConsumer<InputStream> sink) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(RESPONSE_TIMEOUT).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("download of " + uri + " interrupted");
        } catch (IOException e) {
            // Connection failures often carry no message; the exception's name is then the explanation.
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IOException("cannot download " + uri + ": " + reason, e);
        }
        try (InputStream body = new StallGuard(response.body(), "download of " + uri, stallTimeout)) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + " for " + uri);
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (!showProgress) {
                sink.accept(body);
                return;
            }
            try (InputStream counted = ProgressBar.wrap(body, progressBar(uri, length))) {
                sink.accept(counted);
            }
        }
    }

    private static ProgressBarBuilder progressBar(URI uri, long length) {
        String path = uri.getPath();
        return new ProgressBarBuilder()
                .setTaskName(path.substring(path.lastIndexOf('/') + 1))
                .setInitialMax(length)
                .setUnit(" MiB", 1 << 20)
                .showSpeed()
                // Colour escapes only where a person watches; logs get plain ASCII.
                .setStyle(System.console() != null ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII);
    }
}
