package dev.gan4j.tensor;

/**
 * A flat buffer of elements on one device. Tensors are views (shape, strides, offset) over a storage;
 * several tensors may share one. Each backend has its own storage type and only its kernels look inside.
 */
public interface Storage {

    Device device();

    DType dtype();

    /** Number of elements. */
    int size();

    /**
     * A counter bumped by every in-place write, so autograd can detect that a tensor it saved for the
     * backward pass was modified afterwards.
     */
    int version();

    void bumpVersion();

    /**
     * Gives the memory back to the backend's cache now (see {@link MemoryScope}). Every later use of this
     * storage, through any tensor over it, fails with an error saying it was released. Idempotent.
     */
    void release();
}
