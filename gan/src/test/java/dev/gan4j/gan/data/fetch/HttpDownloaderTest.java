package dev.gan4j.gan.data.fetch;

import dev.gan4j.gan.data.FixtureServer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpDownloaderTest {
    private static final byte[] BODY = new byte[100_000];

    @Test
    void downloadsAWholeBody() throws IOException {
        try (FixtureServer server = new FixtureServer()) {
            server.serve("/file", BODY);
            byte[][] got = new byte[1][];
            new HttpDownloader(false).download(server.uri("/file"), in -> got[0] = in.readAllBytes());
            assertArrayEquals(BODY, got[0]);
        }
    }

    @Test
    void aBodyThatStopsMidwayFailsInsteadOfHanging() throws IOException {
        try (FixtureServer server = new FixtureServer()) {
            server.serveStalling("/file", BODY, 1000);
            HttpDownloader http = new HttpDownloader(false, Duration.ofMillis(500));
            IOException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(IOException.class,
                    () -> http.download(server.uri("/file"), in -> in.readAllBytes())));
            assertTrue(e.getMessage().contains("stalled") && e.getMessage().contains("/file"), e.getMessage());
        }
    }

    @Test
    void aMissingFileNamesItsAddress() throws IOException {
        try (FixtureServer server = new FixtureServer()) {
            IOException e = assertThrows(IOException.class,
                    () -> new HttpDownloader(false).download(server.uri("/nothing"), in -> in.readAllBytes()));
            assertTrue(e.getMessage().contains("404") && e.getMessage().contains("/nothing"), e.getMessage());
        }
    }
}
