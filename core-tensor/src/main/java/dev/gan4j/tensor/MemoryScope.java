package dev.gan4j.tensor;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deterministic release of intermediates, on every backend. While a scope is open on a thread, every
 * storage that thread's tensor ops allocate belongs to the innermost scope; {@link #close()} releases them
 * all back to their backend's cache ({@link Storage#release()}), so the next step reuses the same buffers
 * instead of waiting for the garbage collector. A released storage refuses any further use, so a tensor
 * that outlived its scope fails loudly instead of reading recycled memory.
 *
 * <pre>{@code
 * try (MemoryScope step = MemoryScope.open()) {
 *     Tensor loss = model(x);           // intermediates: released at close
 *     step.keep(result);                // survives: handed to the enclosing scope, or to the GC
 *     MemoryScope.persist(newState);    // survives every scope: parameters, optimiser state
 * }
 * }</pre>
 *
 * Storages made outside any scope (parameters, buffers built at start-up) are left to the garbage
 * collector, as before. Scopes nest and are per thread; close them in reverse order of opening.
 */
public final class MemoryScope implements AutoCloseable {

    private static final ThreadLocal<MemoryScope> CURRENT = new ThreadLocal<>();
    private static final Map<Device, Usage> USAGE = new ConcurrentHashMap<>();

    private final MemoryScope parent;
    private final Thread thread = Thread.currentThread();
    private final Set<Storage> owned = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    private MemoryScope(MemoryScope parent) {
        this.parent = parent;
    }

    /** Opens a scope nested in this thread's current one (if any). */
    public static MemoryScope open() {
        MemoryScope scope = new MemoryScope(CURRENT.get());
        CURRENT.set(scope);
        return scope;
    }

    /** Whether this thread has an open scope, i.e. whether new storages will be released at its close. */
    public static boolean isOpen() {
        return CURRENT.get() != null;
    }

    /** Called by the tensor layer for every storage it allocates; returns it. */
    static Storage track(Storage storage) {
        MemoryScope scope = CURRENT.get();
        if (scope != null) scope.adopt(storage);
        return storage;
    }

    /**
     * Lets {@code tensor}'s storage (and so every view of it) survive this scope: it moves to the
     * enclosing scope, or, when this is the outermost one, is left to the garbage collector.
     * A storage this scope does not own is left alone. Returns {@code tensor}.
     */
    public Tensor keep(Tensor tensor) {
        checkOpen("keep");
        if (owned.remove(tensor.storage())) {
            if (parent != null) parent.owned.add(tensor.storage());
            else usage(tensor.storage()).drop(bytes(tensor.storage()));
        }
        return tensor;
    }

    /**
     * Takes {@code tensor}'s storage out of every open scope of this thread, leaving it to the garbage
     * collector: for what outlives any step (parameters, optimiser state). Returns {@code tensor}.
     */
    public static Tensor persist(Tensor tensor) {
        for (MemoryScope s = CURRENT.get(); s != null; s = s.parent) {
            if (s.owned.remove(tensor.storage())) {
                usage(tensor.storage()).drop(bytes(tensor.storage()));
                break;
            }
        }
        return tensor;
    }

    /** Releases every storage still owned by this scope. Must be the thread's innermost open scope. */
    @Override
    public void close() {
        if (closed) return;
        checkOpen("close");
        if (CURRENT.get() != this) {
            throw new IllegalStateException("memory scope: closed while a scope nested in it is still open "
                    + "(close scopes in reverse order of opening)");
        }
        closed = true;
        if (parent != null) CURRENT.set(parent);
        else CURRENT.remove();
        for (Storage s : owned) {
            usage(s).drop(bytes(s));
            s.release();
        }
        owned.clear();
    }

    private void adopt(Storage storage) {
        if (owned.add(storage)) usage(storage).add(bytes(storage));
    }

    private void checkOpen(String what) {
        if (closed) throw new IllegalStateException("memory scope: " + what + " after the scope was closed");
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("memory scope: " + what + " from thread " + Thread.currentThread().getName()
                    + ", but the scope belongs to " + thread.getName());
        }
    }

    // ---- accounting ----

    /** Bytes now held by open scopes on {@code device}, over all threads. */
    public static long bytesInScopes(Device device) {
        Usage u = USAGE.get(device);
        return u == null ? 0 : u.now.get();
    }

    /**
     * The most bytes open scopes held on {@code device} at once since start-up (or the last
     * {@link #resetPeak}): a training step's working set, independent of GC timing.
     */
    public static long peakBytes(Device device) {
        Usage u = USAGE.get(device);
        return u == null ? 0 : u.peak.get();
    }

    /** Starts a new peak measurement on {@code device} from the bytes held now. */
    public static void resetPeak(Device device) {
        Usage u = USAGE.get(device);
        if (u != null) u.peak.set(u.now.get());
    }

    private static long bytes(Storage s) {
        return (long) s.size() * s.dtype().bytes();
    }

    private static Usage usage(Storage s) {
        return USAGE.computeIfAbsent(s.device(), d -> new Usage());
    }

    private static final class Usage {
        final AtomicLong now = new AtomicLong();
        final AtomicLong peak = new AtomicLong();

        void add(long bytes) {
            peak.accumulateAndGet(now.addAndGet(bytes), Math::max);
        }

        void drop(long bytes) {
            now.addAndGet(-bytes);
        }
    }
}
