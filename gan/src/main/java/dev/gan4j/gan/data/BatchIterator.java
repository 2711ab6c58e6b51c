package dev.gan4j.gan.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.function.IntFunction;

/**
 * Serves batches {@code from .. to-1} while a daemon thread prepares the next ones into a small bounded queue.
 * A failure on that thread is rethrown by {@link #hasNext()}/{@link #next()} on the consumer's thread.
 */
public final class BatchIterator implements Iterator<ImageBatch>, AutoCloseable {
    /** Batches prepared ahead: one to overlap with training, one to absorb jitter. */
    static final int PREFETCH_DEPTH = 2;

    private sealed interface Item permits Ready, Failed, End {
    }

    private record Ready(ImageBatch batch) implements Item {
    }

    private record Failed(int batchIndex, Throwable error) implements Item {
    }

    private record End() implements Item {
    }

    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(PREFETCH_DEPTH);
    private final Thread worker;
    private Item head;

    BatchIterator(IntFunction<ImageBatch> load, int from, int to, String threadName) {
        worker = new Thread(() -> produce(load, from, to), threadName);
        worker.setDaemon(true);
        worker.start();
    }

    private void produce(IntFunction<ImageBatch> load, int from, int to) {
        try {
            for (int b = from; b < to; b++) {
                Item item;
                try {
                    item = new Ready(load.apply(b));
                } catch (RuntimeException | Error e) {
                    queue.put(new Failed(b, e));
                    return;
                }
                queue.put(item);
            }
            queue.put(new End());
        } catch (InterruptedException e) {
            // close() interrupts us: the consumer wants no more batches.
        }
    }

    @Override
    public boolean hasNext() {
        if (head == null) {
            head = take();
        }
        if (head instanceof Failed failed) {
            if (failed.error() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("loading batch " + failed.batchIndex() + " failed: "
                    + failed.error().getMessage(), failed.error());
        }
        return head instanceof Ready;
    }

    @Override
    public ImageBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no batches left");
        }
        ImageBatch batch = ((Ready) head).batch();
        head = null;
        return batch;
    }

    /** Stops the background thread and waits for it; at most the batch it is building is wasted. */
    @Override
    public void close() {
        worker.interrupt();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue.clear();
        head = new End();
    }

    private Item take() {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for the next batch");
        }
    }
}
