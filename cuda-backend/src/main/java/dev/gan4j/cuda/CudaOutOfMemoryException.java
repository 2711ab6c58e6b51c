package dev.gan4j.cuda;

/** The device has no room for an allocation, even after the allocator returned its cached blocks. */
public final class CudaOutOfMemoryException extends IllegalStateException {

    public CudaOutOfMemoryException(String message) {
        super(message);
    }
}
