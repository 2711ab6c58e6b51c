package dev.gan4j.cuda;

import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Layout;
import dev.gan4j.tensor.Tensor;
import dev.gan4j.tensor.backend.Backends;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static dev.gan4j.cuda.Differential.CUDA;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input on the cuda device fails with a message that says what is wrong. */
@Tag("cuda")
class ErrorTest {

    private static void assertMessage(Class<? extends Throwable> type, String expected, Executable call) {
        Throwable e = assertThrows(type, call);
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should contain '" + expected + "'");
    }

    @Test
    void tensorsOnDifferentDevices() {
        Differential.backend();
        Tensor gpu = Tensor.ones(2, 3).to(CUDA);
        assertMessage(IllegalArgumentException.class, "different devices (cuda:0 and cpu)", () -> gpu.add(Tensor.ones(2, 3)));
        assertMessage(IllegalArgumentException.class, "different devices", () -> Tensor.ones(3, 2).matmul(gpu.t()));
    }

    @Test
    void storageOfAnotherDevicePassedToAKernel() {
        Tensor gpu = Tensor.ones(4).to(CUDA);
        Tensor cpu = Tensor.ones(4);
        Layout l = Layout.contiguous(4);
        assertMessage(IllegalArgumentException.class, "storage on cpu passed to a kernel on cuda:0",
                () -> Differential.backend().copy(cpu.storage(), l, gpu.storage(), l));
        assertMessage(IllegalArgumentException.class, "storage on cuda:0 passed to a CPU kernel",
                () -> Backends.cpu().copy(gpu.storage(), l, cpu.storage(), l));
    }

    @Test
    void shapeMismatches() {
        Tensor a = Tensor.ones(2, 3).to(CUDA);
        assertMessage(IllegalArgumentException.class, "do not match", () -> a.matmul(Tensor.ones(4, 5).to(CUDA)));
        assertMessage(IllegalArgumentException.class, "cannot be broadcast", () -> a.add(Tensor.ones(4).to(CUDA)));
    }

    @Test
    void float64IsRefusedOnTheGpu() {
        assertMessage(IllegalArgumentException.class, "float64 tensors are not supported on cuda:0 (float32 only)",
                () -> Tensor.zeros(DType.F64, CUDA, 3));
        assertMessage(IllegalArgumentException.class, "float32 only", () -> Tensor.ones(3).to(CUDA).to(DType.F64));
        assertMessage(IllegalArgumentException.class, "float32 only", () -> Tensor.ones(3).to(DType.F64).to(CUDA));
    }

    @Test
    void deviceThatDoesNotExist() {
        assertMessage(IllegalArgumentException.class, "cuda:99 does not exist", () -> Backends.of(Device.cuda(99)));
    }
}
