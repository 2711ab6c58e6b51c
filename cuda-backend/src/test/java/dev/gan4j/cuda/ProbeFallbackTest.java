package dev.gan4j.cuda;

import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.backend.BackendProvider;
import dev.gan4j.tensor.backend.Backends;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Without any CUDA library (the default Surefire execution adds none to the library path), the probe
 * fails cleanly: one line saying why, {@code auto} picks the CPU, {@code cuda} is a clear error. On a
 * machine whose system path holds a working CUDA these cases cannot be observed and are skipped.
 */
class ProbeFallbackTest {

    private static BackendProvider cuda() {
        BackendProvider provider = Backends.provider(Device.Kind.CUDA);
        assertInstanceOf(CudaBackendProvider.class, provider, "found through ServiceLoader");
        return provider;
    }

    private static String reasonOrSkip() {
        String reason = cuda().unavailableReason();
        assumeTrue(reason != null, "CUDA is usable on this machine's default library path");
        return reason;
    }

    @Test
    void reasonIsOneLineNamingTheLibrary() {
        String reason = reasonOrSkip();
        assertFalse(reason.contains("\n"), reason);
        assertTrue(reason.startsWith("driver: "), reason);
        assertEquals(reason, cuda().unavailableReason(), "probed once, same answer");
    }

    @Test
    void detailsListEveryLibrary() {
        reasonOrSkip();
        assertEquals(List.of("driver", "cuBLAS", "cuDNN", "NVRTC"), List.copyOf(cuda().details().keySet()));
        cuda().details().values().forEach(line -> assertFalse(line.contains("\n"), line));
        assertTrue(cuda().details().get("driver").startsWith("unavailable: "), cuda().details().toString());
    }

    @Test
    void autoFallsBackToTheCpuWithOneLine() {
        String reason = reasonOrSkip();
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(Device.CPU, Backends.resolve("auto"));
        } finally {
            System.setErr(err);
        }
        assertEquals("gan4j: no usable GPU (" + reason + "); running on the CPU" + System.lineSeparator(),
                captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void explicitCudaIsAClearError() {
        String reason = reasonOrSkip();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.resolve("cuda"));
        assertEquals("device cuda:0 is not usable: " + reason, e.getMessage());
    }

    @Test
    void reasonNamesAMissingSharedLibrary() {
        UnsatisfiedLinkError e = new UnsatisfiedLinkError("Error while loading native library \"JCudaDriver-12.6.0-linux-x86_64\"\n"
                + "Operating system name: Linux\nStack trace from the attempt to load the library as a file:\n"
                + "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: "
                + "cannot open shared object file: No such file or directory");
        assertEquals("libcuda.so.1 not found (install it or add its folder to LD_LIBRARY_PATH)", CudaProbe.reason(e));
        assertEquals("IllegalStateException: no CUDA device found",
                CudaProbe.reason(new IllegalStateException("no CUDA device found\nmore")));
        assertNotNull(CudaProbe.reason(new RuntimeException()));
    }
}
