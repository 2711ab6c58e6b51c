package dev.gan4j.cuda;

import dev.gan4j.autograd.Functional;
import dev.gan4j.autograd.Variable;
import dev.gan4j.tensor.ConvParams;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Convolution algorithm selection when cuDNN's heuristics propose something that then fails: the emulation
 * fails a chosen algorithm, math type or workspace allocation on request ({@link EmulatedFaults}); the backend
 * must run the next candidate, get the same numbers as the CPU, keep the choice per geometry and log it once.
 * Each test uses a geometry of its own, since choices are cached per geometry.
 */
class ConvolutionFallbackTest extends Differential {

    private static final Logger LOG = Logger.getLogger(CudnnConvolution.class.getName());
    private final List<String> choices = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override public void publish(LogRecord r) { choices.add(r.getMessage()); }
        @Override public void flush() {}
        @Override public void close() {}
    };

    @BeforeEach
    void captureChoices() {
        LOG.setLevel(Level.FINE);
        LOG.addHandler(handler);
    }

    @AfterEach
    void restore() {
        LOG.removeHandler(handler);
        LOG.setLevel(null);
        backend().setDeterministic(true);
    }

    @Test
    void failingAlgorithmFallsBackToTheNextAndTheChoiceIsKept() {
        Tensor x = random(new Generator(41), 2, 3, 9, 7);
        Tensor w = random(new Generator(42), 5, 3, 3, 3);
        try (EmulatedFaults f = EmulatedFaults.inject("cudnnConvolutionForward algo 1")) {
            for (int run = 0; run < 2; run++) {
                check("conv2d with forward algo 1 failing", 1e-4, 1e-4,
                        v -> Functional.conv2d(v.get(0), v.get(1), null, ConvParams.of(1, 1)), x, w);
            }
        }
        List<String> forward = choices.stream().filter(m -> m.startsWith("cuDNN forward")).toList();
        assertEquals(1, forward.size(), "one forward choice, logged once: " + choices);
        assertTrue(forward.get(0).contains(": algo 0, math type 3") && forward.get(0).contains(
                "after [algo 1: CUDNN_STATUS_EXECUTION_FAILED]"), forward.get(0));
    }

    @Test
    void eachCandidateRunsWithItsOwnMathType() {
        // Outside deterministic mode the emulation proposes a tensor-op (math type 1) kernel first.
        backend().setDeterministic(false);
        try (EmulatedFaults f = EmulatedFaults.inject("cudnnConvolutionBackwardFilter math 1")) {
            check("conv2d with tensor-op backward-filter failing", 1e-4, 1e-4,
                    v -> Functional.conv2d(v.get(0), v.get(1), null, ConvParams.of(2, 1)),
                    random(new Generator(43), 2, 4, 8, 8), random(new Generator(44), 3, 4, 4, 4));
        }
        String filter = choices.stream().filter(m -> m.startsWith("cuDNN backward-filter")).findFirst().orElseThrow();
        assertTrue(filter.contains(": algo 0, math type 0") && filter.contains("after [algo 1: CUDNN_STATUS_NOT_SUPPORTED]"),
                filter);
    }

    @Test
    void workspaceThatCannotBeAllocatedFallsBackToOneThatNeedsLess() {
        Variable x = Variable.of(random(new Generator(45), 2, 7, 12, 12).to(CUDA), false);
        Variable w = Variable.of(random(new Generator(46), 3, 7, 5, 5).to(CUDA), false);
        backend().emptyCache();
        // The emulation's IMPLICIT_PRECOMP_GEMM (algo 1) wants 7*5*5 ints: 700 B, a 1024 B block.
        long workspaceBlock = DeviceAllocator.roundedSize(7 * 5 * 5 * Integer.BYTES);
        Tensor y;
        try (EmulatedFaults f = EmulatedFaults.inject("cuMemAlloc bytes " + workspaceBlock)) {
            y = Functional.conv2d(x, w, null, ConvParams.of(1, 0)).data().to(dev.gan4j.tensor.Device.CPU);
        }
        Tensor expected = Functional.conv2d(Variable.of(x.data().to(dev.gan4j.tensor.Device.CPU), false),
                Variable.of(w.data().to(dev.gan4j.tensor.Device.CPU), false), null, ConvParams.of(1, 0)).data();
        assertClose("conv2d without room for algo 1's workspace", expected, y, 1e-4, 1e-4);
        String forward = choices.stream().filter(m -> m.startsWith("cuDNN forward")).findFirst().orElseThrow();
        assertTrue(forward.contains(": algo 0,") && forward.contains("algo 1: no memory for its 700 B workspace"), forward);
    }

    @Test
    void noCandidateThatRunsIsAClearError() {
        // Backward-data ALGO_1 is the only deterministic one; a transposed convolution's forward is backward-data.
        Variable x = Variable.of(random(new Generator(47), 1, 2, 5, 5).to(CUDA), false);
        Variable w = Variable.of(random(new Generator(48), 2, 3, 3, 3).to(CUDA), false);
        try (EmulatedFaults f = EmulatedFaults.inject("cudnnConvolutionBackwardData algo 1")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Functional.convTranspose2d(x, w, null, ConvParams.of(1, 0), 0, 0));
            assertTrue(e.getMessage().startsWith("cuDNN: no deterministic backward-data algorithm ran for ConvGeometry[")
                    && e.getMessage().contains("tried [algo 1: CUDNN_STATUS_EXECUTION_FAILED]"), e.getMessage());
        }
    }
}
