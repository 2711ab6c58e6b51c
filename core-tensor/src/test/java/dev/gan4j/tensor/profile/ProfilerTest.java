package dev.gan4j.tensor.profile;

import dev.gan4j.tensor.ConvParams;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.MemoryScope;
import dev.gan4j.tensor.Tensor;
import dev.gan4j.tensor.backend.AllocatorStats;
import dev.gan4j.tensor.backend.Backend;
import dev.gan4j.tensor.backend.Backends;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProfilerTest {

    private final Generator gen = new Generator(3);

    @Test
    void countsCallsAndFlopsPerOpAndPhase() {
        Tensor a = Tensor.randn(gen, 4, 3);
        Tensor b = Tensor.randn(gen, 3, 5);
        Tensor x = Tensor.randn(gen, 2, 3, 8, 8);
        Tensor w = Tensor.randn(gen, 6, 3, 3, 3);
        Profiler profiler = new Profiler();
        try (Profiler.Recording ignored = profiler.start()) {
            a.matmul(b);
            a.matmul(b);
            Tensor.conv2d(x, w, null, ConvParams.of(2, 1));
            try (Profiler.Scope backward = Profiler.phase(Phase.BACKWARD)) {
                a.add(a).exp();
            }
            a.mul(a);
        }
        ProfileReport report = profiler.report();

        ProfileReport.Row matmul = report.row(Phase.FORWARD, "cpu", "matmul");
        assertEquals(2, matmul.calls());
        assertEquals(2 * (2L * 4 * 3 * 5), matmul.flops(), "a multiply-add per (row, column, inner) index");
        // 2 images x 6 output channels x 4x4 positions, each a 3x3x3 window: one multiply-add per tap.
        assertEquals(2L * 2 * 6 * 4 * 4 * 3 * 3 * 3, report.row(Phase.FORWARD, "cpu", "conv2d").flops());
        assertEquals(12, report.row(Phase.BACKWARD, "cpu", "add").flops(), "one per output element");
        assertEquals(1, report.row(Phase.BACKWARD, "cpu", "exp").calls());
        assertNull(report.row(Phase.FORWARD, "cpu", "add"), "the add ran in the backward phase only");
        assertEquals(1, report.row(Phase.FORWARD, "cpu", "mul").calls(), "the phase ends with its scope");
        assertTrue(report.row(Phase.FORWARD, "cpu", "allocate").calls() >= 4, "each op allocates its output");
        assertEquals(1, report.recordings());
        assertTrue(report.kernelNanos() > 0 && report.kernelNanos() <= report.wallNanos(),
                "kernels run inside the recording: " + report.kernelNanos() + " of " + report.wallNanos() + " ns");
    }

    @Test
    void recordingsOfOneProfilerAddUpAndTheBackendIsPlainOutsideThem() {
        Backend plain = Backends.of(Device.CPU);
        Tensor a = Tensor.ones(10);
        Profiler profiler = new Profiler();
        for (int i = 0; i < 3; i++) {
            try (Profiler.Recording ignored = profiler.start()) {
                assertNotSame(plain, Backends.of(Device.CPU), "a timing decorator while recording");
                a.neg();
            }
        }
        a.neg();
        assertSame(plain, Backends.of(Device.CPU));
        assertEquals(3, profiler.report().recordings());
        assertEquals(3, profiler.report().row(Phase.FORWARD, "cpu", "neg").calls(), "calls outside recordings are not counted");
    }

    @Test
    void aFailureInsideARecordingStillEndsIt() {
        Profiler profiler = new Profiler();
        assertThrows(IllegalArgumentException.class, () -> {
            try (Profiler.Recording ignored = profiler.start()) {
                Tensor.ones(2, 3).matmul(Tensor.ones(2, 3));
            }
        });
        assertSame(Backends.cpu(), Backends.of(Device.CPU));
        try (Profiler.Recording ignored = new Profiler().start()) {
            Tensor.ones(1).neg();
        }
    }

    @Test
    void recordingsDoNotNest() {
        Profiler outer = new Profiler();
        try (Profiler.Recording ignored = outer.start()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Profiler().start());
            assertTrue(e.getMessage().contains("already running"), e.getMessage());
        }
    }

    @Test
    void closingARecordingTwiceLeavesTheNextOneRunning() {
        Profiler first = new Profiler();
        Profiler.Recording done = first.start();
        done.close();
        Profiler second = new Profiler();
        try (Profiler.Recording ignored = second.start()) {
            done.close();
            Tensor.ones(2).neg();
        }
        assertEquals(1, first.report().recordings());
        assertEquals(1, second.report().row(Phase.FORWARD, "cpu", "neg").calls(), "still recorded by the second");
    }

    @Test
    void phasesOutsideARecordingChangeNothing() {
        try (Profiler.Scope ignored = Profiler.phase(Phase.OPTIMIZER)) {
            Tensor.ones(3).neg();
        }
        Profiler profiler = new Profiler();
        try (Profiler.Recording ignored = profiler.start()) {
            Tensor.ones(3).neg();
        }
        assertEquals(1, profiler.report().row(Phase.FORWARD, "cpu", "neg").calls());
    }

    @Test
    void tableAndCsvListEveryRowAndTheTotals() {
        Profiler profiler = new Profiler();
        try (Profiler.Recording ignored = profiler.start()) {
            Tensor.randn(gen, 8, 8).matmul(Tensor.randn(gen, 8, 8));
            try (Profiler.Scope optimiser = Profiler.phase(Phase.OPTIMIZER)) {
                Tensor.ones(4).sqrt();
            }
        }
        ProfileReport report = profiler.report();
        String table = report.table();
        assertTrue(table.startsWith("profile of 1 recording(s) on cpu"), table);
        assertTrue(table.contains("optimiser  cpu     sqrt"), table);
        assertTrue(table.contains("(all forward)") && table.contains("outside kernels") && table.contains("wall-clock"), table);
        String[] csv = report.csv().split("\n");
        assertEquals("phase,device,op,calls,total_ms,share,flops,gflops_per_s", csv[0]);
        assertEquals(report.rows().size() + 1, csv.length);
        assertTrue(report.csv().contains("\nforward,cpu,matmul,1,"), report.csv());
    }

    @Test
    void reportsTheAllocatorsHitsAndMissesOfTheRecordedSteps() {
        Tensor a = Tensor.randn(gen, 37, 41);
        Profiler profiler = new Profiler("step");
        for (int step = 0; step < 3; step++) {
            try (MemoryScope scope = MemoryScope.open(); Profiler.Recording ignored = profiler.start()) {
                a.mul(a).add(a).exp();
            }
        }
        a.mul(a);  // outside any recording: not counted
        ProfileReport report = profiler.report();
        AllocatorStats cpu = report.memory().get("cpu");
        // Three outputs a step; the scope of a step gives them back, so the later steps are served from the cache.
        assertEquals(9, cpu.hits() + cpu.misses(), "every allocation of the recorded steps, and only those");
        assertTrue(cpu.hits() >= 6, "steps 2 and 3 reuse step 1's buffers: " + cpu);
        assertTrue(report.scopePeakBytes().get("cpu") >= 3L * 37 * 41 * 4, "a step's three outputs were held at once");
        assertTrue(report.table().contains("memory cpu: "), report.table());
    }
}
