package dev.gan4j.gan.train;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets Ctrl-C end a run cleanly: the shutdown hook raises the flag, the training loop notices it after
 * the current step, saves a checkpoint and calls {@link #done()}, and only then does the JVM exit.
 */
public final class StopSignal {

    private volatile boolean requested;
    private final CountDownLatch finished = new CountDownLatch(1);

    /** A signal that only a test (or {@link #request()}) raises. */
    public static StopSignal manual() {
        return new StopSignal();
    }

    /** A signal raised by Ctrl-C / SIGTERM; the hook waits up to two minutes for the checkpoint. */
    public static StopSignal onShutdown() {
        StopSignal signal = new StopSignal();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (signal.finished.getCount() == 0) return;
            signal.requested = true;
            System.err.println("\nstopping: saving a checkpoint first (Ctrl-C again to abort)");
            try {
                signal.finished.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "gan4j-stop"));
        return signal;
    }

    public void request() {
        requested = true;
    }

    public boolean requested() {
        return requested;
    }

    /** Tells a waiting shutdown hook that the run has saved what it had to. */
    public void done() {
        finished.countDown();
    }
}
