package dev.gan4j.autograd;

import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reverse-mode engine: graph shapes, accumulation, graph release, in-place detection and grad modes. */
class EngineTest {

    private final TestData r = new TestData(2024);

    private static Variable leaf(Tensor t) {
        return Variable.of(t, true);
    }

    private static Variable leaf(double... values) {
        return leaf(TestData.f64(values, values.length));
    }

    private static void assertValues(double[] expected, Tensor actual) {
        assertArrayEquals(expected, actual.toDoubleArray(), 1e-12);
    }

    /** Runs {@code body} on a thread with a 256 KiB stack: a recursive graph walk would overflow it. */
    private static void onSmallStack(Runnable body) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "small-stack", 256 * 1024);
        t.start();
        t.join();
        if (failure.get() != null) throw new AssertionError("failed on a small stack: " + failure.get(), failure.get());
    }

    // ---- graph shapes ----

    @Test
    void twentyLayerNetworkMatchesFiniteDifferences() throws InterruptedException {
        List<Tensor> weights = new ArrayList<>();
        for (int l = 0; l < 20; l++) weights.add(r.randn(3, 3).mul(0.8));
        onSmallStack(() -> GradCheck.gradcheck(v -> {
            Variable h = v.get(0);
            for (int l = 0; l < 20; l++) {
                Variable w = l == 0 ? v.get(1) : Variable.constant(weights.get(l));
                h = Functional.linear(h, w, null).tanh();
            }
            return h;
        }, List.of(r.randn(2, 3), weights.get(0).copy())));
    }

    @Test
    void tenThousandLongChain() throws InterruptedException {
        onSmallStack(() -> {
            Variable x = leaf(0.5, -0.25);
            Variable y = x;
            for (int i = 0; i < 10_000; i++) y = y.mul(1.0001);
            y.sum().backward();
            double expected = Math.pow(1.0001, 10_000);
            assertValues(new double[] {expected, expected}, x.grad());
        });
    }

    @Test
    void tenThousandLongChainTwiceDifferentiated() throws InterruptedException {
        onSmallStack(() -> {
            Variable x = leaf(0.3);
            Variable y = x;
            for (int i = 0; i < 10_000; i++) y = y.mul(x.rsub(1.0001)).add(x); // y' depends on x at every step
            Variable dy = Autograd.grad(y.sum(), x, true);
            Variable ddy = Autograd.grad(dy.sum(), x, false);
            assertTrue(Double.isFinite(ddy.item()));
        });
    }

    @Test
    void tenThousandSeparateProductsSummedWideAndAsAChain() throws InterruptedException {
        onSmallStack(() -> {
            int n = 10_000;
            List<Variable> a = new ArrayList<>();
            List<Variable> b = new ArrayList<>();
            List<Variable> products = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                a.add(leaf(i * 1e-3));
                b.add(leaf(1 + i % 7));
                products.add(a.get(i).mul(b.get(i)));
            }
            // One node with 10 000 inputs.
            Functional.concat(products, 0).sum().backward();
            // A 10 000-long chain of additions over fresh products.
            Variable total = a.get(0).mul(b.get(0));
            for (int i = 1; i < n; i++) total = total.add(a.get(i).mul(b.get(i)));
            total.backward();
            for (int i = 0; i < n; i += 997) {
                assertEquals(2 * (1 + i % 7), a.get(i).grad().item(), 1e-12);
                assertEquals(2 * i * 1e-3, b.get(i).grad().item(), 1e-12);
            }
        });
    }

    @Test
    void reusedTensorGetsTheSumOfItsGradients() {
        Variable x = leaf(2, -1);
        Variable total = x.mul(0);
        for (int k = 1; k <= 100; k++) total = total.add(x.mul(k));
        Variable diamond = x.exp().mul(x.exp()); // two paths through x
        total.add(diamond).sum().backward();
        assertValues(new double[] {5050 + 2 * Math.exp(4), 5050 + 2 * Math.exp(-2)}, x.grad());
    }

    @Test
    void gradWithRespectToAnIntermediateAndItsInput() {
        Variable x = leaf(1.5);
        Variable h = x.mul(2);
        List<Variable> g = Autograd.grad(List.of(h.mul(h).sum()), List.of(h, x), null, false);
        assertEquals(6, g.get(0).item(), 1e-12);
        assertEquals(12, g.get(1).item(), 1e-12);
    }

    @Test
    void outputThatIsAnAncestorOfAnotherOutput() {
        Variable x = leaf(2);
        Variable y1 = x.mul(x);
        Variable y2 = y1.mul(3);
        Variable g = Autograd.grad(List.of(y1.sum(), y2.sum()), List.of(x), null, false).get(0);
        assertEquals(4 * 2 * 2, g.item(), 1e-12);
    }

    // ---- conventions at non-differentiable points ----

    @Test
    void subgradientsAtKinksAndTies() {
        Variable x = leaf(-1, 0, 0.5, 2);
        assertValues(new double[] {0, 0, 1, 1}, Autograd.grad(x.relu().sum(), x, false).data());
        assertValues(new double[] {-1, 0, 1, 1}, Autograd.grad(x.abs().sum(), x, false).data());
        assertValues(new double[] {0, 1, 1, 0}, Autograd.grad(x.clamp(0, 0.5).sum(), x, false).data());
        Variable t = leaf(1, 3, 3);
        assertValues(new double[] {0, 0.5, 0.5}, Autograd.grad(t.max(new int[] {0}, false), t, false).data());
        assertValues(new double[] {0, 0, 0, 0}, Autograd.grad(x.pow(0).sum(), x, false).data());
    }

    // ---- graph release ----

    @Test
    void backwardTwiceWithoutRetainGraphIsAClearError() {
        Variable x = leaf(1, 2);
        Variable y = x.exp().sum();
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("second time") && e.getMessage().contains("retainGraph"), e.getMessage());
    }

    @Test
    void backwardTwiceWithRetainGraphAccumulates() {
        Variable x = leaf(1, 2);
        Variable y = x.exp().sum();
        y.backward(Tensor.onesLike(y.data()), true);
        y.backward();
        assertValues(new double[] {2 * Math.exp(1), 2 * Math.exp(2)}, x.grad());
    }

    @Test
    void functionalGradFreesTheGraphUnlessCreateGraph() {
        Variable x = leaf(1, 2);
        Variable y = x.tanh().sum();
        Autograd.grad(y, x, true);
        Autograd.grad(y, x, false);
        assertThrows(IllegalStateException.class, () -> Autograd.grad(y, x, false));
    }

    // ---- in-place modification ----

    @Test
    void inPlaceFillOfASavedInputIsDetected() {
        Variable x = leaf(1, 2);
        Variable w = leaf(3, 4);
        Variable y = x.mul(w).sum();
        x.data().fill(0);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("modified in place") && e.getMessage().contains("'mul'"), e.getMessage());
    }

    @Test
    void inPlaceAssignToASavedOutputIsDetected() {
        Variable x = leaf(1, 2);
        Variable e = x.exp();
        Variable y = e.sum();
        e.data().assign(Tensor.zerosLike(e.data()));
        IllegalStateException error = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(error.getMessage().contains("output of 'exp'"), error.getMessage());
    }

    @Test
    void writingIntoAWhereMaskAfterTheForwardPassDoesNotChangeTheGradient() {
        Variable a = leaf(1, 2, 3);
        Variable b = leaf(4, 5, 6);
        Tensor mask = TestData.f64(new double[] {1, 0, 1}, 3);
        Variable y = Variable.where(mask, a, b).sum();
        mask.fill(0);
        y.backward();
        assertValues(new double[] {1, 0, 1}, a.grad());
        assertValues(new double[] {0, 1, 0}, b.grad());
    }

    @Test
    void maximumAndMinimumSplitTheGradientAtTies() {
        Variable a = leaf(1, 5, 3);
        Variable b = leaf(2, 5, 0);
        a.maximum(b).sum().backward();
        assertValues(new double[] {0, 0.5, 1}, a.grad());
        assertValues(new double[] {1, 0.5, 0}, b.grad());
        Variable c = leaf(1, 5, 3);
        Variable d = leaf(2, 5, 0);
        c.minimum(d).sum().backward();
        assertValues(new double[] {1, 0.5, 0}, c.grad());
        assertValues(new double[] {0, 0.5, 1}, d.grad());
    }

    @Test
    void inPlaceWriteThroughAViewIsDetected() {
        Variable x = leaf(r.randn(2, 3));
        Variable y = x.reshape(3, 2).t().relu().sum();
        x.data().narrow(0, 1, 1).fill(5);
        assertThrows(IllegalStateException.class, y::backward);
    }

    @Test
    void inPlaceWriteToATensorBackwardDoesNotReadIsAllowed() {
        Variable x = leaf(1, 2);
        Variable w = leaf(3, 4);
        Variable y = x.add(w).mul(2).sum();
        x.data().fill(7);
        y.backward();
        assertValues(new double[] {2, 2}, x.grad());
    }

    @Test
    void replacingASavedLeafsDataIsDetected() {
        Variable x = leaf(1, 2);
        Variable w = leaf(3, 4);
        Variable y = x.mul(w).sum();
        x.setData(TestData.f64(new double[] {5, 6}, 2));
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("'mul'"), e.getMessage());
    }

    @Test
    void setDataToAnotherDtypeConvertsTheGradientToo() {
        Variable x = leaf(1, 2);
        x.mul(x).sum().backward();
        x.setData(x.data().to(dev.gan4j.tensor.DType.F32));
        assertEquals(dev.gan4j.tensor.DType.F32, x.grad().dtype());
        x.mul(x).sum().backward();
        assertArrayEquals(new float[] {4, 8}, x.grad().toFloatArray());
    }

    // ---- grad modes, detach, zeroGrad ----

    @Test
    void noGradRecordsNothingAndRestoresTheMode() {
        Variable x = leaf(1, 2);
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            assertFalse(Autograd.isGradEnabled());
            Variable y = x.mul(2).exp();
            assertFalse(y.requiresGrad());
            assertTrue(y.isLeaf());
            try (Autograd.Scope inner = Autograd.setGradEnabled(true)) {
                assertTrue(x.mul(2).requiresGrad());
            }
            assertFalse(Autograd.isGradEnabled());
        }
        assertTrue(Autograd.isGradEnabled());
        assertThrows(IllegalStateException.class, () -> {
            try (Autograd.Scope ignored = Autograd.noGrad()) {
                throw new IllegalStateException("boom");
            }
        });
        assertTrue(Autograd.isGradEnabled());
    }

    @Test
    void noGradIsPerThread() throws InterruptedException {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            boolean[] other = new boolean[1];
            Thread t = new Thread(() -> other[0] = Autograd.isGradEnabled());
            t.start();
            t.join();
            assertTrue(other[0]);
        }
    }

    @Test
    void detachCutsTheGraphAndSharesData() {
        Variable x = leaf(1, 2);
        Variable d = x.detach();
        assertFalse(d.requiresGrad());
        assertSame(x.data(), d.data());
        d.mul(x).sum().backward();
        assertValues(new double[] {1, 2}, x.grad());
    }

    @Test
    void gradientsAccumulateAcrossBackwardsUntilZeroGrad() {
        Variable x = leaf(1, 2);
        x.mul(3).sum().backward();
        x.mul(x).sum().backward();
        assertValues(new double[] {5, 7}, x.grad());
        x.zeroGrad();
        assertNull(x.grad());
        x.mul(3).sum().backward();
        assertValues(new double[] {3, 3}, x.grad());
    }

    @Test
    void leafGradientsAreDenseAndNotShared() {
        Variable a = leaf(r.randn(2, 3));
        Variable b = leaf(r.randn(2, 3));
        Tensor seed = r.randn(2, 3);
        a.add(b).backward(seed, false);
        assertNotSame(a.grad().storage(), b.grad().storage());
        assertNotSame(seed.storage(), a.grad().storage());
        Variable c = leaf(r.randn(2, 3));
        c.sum().backward(); // the gradient of a sum is an expanded view of one element
        assertTrue(c.grad().layout().isContiguous());
        c.grad().fill(0); // an in-place edit of a .grad (e.g. clipping) must not leak elsewhere
        assertValues(seed.toDoubleArray(), a.grad());
    }

    // ---- explicit gradients and errors ----

    @Test
    void backwardWithAnExplicitGradient() {
        Variable x = leaf(r.randn(2, 3));
        Tensor g = r.randn(2, 3);
        x.mul(3).backward(g, false);
        assertValues(g.mul(3).toDoubleArray(), x.grad());
    }

    @Test
    void backwardOfANonScalarNeedsAGradient() {
        Variable x = leaf(1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.mul(2).backward());
        assertTrue(e.getMessage().contains("not a scalar"), e.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> x.mul(2).backward(Tensor.onesLike(r.randn(3)), false));
        assertTrue(shape.getMessage().contains("does not match"), shape.getMessage());
    }

    @Test
    void transposeOfANonMatrixIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> leaf(r.randn(2, 3, 4)).t());
        assertTrue(e.getMessage().contains("[2, 3, 4]"), e.getMessage());
    }

    @Test
    void backwardOfAConstantIsAClearError() {
        Variable c = Variable.constant(r.randn());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::backward);
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
    }

    @Test
    void gradOfAnUnusedInputIsAnError() {
        Variable x = leaf(1, 2);
        Variable unused = leaf(3);
        Variable y = x.exp().sum();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autograd.grad(List.of(y), List.of(x, unused), null, false));
        assertTrue(e.getMessage().contains("input 1") && e.getMessage().contains("not used"), e.getMessage());
        List<Variable> g = Autograd.grad(List.of(x.exp().sum()), List.of(x, unused), null, false, true);
        assertNull(g.get(1));
        assertThrows(IllegalArgumentException.class,
                () -> Autograd.grad(x.exp().sum(), Variable.constant(r.randn(2)), false));
    }

    @Test
    void functionalGradLeavesDotGradAlone() {
        Variable x = leaf(1, 2);
        Variable g = Autograd.grad(x.mul(x).sum(), x, false);
        assertValues(new double[] {2, 4}, g.data());
        assertNull(x.grad());
        Tensor before = TestData.f64(new double[] {9, 9}, 2);
        x.setGrad(before);
        Autograd.grad(x.mul(x).sum(), x, true);
        assertSame(before, x.grad());
        assertValues(new double[] {9, 9}, x.grad());
    }

    // ---- batch norm's side effects ----

    @Test
    void batchNormUpdatesRunningStatsOutsideTheGraph() {
        Tensor xData = r.randn(4, 2, 3);
        Tensor runningMean = TestData.f64(new double[] {0.5, -0.5}, 2);
        Tensor runningVar = TestData.f64(new double[] {1, 2}, 2);
        Variable x = leaf(xData);
        Variable gamma = leaf(r.positive(2));
        Variable beta = leaf(r.randn(2));
        Variable y = Functional.batchNorm(x, runningMean, runningVar, gamma, beta, true, 0.1, 1e-5);
        Tensor mean = xData.mean(new int[] {0, 2}, false);
        Tensor var = xData.var(new int[] {0, 2}, false, 1);
        assertValues(mean.mul(0.1).add(TestData.f64(new double[] {0.45, -0.45}, 2)).toDoubleArray(), runningMean);
        assertValues(var.mul(0.1).add(TestData.f64(new double[] {0.9, 1.8}, 2)).toDoubleArray(), runningVar);
        // The same gradient as without running statistics: they are not part of the graph.
        Tensor g = r.randn(4, 2, 3);
        List<Variable> with = Autograd.grad(List.of(y), List.of(x, gamma, beta), List.of(g), false);
        Variable y2 = Functional.batchNorm(x, null, null, gamma, beta, true, 0.1, 1e-5);
        List<Variable> without = Autograd.grad(List.of(y2), List.of(x, gamma, beta), List.of(g), false);
        for (int i = 0; i < 3; i++) assertValues(without.get(i).data().toDoubleArray(), with.get(i).data());
    }

    @Test
    void batchNormBackwardThroughARetainedGraphUsesTheNewGradient() {
        Variable x = leaf(r.randn(4, 3));
        Variable gamma = leaf(r.positive(3));
        Variable y = Functional.batchNorm(x, null, null, gamma, null, true, 0.1, 1e-5);
        Tensor g1 = r.randn(4, 3);
        Tensor g2 = r.randn(4, 3);
        y.backward(g1, true);
        Tensor afterFirst = x.grad();
        x.zeroGrad();
        gamma.zeroGrad();
        y.backward(g2, false);
        Variable fresh = Functional.batchNorm(x, null, null, gamma, null, true, 0.1, 1e-5);
        List<Variable> expected = Autograd.grad(List.of(fresh), List.of(x, gamma), List.of(g2), false);
        assertValues(expected.get(0).data().toDoubleArray(), x.grad());
        assertValues(expected.get(1).data().toDoubleArray(), gamma.grad());
        assertFalse(java.util.Arrays.equals(afterFirst.toDoubleArray(), x.grad().toDoubleArray()));
    }
}
