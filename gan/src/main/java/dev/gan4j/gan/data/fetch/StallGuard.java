package dev.gan4j.gan.data.fetch;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Wraps a download body so that a connection which stops sending mid-body fails instead of hanging:
 * HTTP client timeouts only cover the time until the headers arrive, while a blocked read would wait
 * forever. A watchdog closes the body when no byte has arrived for {@code limit}, which unblocks the
 * read; the read then reports the stall.
 */
final class StallGuard extends FilterInputStream {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "gan4j-download-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    private final String what;
    private final long limitNanos;
    private final ScheduledFuture<?> check;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean stalled;

    StallGuard(InputStream body, String what, Duration limit) {
        super(body);
        this.what = what;
        this.limitNanos = limit.toNanos();
        long period = Math.max(1, limit.toMillis() / 4);
        this.check = WATCHDOG.scheduleAtFixedRate(this::closeIfStalled, period, period, TimeUnit.MILLISECONDS);
    }

    private void closeIfStalled() {
        if (System.nanoTime() - lastProgress > limitNanos) {
            stalled = true;
            check.cancel(false);
            try {
                in.close();
            } catch (IOException ignored) {
                // The reader learns of the stall from the flag; a failing close changes nothing for it.
            }
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            int n = in.read(buffer, offset, length);
            lastProgress = System.nanoTime();
            if (stalled) throw stallError(null);
            return n;
        } catch (IOException e) {
            throw stalled ? stallError(e) : e;
        }
    }

    private IOException stallError(IOException cause) {
        return new IOException(what + " stalled: no data for " + limitNanos / 1_000_000_000 + " s", cause);
    }

    @Override
    public void close() throws IOException {
        check.cancel(false);
        super.close();
    }
}
