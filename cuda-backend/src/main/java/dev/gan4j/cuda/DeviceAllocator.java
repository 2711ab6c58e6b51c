package dev.gan4j.cuda;

import dev.gan4j.tensor.backend.AllocatorStats;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A caching allocator: freed blocks are kept per rounded size and handed out again, so steady-state
 * training makes no {@code cuMemAlloc}/{@code cuMemFree} calls. Reuse right after release is safe because
 * all work runs on one stream in issue order. A training step's intermediates come back at once, when
 * its {@link dev.gan4j.tensor.MemoryScope} closes ({@link #release}); blocks of storages made outside any
 * scope come back when the garbage collector finds them unreachable, through {@link #releaseLater} (any
 * thread), and are taken back at the next call. On out-of-memory the cache is emptied and the allocation
 * retried; only then, as a last resort, is the garbage collector asked for such blocks.
 */
final class DeviceAllocator {

    /** A device allocation of {@code bytes} (the rounded size) at {@code pointer}. */
    record Block(CUdeviceptr pointer, long bytes) {}

    private static final long SMALL = 1 << 20;
    private static final long SMALL_STEP = 512;
    private static final long LARGE_STEP = 2 << 20;

    private final CudaDevice device;
    private final Map<Long, ArrayDeque<CUdeviceptr>> cached = new HashMap<>();
    private final Queue<Block> releasedElsewhere = new ConcurrentLinkedQueue<>();
    private long bytesInUse;
    private long peakBytesInUse;
    private long bytesCached;
    private long hits;
    private long misses;

    DeviceAllocator(CudaDevice device) {
        this.device = device;
    }

    /** Sizes are rounded to 512 B below 1 MiB and to 2 MiB above, which also keeps blocks 256-byte aligned. */
    static long roundedSize(long bytes) {
        long step = bytes < SMALL ? SMALL_STEP : LARGE_STEP;
        return Math.max(step, (bytes + step - 1) / step * step);
    }

    synchronized Block allocate(long bytes) {
        takeBackReleased();
        long size = roundedSize(bytes);
        ArrayDeque<CUdeviceptr> free = cached.get(size);
        CUdeviceptr pointer = free == null ? null : free.poll();
        if (pointer != null) {
            hits++;
            bytesCached -= size;
        } else {
            misses++;
            pointer = allocateOnDevice(size);
        }
        bytesInUse += size;
        peakBytesInUse = Math.max(peakBytesInUse, bytesInUse);
        return new Block(pointer, size);
    }

    private CUdeviceptr allocateOnDevice(long size) {
        CUdeviceptr pointer = new CUdeviceptr();
        if (tryAlloc(pointer, size)) return pointer;
        emptyCache();
        if (tryAlloc(pointer, size)) return pointer;
        // Last resort: unreachable tensors made outside any memory scope hold blocks until their cleaners run.
        System.gc();
        waitForCleaners();
        emptyCache();
        if (tryAlloc(pointer, size)) return pointer;
        throw new CudaOutOfMemoryException(String.format(java.util.Locale.ROOT,
                "cuda:%d out of memory: cannot allocate %.1f MiB (%.1f MiB in use by tensors, cache emptied); "
                        + "use a smaller batch or model, or --device cpu",
                device.index, size / 1048576.0, bytesInUse / 1048576.0));
    }

    private boolean tryAlloc(CUdeviceptr pointer, long size) {
        device.makeCurrent();
        int status = JCudaDriver.cuMemAlloc(pointer, size);
        if (status == CUresult.CUDA_ERROR_OUT_OF_MEMORY) return false;
        CudaStatus.driver(status, "cuMemAlloc(" + size + " bytes)");
        return true;
    }

    private void waitForCleaners() {
        long deadline = System.nanoTime() + 200_000_000L;
        while (releasedElsewhere.isEmpty() && System.nanoTime() < deadline) Thread.onSpinWait();
        takeBackReleased();
    }

    /** Returns a block to the cache; it may be handed out again at once. */
    synchronized void release(Block block) {
        cached.computeIfAbsent(block.bytes(), k -> new ArrayDeque<>()).push(block.pointer());
        bytesInUse -= block.bytes();
        bytesCached += block.bytes();
    }

    /** For cleaners: queues a block to be released by the next allocator call. Thread-safe, no CUDA calls. */
    void releaseLater(Block block) {
        releasedElsewhere.add(block);
    }

    private void takeBackReleased() {
        for (Block b = releasedElsewhere.poll(); b != null; b = releasedElsewhere.poll()) release(b);
    }

    /** Frees every cached block with {@code cuMemFree}. */
    synchronized void emptyCache() {
        takeBackReleased();
        device.makeCurrent();
        for (ArrayDeque<CUdeviceptr> blocks : cached.values()) {
            for (CUdeviceptr p : blocks) CudaStatus.driver(JCudaDriver.cuMemFree(p), "cuMemFree");
        }
        cached.clear();
        bytesCached = 0;
    }

    /** Bytes held by live storages and temporary buffers (rounded sizes). */
    synchronized long bytesInUse() {
        takeBackReleased();
        return bytesInUse;
    }

    /** Bytes kept in the cache for reuse. */
    synchronized long bytesCached() {
        takeBackReleased();
        return bytesCached;
    }

    /** The most bytes in use at once since start-up (or {@link #resetPeak}). */
    synchronized long peakBytesInUse() {
        return peakBytesInUse;
    }

    /** Starts a new peak measurement from the bytes in use now. */
    synchronized void resetPeak() {
        takeBackReleased();
        peakBytesInUse = bytesInUse;
    }

    /** Hits: allocations served from the cache; misses: new {@code cuMemAlloc}s. */
    synchronized AllocatorStats stats() {
        takeBackReleased();
        return new AllocatorStats(hits, misses, bytesCached);
    }
}
