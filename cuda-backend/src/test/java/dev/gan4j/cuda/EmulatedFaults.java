package dev.gan4j.cuda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Faults the CUDA emulation injects on request (src/test/c/README.md): lines {@code <call> <what> <value>} in
 * the file {@code $GAN4J_EMULATED_FAULTS}, read by the emulated libraries at every call they can fail.
 * Tests that need them are skipped against the real libraries, which cannot be told to fail.
 */
final class EmulatedFaults implements AutoCloseable {

    private final Path file;

    private EmulatedFaults(Path file) {
        this.file = file;
    }

    /** Makes the emulation fail what {@code lines} name until {@link #close()}. */
    static EmulatedFaults inject(String... lines) {
        String path = System.getenv("GAN4J_EMULATED_FAULTS");
        assumeTrue(path != null && dev.gan4j.tensor.backend.Backends.of(Differential.CUDA).name().contains("emulated"),
                "fault injection needs the CUDA emulation");
        Path file = Path.of(path);
        try {
            Files.write(file, java.util.List.of(lines));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new EmulatedFaults(file);
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
