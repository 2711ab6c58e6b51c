package dev.gan4j.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import dev.gan4j.tensor.backend.AdamStep;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fused Adam update against its reference, the chain of elementwise tensor ops it replaced: the same
 * bits in float32 and float64, over several steps (the moments carry over), for sizes around the vector
 * width and the parallel grain, with weight decay and AMSGrad; the plain-Java path against the vector one.
 */
class AdamStepTest {

    private static final int[] SIZES = {1, 5, 15, 16, 17, 63, 1000, 70_001};
    private static final List<AdamStep> SETTINGS = List.of(
            new AdamStep(2e-4, 0.5, 0.999, 1e-8, 0, false, 1),
            new AdamStep(1e-3, 0.9, 0.999, 1e-8, 0.01, false, 1),
            new AdamStep(0.05, 0.0, 0.5, 1e-6, 0.05, true, 1),
            new AdamStep(0.01, 0.8, 0.9, 1e-3, 0, true, 1));

    /** Parameter, gradients of three steps, and the moments: each in its own buffers. */
    private record State(Tensor param, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq) {
        static State start(DType dtype, int size, boolean amsgrad) {
            Tensor p = Tensor.normal(new Generator(size), 0, 1, dtype, Device.CPU, size);
            return new State(p, Tensor.zeros(dtype, Device.CPU, size), Tensor.zeros(dtype, Device.CPU, size),
                    amsgrad ? Tensor.zeros(dtype, Device.CPU, size) : null);
        }

        List<Tensor> all() {
            return maxExpAvgSq == null ? List.of(param, expAvg, expAvgSq) : List.of(param, expAvg, expAvgSq, maxExpAvgSq);
        }
    }

    private static Tensor gradient(DType dtype, int size, int step) {
        // Some gradients of zero, and some tiny ones, as dead units and converged weights give.
        Tensor g = Tensor.normal(new Generator(1000 + step), 0, 1, dtype, Device.CPU, size);
        return g.mul(g.gt(-1.5)).mul(Tensor.normal(new Generator(2000 + step), 0, 1, dtype, Device.CPU, size).gt(1)
                .mul(1e-6 - 1).add(1));
    }

    /** The update as Adam wrote it before the fused kernel, one tensor op at a time. */
    private static State chain(State s, Tensor grad, AdamStep h) {
        Tensor g = h.weightDecay() != 0 ? grad.add(s.param.mul(h.weightDecay())) : grad;
        Tensor m = s.expAvg.mul(h.beta1()).add(g.mul(1 - h.beta1()));
        Tensor v = s.expAvgSq.mul(h.beta2()).add(g.mul(g).mul(1 - h.beta2()));
        Tensor max = h.amsgrad() ? s.maxExpAvgSq.maximum(v) : null;
        double biasCorrection1 = 1 - Math.pow(h.beta1(), h.step());
        double biasCorrection2 = 1 - Math.pow(h.beta2(), h.step());
        Tensor denom = (h.amsgrad() ? max : v).sqrt().div(Math.sqrt(biasCorrection2)).add(h.eps());
        return new State(s.param.sub(m.div(denom).mul(h.lr() / biasCorrection1)), m, v, max);
    }

    private static AdamStep at(AdamStep h, long step) {
        return new AdamStep(h.lr(), h.beta1(), h.beta2(), h.eps(), h.weightDecay(), h.amsgrad(), step);
    }

    private static void assertSameBits(State expected, State actual, String what) {
        for (int i = 0; i < expected.all().size(); i++) {
            assertArrayEquals(expected.all().get(i).toDoubleArray(), actual.all().get(i).toDoubleArray(),
                    what + ": tensor " + i + " (param, exp_avg, exp_avg_sq, max_exp_avg_sq)");
        }
    }

    @Test
    void fusedUpdateHasTheBitsOfTheChainOfOps() {
        for (DType dtype : DType.values()) {
            for (AdamStep h : SETTINGS) {
                for (int size : SIZES) {
                    State expected = State.start(dtype, size, h.amsgrad());
                    State fused = State.start(dtype, size, h.amsgrad());
                    for (int step = 1; step <= 3; step++) {
                        Tensor grad = gradient(dtype, size, step);
                        expected = chain(expected, grad, at(h, step));
                        Tensor.adamStep(fused.param, grad, fused.expAvg, fused.expAvgSq, fused.maxExpAvgSq, at(h, step));
                        assertSameBits(expected, fused, dtype + " " + h + " size " + size + " step " + step);
                    }
                }
            }
        }
    }

