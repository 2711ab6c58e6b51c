package dev.gan4j.tensor.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

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
     * Runs {@code body} over {@code [0, count)} in at most {@link #threads()} chunks, each at least
     * {@code grain} items long, so that small loops stay on the calling thread.
     */
    public static void forRange(int count, int grain, RangeBody body) {
        int chunks = Math.min(threads(), Math.max(1, count / Math.max(1, grain)));
        if (chunks <= 1 || ForkJoinTask.inForkJoinPool()) {
            if (count > 0) body.run(0, count);
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>(chunks);
        ForkJoinPool current = pool;
        for (int c = 1; c < chunks; c++) {
            int from = (int) ((long) count * c / chunks);
            int to = (int) ((long) count * (c + 1) / chunks);
            tasks.add(current.submit(() -> body.run(from, to)));
        }
        body.run(0, (int) ((long) count / chunks));
        for (ForkJoinTask<?> task : tasks) task.join();
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
