package dev.gan4j.cuda;

import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Storage;
import jcuda.driver.CUdeviceptr;

import java.lang.ref.Cleaner;

/**
 * float32 elements in device memory. The block goes back to the allocator on {@link #release()} or,
 * failing that, when the storage becomes unreachable (through a {@link Cleaner}, which makes no CUDA call
 * itself).
 */
public final class CudaStorage implements Storage {

    private static final Cleaner CLEANER = Cleaner.create();

    private final Device device;
    private final DeviceAllocator.Block block;
    private final int size;
    private final Cleaner.Cleanable cleanable;
    private int version;
    private volatile boolean released;

    CudaStorage(Device device, DeviceAllocator allocator, DeviceAllocator.Block block, int size) {
        this.device = device;
        this.block = block;
        this.size = size;
        this.cleanable = CLEANER.register(this, new Release(allocator, block));
    }

    /** The cleaning action; a record so that it holds no reference to the storage. */
    private record Release(DeviceAllocator allocator, DeviceAllocator.Block block) implements Runnable {
        @Override public void run() { allocator.releaseLater(block); }
    }

    /** Device address of element {@code offset}. */
    CUdeviceptr pointer(int offset) {
        if (released) throw new IllegalStateException("cuda: storage of " + size + " elements on " + device + " was released");
        return block.pointer().withByteOffset((long) offset * Float.BYTES);
    }

    /** Gives the memory back now; the storage (and every tensor over it) must not be used afterwards. */
    public void release() {
        released = true;
        cleanable.clean();
    }

    @Override public Device device() { return device; }
    @Override public DType dtype() { return DType.F32; }
    @Override public int size() { return size; }
    @Override public int version() { return version; }
    @Override public void bumpVersion() { version++; }
}
