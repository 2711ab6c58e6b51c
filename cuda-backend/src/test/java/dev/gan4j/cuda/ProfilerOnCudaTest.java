package dev.gan4j.cuda;

import dev.gan4j.tensor.Tensor;
import dev.gan4j.tensor.profile.Phase;
import dev.gan4j.tensor.profile.ProfileReport;
import dev.gan4j.tensor.profile.Profiler;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static dev.gan4j.cuda.Differential.CUDA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The profiler on the CUDA backend: kernel calls timed with events on the stream, events recycled. */
@Tag("cuda")
class ProfilerOnCudaTest {

    private static final String GPU = CUDA.toString();

    @Test
    void trainingStepsOnTheGpuAreTimedWithEvents() {
        CudaBackend backend = Differential.backend();
        CudaEventClock clock = (CudaEventClock) backend.clock();
        TinyDcgan gan = new TinyDcgan(CUDA, 11);
        gan.step();
        Profiler profiler = new Profiler("step");
        for (int i = 0; i < 2; i++) {
            try (Profiler.Recording ignored = profiler.start()) {
                gan.step();
            }
        }
        ProfileReport report = profiler.report();

        assertTrue(report.backends().contains(backend.name()), report.backends().toString());
        for (String op : new String[] {"conv2d", "conv2d_backward_input", "batch_norm_training"}) {
            assertTrue(report.row(Phase.FORWARD, GPU, op) != null, op + " in the forward pass\n" + report.table());
        }
        assertTrue(report.row(Phase.BACKWARD, GPU, "conv2d_backward_weight").nanos() > 0, report.table());
        assertTrue(report.kernelNanos(Phase.OPTIMIZER) > 0, report.table());
        assertTrue(report.kernelNanos() <= report.wallNanos(), "event intervals lie inside the recordings");
        int spare = clock.spareEvents();
        try (Profiler.Recording ignored = profiler.start()) {
            gan.step();
        }
        assertEquals(spare, clock.spareEvents(), "a step's events are read and recycled, none created anew");
        assertSame(backend, dev.gan4j.tensor.backend.Backends.of(CUDA), "plain again after the recording");
    }

    @Test
    void aTimingCoversTheDeviceWorkOfItsCall() {
        Differential.backend();
        Tensor a = Tensor.ones(256, 256).to(dev.gan4j.tensor.DType.F32).to(CUDA);
        Profiler profiler = new Profiler();
        try (Profiler.Recording ignored = profiler.start()) {
            a.matmul(a);
        }
        ProfileReport.Row matmul = profiler.report().row(Phase.FORWARD, GPU, "matmul");
        assertEquals(1, matmul.calls());
        assertEquals(2L * 256 * 256 * 256, matmul.flops());
        assertTrue(matmul.nanos() > 0, "the emulated GEMM takes measurable time between its events");
    }
}
