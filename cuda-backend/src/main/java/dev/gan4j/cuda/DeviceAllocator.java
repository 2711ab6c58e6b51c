package dev.gan4j.cuda;

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
 * all work runs on one stream in issue order. Blocks of storages that the garbage collector found
 * unreachable arrive through {@link #releaseLater} (any thread) and are taken back at the next call.
 * On out-of-memory the cache is emptied (after a GC, which may release more) and the allocation retried.
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
    private long bytesCached;

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
            bytesCached -= size;
        } else {
            pointer = allocateOnDevice(size);
        }
        bytesInUse += size;
        return new Block(pointer, size);
    }

    private CUdeviceptr allocateOnDevice(long size) {
        CUdeviceptr pointer = new CUdeviceptr();
        if (tryAlloc(pointer, size)) return pointer;
        emptyCache();
        if (tryAlloc(pointer, size)) return pointer;
        // Unreachable tensors still hold blocks until their cleaners run.
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
}
