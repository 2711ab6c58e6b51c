package dev.gan4j.tensor.backend;

import dev.gan4j.tensor.Device;

/**
 * A backend that may or may not be usable on this machine, discovered with {@link java.util.ServiceLoader}
 * (list the class in {@code META-INF/services/dev.gan4j.tensor.backend.BackendProvider}). The CPU
 * backend is built in; the CUDA backend comes this way so nothing depends on it at compile time.
 */
public interface BackendProvider {

    /** The kind of device served, e.g. CUDA. */
    Device.Kind kind();

    /**
     * Probes the machine (once; cache the answer). Returns null when usable, else a one-line reason
     * such as {@code "libcuda.so.1 not found"}. Must not throw.
     */
    String unavailableReason();

    /** The backend for a device; only called when {@link #unavailableReason()} is null. */
    Backend backend(Device device);

    /** Per-library probe results for the {@code info} command, e.g. {@code "cuBLAS" -> "12.6"}. */
    default java.util.Map<String, String> details() {
        return java.util.Map.of();
    }
}
