package dev.gan4j.tensor.cpu;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CPU backend's thread pool: splits a range of independent work items across a fixed number
 * of worker threads. The size comes from {@code -Dgan4j.threads=N}, else the number of cores, and
 * can be changed with {@link #setThreads(int)} (the command line's {@code --threads}).
 */
public final class Parallel {

    /** Work on items {@code [from, to)}; called once per chunk, from one thread. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** Chunks per thread: enough to rebalance around a descheduled thread, few enough to keep chunks long. */
    static final int CHUNKS_PER_THREAD = 4;

    private static volatile ForkJoinPool pool = newPool(Integer.getInteger("gan4j.threads",
            Runtime.getRuntime().availableProcessors()));

    private Parallel() {}

    public static int threads() {
        return pool.getParallelism();
    }

    public static synchronized void setThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (threads == threads()) return;
        ForkJoinPool old = pool;
        pool = newPool(threads);
        old.shutdown();
    }

    /**
     * Runs {@code body} over {@code [0, count)} in chunks of at least {@code grain} items, so that small
     * loops stay on the calling thread. Chunks are handed out one at a time to the caller and up to
     * {@code threads() - 1} workers, {@link #CHUNKS_PER_THREAD} per thread: when a thread is descheduled
     * (another process wants the core) the others take its share instead of waiting for it, and the caller
     * waits only for chunks already started, never for a worker that has not yet woken up. Bodies must not
     * depend on where chunks begin (every kernel's results are the same for any split; see ThreadCountTest).
     */
    public static void forRange(int count, int grain, RangeBody body) {
        int chunks = Math.min(threads() * CHUNKS_PER_THREAD, Math.max(1, count / Math.max(1, grain)));
        if (chunks <= 1 || threads() == 1 || ForkJoinTask.inForkJoinPool()) {
            if (count > 0) body.run(0, count);
            return;
        }
        Chunks work = new Chunks(count, chunks, body);
        ForkJoinPool current = pool;
        for (int helper = 1; helper < Math.min(threads(), chunks); helper++) current.execute(work::runChunks);
        work.runChunks();
        work.awaitAll();
    }

    /** One {@link #forRange} call: chunks claimed from a counter, and a count of those finished. */
    private static final class Chunks {
        private final int count;
        private final int chunks;
        private final RangeBody body;
        private final AtomicInteger next = new AtomicInteger();
        private final CountDownLatch finished;
        private volatile Throwable failure;

        Chunks(int count, int chunks, RangeBody body) {
            this.count = count;
            this.chunks = chunks;
            this.body = body;
            this.finished = new CountDownLatch(chunks);
        }

        void runChunks() {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                try {
                    if (failure == null) body.run(start(c), start(c + 1));
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    finished.countDown();
                }
            }
        }

        private int start(int chunk) {
            return (int) ((long) count * chunk / chunks);
        }

        void awaitAll() {
            boolean interrupted = false;
            while (finished.getCount() > 0) {
                try {
                    finished.await();
                } catch (InterruptedException e) {
                    interrupted = true;  // the chunks write into the caller's arrays: wait for them regardless
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            Throwable t = failure;
            if (t instanceof RuntimeException r) throw r;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        }
    }

    private static ForkJoinPool newPool(int threads) {
        return new ForkJoinPool(threads, pool -> {
            var worker = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            worker.setDaemon(true);
            worker.setName("gan4j-cpu-" + worker.getPoolIndex());
            return worker;
        }, null, false);
    }
}
