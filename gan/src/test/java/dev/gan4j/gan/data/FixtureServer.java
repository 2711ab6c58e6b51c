package dev.gan4j.gan.data;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A local HTTP server on 127.0.0.1 serving fixed bodies; unknown paths get 404. Counts requests per path. */
public final class FixtureServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Map<String, Integer> stallAfter = new ConcurrentHashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    public FixtureServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            byte[] body = bodies.get(path);
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (body != null) {
                    int sent = stallAfter.getOrDefault(path, body.length);
                    out.write(body, 0, sent);
                    out.flush();
                    if (sent < body.length) {
                        awaitClose();
                    }
                }
            }
        });
        server.start();
    }

    public void serve(String path, byte[] body) {
        bodies.put(path, body);
    }

    /** Serves only the first {@code bytes} of {@code body}, then sends nothing until the server closes. */
    public void serveStalling(String path, byte[] body, int bytes) {
        bodies.put(path, body);
        stallAfter.put(path, bytes);
    }

    private void awaitClose() {
        try {
            closing.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public int requests(String path) {
        AtomicInteger count = requests.get(path);
        return count == null ? 0 : count.get();
    }

    public int totalRequests() {
        return requests.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
