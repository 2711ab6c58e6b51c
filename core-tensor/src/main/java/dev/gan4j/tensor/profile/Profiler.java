package dev.gan4j.tensor.profile;

import dev.gan4j.tensor.MemoryScope;
import dev.gan4j.tensor.backend.AllocatorStats;
import dev.gan4j.tensor.backend.Backend;
import dev.gan4j.tensor.backend.Backends;
import dev.gan4j.tensor.backend.KernelClock;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Times every kernel call made while it records, per {@link Phase} and per op kind, and compares the
 * sum with the wall-clock time of the recorded code:
 * <pre>
 *   Profiler profiler = new Profiler("step");
 *   for (...) {
 *       try (Profiler.Recording ignored = profiler.start()) { trainingStep(); }
 *   }
 *   System.out.print(profiler.report().table());
 * </pre>
 * While recording, {@link Backends} hands out a {@link ProfilingBackend} around each real backend, so the
 * tensor layer and the kernels stay unaware of it. One recording runs at a time in the whole JVM.
 */
public final class Profiler {

    /** Unresolved timings kept before they are read (a device's timing events are a finite resource). */
    private static final int MAX_PENDING = 4096;
    private static final Scope NO_SCOPE = () -> {};
    private static final ThreadLocal<Phase> PHASE = ThreadLocal.withInitial(() -> Phase.FORWARD);
    private static volatile Profiler recording;

    private final String unit;
    private final Map<Backend, ProfilingBackend> wrappers = new IdentityHashMap<>();
    private final Map<Phase, Map<OpKey, OpTotals>> totals = new EnumMap<>(Phase.class);
    private final List<PendingCall> pending = new ArrayList<>();
    /** Per device, the allocator's hits and misses inside recordings, and the bytes it caches at the last one's end. */
    private final Map<String, AllocatorStats> memory = new TreeMap<>();
    private long wallNanos;
    private int recordings;

    /** A profiler whose report calls each recording a "recording". */
    public Profiler() {
        this("recording");
    }

    /** A profiler whose report calls each recording a {@code unit}, e.g. "step". */
    public Profiler(String unit) {
        this.unit = unit;
        for (Phase phase : Phase.values()) totals.put(phase, new HashMap<>());
    }

    /** A section of code being recorded; closing it stops the recording. */
    public interface Recording extends AutoCloseable {
        @Override
        void close();
    }

    /** A phase marking; closing it restores the previous phase. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Starts recording: from now until the returned recording is closed, every kernel call is timed and
     * the wall-clock time is measured. Recordings of one profiler add up (e.g. one per training step).
     */
    public Recording start() {
        synchronized (Profiler.class) {
            if (recording != null) {
                throw new IllegalStateException("profiler: a recording is already running; recordings do not nest");
            }
            recording = this;
        }
        synchronized (this) {
            for (ProfilingBackend b : wrappers.values()) b.markRecordingStart();
        }
        Backends.setDecorator(this::wrap);
        return new Running(System.nanoTime());
    }

    /** The recording under way; closing it a second time does nothing. */
    private final class Running implements Recording {
        private final long started;
        private boolean closed;

        Running(long started) {
            this.started = started;
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            stop(started);
        }
    }

    private void stop(long started) {
        try {
            // Asynchronous kernels issued in the recording belong to it: wait for them before reading the clock.
            synchronized (this) {
                for (ProfilingBackend b : wrappers.values()) b.clock().synchronize();
            }
            long ended = System.nanoTime();
            synchronized (this) {
                wallNanos += ended - started;
                recordings++;
                resolvePending();
                for (ProfilingBackend b : wrappers.values()) {
                    AllocatorStats during = b.allocatorDuringRecording();
                    memory.merge(b.deviceName(), during, (sum, more) -> new AllocatorStats(sum.hits() + more.hits(),
                            sum.misses() + more.misses(), more.cachedBytes()));
                }
            }
        } finally {
            Backends.setDecorator(null);
            synchronized (Profiler.class) {
                recording = null;
            }
        }
    }

    /**
     * Marks the calling thread's kernel calls as belonging to {@code phase} until the scope is closed.
     * Costs nothing when no recording is running.
     */
    public static Scope phase(Phase phase) {
        if (recording == null) return NO_SCOPE;
        Phase previous = PHASE.get();
        PHASE.set(phase);
        return () -> PHASE.set(previous);
    }

    /** What was recorded so far. */
    public synchronized ProfileReport report() {
        resolvePending();
        List<ProfileReport.Row> rows = new ArrayList<>();
        totals.forEach((phase, ops) -> ops.forEach((key, t) ->
                rows.add(new ProfileReport.Row(phase, key.device(), key.op(), t.calls, t.nanos, t.flops))));
        List<String> backends = wrappers.keySet().stream().map(Backend::name).sorted().toList();
        Map<String, Long> scopePeaks = new TreeMap<>();
        for (Backend b : wrappers.keySet()) scopePeaks.put(b.device().toString(), MemoryScope.peakBytes(b.device()));
        return new ProfileReport(rows, wallNanos, recordings, unit, backends, Map.copyOf(memory), scopePeaks);
    }

    private synchronized Backend wrap(Backend real) {
        return wrappers.computeIfAbsent(real, r -> new ProfilingBackend(r, this));
    }

    /** Called by {@link ProfilingBackend} after each kernel call. */
    synchronized void record(String device, String op, long flops, KernelClock.Timing timing) {
        OpTotals t = totals.get(PHASE.get()).computeIfAbsent(new OpKey(device, op), k -> new OpTotals());
        t.calls++;
        t.flops += flops;
        pending.add(new PendingCall(t, timing));
        if (pending.size() >= MAX_PENDING) resolvePending();
    }

    private void resolvePending() {
        for (PendingCall call : pending) call.totals.nanos += call.timing.nanos();
        pending.clear();
    }

    /** An op kind on one device. */
    private record OpKey(String device, String op) {}

    /** Sums for one op kind in one phase. */
    private static final class OpTotals {
        long calls;
        long nanos;
        long flops;
    }

    private record PendingCall(OpTotals totals, KernelClock.Timing timing) {}
}