    @Test
    void plainJavaPathHasTheBitsOfTheVectorPath() {
        int size = 1000;
        for (AdamStep h : SETTINGS) {
            State vector = State.start(DType.F32, size, h.amsgrad());
            State plain = State.start(DType.F32, size, h.amsgrad());
            for (int step = 1; step <= 3; step++) {
                Tensor grad = gradient(DType.F32, size, step);
                Tensor.adamStep(vector.param, grad, vector.expAvg, vector.expAvgSq, vector.maxExpAvgSq, at(h, step));
                AdamKernels.scalar(cpu(plain.param), cpu(grad), cpu(plain.expAvg), cpu(plain.expAvgSq),
                        plain.maxExpAvgSq == null ? null : cpu(plain.maxExpAvgSq), 0, size, at(h, step));
                assertSameBits(vector, plain, h + " step " + step);
            }
        }
    }

    private static CpuStorage cpu(Tensor t) {
        return (CpuStorage) t.storage();
    }

    @Test
    void theTensorsWrittenChangeVersionAndTheGradientDoesNot() {
        State s = State.start(DType.F32, 8, true);
        Tensor grad = gradient(DType.F32, 8, 1);
        int[] before = s.all().stream().mapToInt(t -> t.storage().version()).toArray();
        int gradBefore = grad.storage().version();
        float[] gradValues = grad.toFloatArray();
        Tensor.adamStep(s.param, grad, s.expAvg, s.expAvgSq, s.maxExpAvgSq, SETTINGS.get(2));
        for (int i = 0; i < before.length; i++) assertTrue(s.all().get(i).storage().version() > before[i], "tensor " + i);
        assertEquals(gradBefore, grad.storage().version());
        assertArrayEquals(gradValues, grad.toFloatArray());
    }

    @Test
    void aStridedGradientIsReadThroughItsView() {
        Tensor wide = Tensor.normal(new Generator(4), 0, 1, DType.F32, Device.CPU, 6, 4);
        State dense = State.start(DType.F32, 12, false);
        State strided = State.start(DType.F32, 12, false);
        AdamStep h = SETTINGS.get(1);
        Tensor.adamStep(dense.param.reshape(6, 2), wide.slice(1, 0, 4, 2).contiguous(), dense.expAvg.reshape(6, 2),
                dense.expAvgSq.reshape(6, 2), null, h);
        Tensor.adamStep(strided.param.reshape(6, 2), wide.slice(1, 0, 4, 2), strided.expAvg.reshape(6, 2),
                strided.expAvgSq.reshape(6, 2), null, h);
        assertSameBits(dense, strided, "strided gradient");
    }

    @Test
    void badArgumentsFailNamingTheTensor() {
        State s = State.start(DType.F32, 6, false);
        Tensor grad = gradient(DType.F32, 6, 1);
        AdamStep h = SETTINGS.get(0);
        assertMessage("grad has shape [5]", () -> Tensor.adamStep(s.param, grad.narrow(0, 0, 5), s.expAvg, s.expAvgSq, null, h));
        assertMessage("exp_avg_sq has shape [2, 3]",
                () -> Tensor.adamStep(s.param, grad, s.expAvg, s.expAvgSq.reshape(2, 3), null, h));
        assertMessage("exp_avg must be a dense tensor", () -> Tensor.adamStep(s.param.reshape(2, 3),
                grad.reshape(2, 3), s.expAvg.reshape(3, 2).t(), s.expAvgSq.reshape(2, 3), null, h));
        assertMessage("param and exp_avg_sq share storage", () -> Tensor.adamStep(s.param, grad, s.expAvg, s.param, null, h));
        assertMessage("different dtypes", () -> Tensor.adamStep(s.param, grad.to(DType.F64), s.expAvg, s.expAvgSq, null, h));
        assertMessage("exactly when amsgrad", () -> Tensor.adamStep(s.param, grad, s.expAvg, s.expAvgSq, null, SETTINGS.get(2)));
        assertMessage("step counts from 1", () -> new AdamStep(1e-3, 0.9, 0.999, 1e-8, 0, false, 0));
    }

    private static void assertMessage(String part, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should contain '" + part + "'");
    }
}
