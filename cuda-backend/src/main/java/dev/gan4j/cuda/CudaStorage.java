package dev.gan4j.cuda;

import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Storage;
import jcuda.driver.CUdeviceptr;

import java.lang.ref.Cleaner;

/**
 * float32 elements in device memory. The block goes back to the allocator's cache on {@link #release()}
 * (a closing {@link dev.gan4j.tensor.MemoryScope} calls it) or, for a storage made outside any scope, when it
 * becomes unreachable (through a {@link Cleaner}, which makes no CUDA call itself).
 */
public final class CudaStorage implements Storage {

    private static final Cleaner CLEANER = Cleaner.create();

    private final Device device;
    private final DeviceAllocator.Block block;
    private final int size;
    private final ReturnBlock returnBlock;
    private final Cleaner.Cleanable cleanable;
    private int version;
    private volatile boolean released;

    CudaStorage(Device device, DeviceAllocator allocator, DeviceAllocator.Block block, int size) {
        this.device = device;
        this.block = block;
        this.size = size;
        this.returnBlock = new ReturnBlock(allocator, block);
        this.cleanable = CLEANER.register(this, returnBlock);
    }

    /**
     * Gives the block back, exactly once (the Cleaner runs an action at most once): straight into the
     * cache when the owner releases it, through the allocator's queue when the cleaner thread finds the
     * storage unreachable. Holds no reference to the storage, or it would never become unreachable.
     */
    private static final class ReturnBlock implements Runnable {
        private final DeviceAllocator allocator;
        private final DeviceAllocator.Block block;
        private volatile boolean explicit;

        ReturnBlock(DeviceAllocator allocator, DeviceAllocator.Block block) {
            this.allocator = allocator;
            this.block = block;
        }

        @Override
        public void run() {
            if (explicit) allocator.release(block);
            else allocator.releaseLater(block);
        }
    }

    /** Device address of element {@code offset}; refuses a released storage. */
    CUdeviceptr pointer(int offset) {
        if (released) {
            throw new IllegalStateException("cuda backend: a tensor's storage (" + size + " F32 elements on " + device
                    + ") was used after it was released (its MemoryScope closed); keep it with MemoryScope.keep or "
                    + "persist to use it later");
        }
        return block.pointer().withByteOffset((long) offset * Float.BYTES);
    }

    /**
     * Returns the block to the allocator's cache now, so the next allocation of its size reuses it (safe:
     * all work is issued on one stream, in order). Every later use of this storage fails. Idempotent.
     */
    @Override
    public synchronized void release() {
        if (released) return;
        released = true;
        returnBlock.explicit = true;
        cleanable.clean();
    }

    @Override public Device device() { return device; }
    @Override public DType dtype() { return DType.F32; }
    @Override public int size() { return size; }
    @Override public int version() { return version; }
    @Override public void bumpVersion() { version++; }
}
