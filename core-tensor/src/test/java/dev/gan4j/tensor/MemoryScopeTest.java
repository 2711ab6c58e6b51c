package dev.gan4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gan4j.tensor.backend.AllocatorStats;
import dev.gan4j.tensor.backend.Backends;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The memory scope and the CPU buffer cache: released storages refuse use, results the user keeps are
 * never overwritten by later ops, recycled (dirty) buffers give bit-identical results, and a repeated
 * step is served from the cache.
 */
class MemoryScopeTest {

    private static Tensor random(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape);
    }

    @Test void aTensorUsedAfterItsScopeClosedFailsLoudly() {
        Tensor x = random(1, 4, 4);
        Tensor inside;
        try (MemoryScope ignored = MemoryScope.open()) {
            inside = x.mul(2);
        }
        Tensor stale = inside;
        IllegalStateException e = assertThrows(IllegalStateException.class, stale::toFloatArray);
        assertTrue(e.getMessage().contains("released"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> stale.add(x));
        assertThrows(IllegalStateException.class, () -> x.add(stale));
        assertThrows(IllegalStateException.class, () -> stale.reshape(16).sum());
        assertThrows(IllegalStateException.class, () -> stale.fill(0));
    }

    @Test void storagesMadeOutsideAnyScopeAreNeverReleased() {
        Tensor outside = random(2, 8);
        float[] before = outside.toFloatArray();
        try (MemoryScope ignored = MemoryScope.open()) {
            outside.add(1).mul(3);
        }
        assertArrayEquals(before, outside.toFloatArray());
    }

    @Test void keepHandsAResultToTheEnclosingScopeAndPersistToNone() {
        Tensor x = random(3, 16);
        Tensor kept;
        Tensor persisted;
        try (MemoryScope outer = MemoryScope.open()) {
            try (MemoryScope inner = MemoryScope.open()) {
                kept = inner.keep(x.mul(2));
                persisted = MemoryScope.persist(x.mul(3));
            }
            assertEquals(2 * x.get(5), kept.get(5), 1e-6);   // alive in the outer scope
        }
        assertThrows(IllegalStateException.class, kept::toFloatArray);
        assertEquals(3 * x.get(5), persisted.get(5), 1e-6);
    }

    @Test void aKeptResultIsNeverOverwrittenByLaterOpsThatRecycleBuffers() {
        Tensor x = random(4, 64, 32);
        Tensor result;
        float[] expected;
        try (MemoryScope step = MemoryScope.open()) {
            result = step.keep(x.mul(x).add(1));
            expected = result.toFloatArray();
        }
        // Many steps of the same shapes: every buffer of that size that is free gets reused, but not result's.
        for (int i = 0; i < 20; i++) {
            try (MemoryScope ignored = MemoryScope.open()) {
                x.mul(x).add(1).neg().exp().fill(Float.NaN);
            }
        }
        assertArrayEquals(expected, result.toFloatArray());
    }

    @Test void closingOutOfOrderIsAnError() {
        MemoryScope outer = MemoryScope.open();
        MemoryScope inner = MemoryScope.open();
        IllegalStateException e = assertThrows(IllegalStateException.class, outer::close);
        assertTrue(e.getMessage().contains("reverse order"), e.getMessage());
        inner.close();
        outer.close();
        outer.close();  // idempotent
        assertTrue(!MemoryScope.isOpen());
    }

    @Test void zerosFromARecycledBufferAreZero() {
        try (MemoryScope ignored = MemoryScope.open()) {
            Tensor.full(7, 33, 5);
        }
        try (MemoryScope ignored = MemoryScope.open()) {
            assertArrayEquals(new float[33 * 5], Tensor.zeros(33, 5).toFloatArray());
        }
    }

    @Test void aRepeatedStepIsServedFromTheCacheAndItsPeakIsStable() {
        Tensor w = random(5, 48, 48);
        Tensor x = random(6, 32, 48);
        Supplier<Tensor> step = () -> x.matmul(w).relu().matmul(w.t()).sum();
        try (MemoryScope ignored = MemoryScope.open()) {
            step.get();
        }
        MemoryScope.resetPeak(Device.CPU);
        long peakAfterWarmUp = -1;
        AllocatorStats start = Backends.cpu().allocatorStats();
        for (int i = 0; i < 50; i++) {
            try (MemoryScope ignored = MemoryScope.open()) {
                step.get().item();
            }
            if (i == 0) peakAfterWarmUp = MemoryScope.peakBytes(Device.CPU);
        }
        AllocatorStats steady = Backends.cpu().allocatorStats().since(start);
        assertEquals(0, steady.misses(), steady.toString());
        assertTrue(steady.hits() >= 50 * 4, steady.toString());
        assertEquals(peakAfterWarmUp, MemoryScope.peakBytes(Device.CPU));
        assertTrue(peakAfterWarmUp >= 2L * 32 * 48 * Float.BYTES, "peak " + peakAfterWarmUp);
    }

    /**
     * Every op whose output is allocated without zero-filling, run twice: on fresh (zeroed) buffers, then
     * on recycled buffers poisoned with NaN. A kernel that relied on a zeroed output would differ.
     */
    @Test void recycledDirtyBuffersGiveIdenticalResults() {
        List<float[]> fresh = runEveryOverwritingOp(false);
        List<float[]> recycled = runEveryOverwritingOp(true);
        for (int i = 0; i < fresh.size(); i++) assertArrayEquals(fresh.get(i), recycled.get(i), "result " + i);
    }

    private static List<float[]> runEveryOverwritingOp(boolean poisonFirst) {
        if (poisonFirst) {
            // Leaves NaN-filled buffers of every size the ops below ask for in the cache.
            try (MemoryScope ignored = MemoryScope.open()) {
                for (Tensor t : everyOverwritingOp()) t.fill(Float.NaN);
            }
        }
        List<float[]> out = new ArrayList<>();
        try (MemoryScope ignored = MemoryScope.open()) {
            for (Tensor t : everyOverwritingOp()) out.add(t.toFloatArray());
        }
        return out;
    }

    private static List<Tensor> everyOverwritingOp() {
        Tensor x = random(7, 3, 4, 9, 9);
        Tensor w = random(8, 5, 4, 3, 3);
        Tensor gamma = random(9, 4);
        Tensor beta = random(10, 4);
        List<Tensor> out = new ArrayList<>();
        out.add(x.exp());
        out.add(x.add(gamma.reshape(1, 4, 1, 1)));
        out.add(Tensor.where(x.gt(0), x, gamma.reshape(1, 4, 1, 1)));
        out.add(x.sum(new int[] {0, 2, 3}, true));
        out.add(x.argmax(3, true));
        out.add(x.permute(0, 2, 1, 3).contiguous());
        out.add(x.to(DType.F64).to(DType.F32));
        out.add(x.reshape(12, 81).matmul(random(11, 81, 7)));
        ConvParams p = ConvParams.of(2, 1);
        Tensor y = Tensor.conv2d(x, w, null, p);
        out.add(y);
        out.add(Tensor.conv2dBackwardInput(y, w, x.shape(), p));
        out.add(Tensor.conv2dBackwardWeight(x, y, w.shape(), p));
        Tensor.BatchNormResult bn = Tensor.batchNormTraining(x, gamma, beta, null, null, 0.1, 1e-5);
        out.add(bn.output());
        out.add(bn.mean());
        out.add(bn.invStd());
        Tensor.BatchNormGrads g = Tensor.batchNormBackward(x, bn.output(), gamma, bn.mean(), bn.invStd());
        out.add(g.input());
        out.add(g.gamma());
        out.add(g.beta());
        out.add(Tensor.batchNormInference(x, gamma, beta, bn.mean(), bn.invStd(), 1e-5));
        Tensor.MaxPoolResult mp = x.maxPool2dWithIndices(2, 2, 0);
        out.add(mp.output());
        out.add(mp.argmax());
        out.add(Tensor.maxPool2dBackward(mp.output(), mp.argmax(), x.shape(), 2, 2, 0));
        Tensor avg = x.avgPool2d(3, 2, 1);
        out.add(avg);
        out.add(Tensor.avgPool2dBackward(avg, x.shape(), 3, 2, 1));
        out.add(x.indexSelect(1, new int[] {3, 0, 3}));
        return out;
    }
}
