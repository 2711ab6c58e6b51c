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
import dev.gan4j.tensor.backend.RmsPropStep;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fused optimiser updates against their reference, the chains of elementwise tensor ops they replaced:
 * the same bits in float32 and float64, over several steps (the state carries over), for sizes around the
 * vector width and the parallel grain, with every option (weight decay, AMSGrad; centering, momentum); the
 * plain-Java path against the vector one.
 */
class OptimizerStepTest {

    private static final int[] SIZES = {1, 5, 15, 16, 17, 63, 1000, 70_001};
    private static final List<AdamStep> ADAM = List.of(
            new AdamStep(2e-4, 0.5, 0.999, 1e-8, 0, false, 1),
            new AdamStep(1e-3, 0.9, 0.999, 1e-8, 0.01, false, 1),
            new AdamStep(0.05, 0.0, 0.5, 1e-6, 0.05, true, 1),
            new AdamStep(0.01, 0.8, 0.9, 1e-3, 0, true, 1));
    private static final List<RmsPropStep> RMSPROP = List.of(
            new RmsPropStep(5e-5, 0.99, 1e-8, 0, 0, false),
            new RmsPropStep(0.01, 0.9, 1e-3, 0.1, 0, false),
            new RmsPropStep(0.01, 0.95, 1e-8, 0, 0.9, false),
            new RmsPropStep(0.002, 0.8, 1e-4, 0.3, 0.5, true),
            new RmsPropStep(0.01, 0.99, 1e-8, 0, 0, true));

    /** The parameter, then the optimiser's state tensors (null where an option is off), each in its own buffer. */
    private static List<Tensor> start(DType dtype, int size, boolean... stateUsed) {
        List<Tensor> s = new ArrayList<>();
        s.add(Tensor.normal(new Generator(size), 0, 1, dtype, Device.CPU, size));
        for (boolean used : stateUsed) s.add(used ? Tensor.zeros(dtype, Device.CPU, size) : null);
        return s;
    }

    private static Tensor gradient(DType dtype, int size, int step) {
        // Some gradients of zero, and some tiny ones, as dead units and converged weights give.
        Tensor g = Tensor.normal(new Generator(1000 + step), 0, 1, dtype, Device.CPU, size);
        return g.mul(g.gt(-1.5)).mul(Tensor.normal(new Generator(2000 + step), 0, 1, dtype, Device.CPU, size).gt(1)
                .mul(1e-6 - 1).add(1));
    }

    private static AdamStep at(AdamStep h, long step) {
        return new AdamStep(h.lr(), h.beta1(), h.beta2(), h.eps(), h.weightDecay(), h.amsgrad(), step);
    }

    /** Adam as it was written before the fused kernel, one tensor op at a time. */
    private static List<Tensor> adamChain(List<Tensor> s, Tensor grad, AdamStep h) {
        Tensor param = s.get(0);
        Tensor g = h.weightDecay() != 0 ? grad.add(param.mul(h.weightDecay())) : grad;
        Tensor m = s.get(1).mul(h.beta1()).add(g.mul(1 - h.beta1()));
        Tensor v = s.get(2).mul(h.beta2()).add(g.mul(g).mul(1 - h.beta2()));
        Tensor max = h.amsgrad() ? s.get(3).maximum(v) : null;
        double biasCorrection1 = 1 - Math.pow(h.beta1(), h.step());
        double biasCorrection2 = 1 - Math.pow(h.beta2(), h.step());
        Tensor denom = (h.amsgrad() ? max : v).sqrt().div(Math.sqrt(biasCorrection2)).add(h.eps());
        return Arrays.asList(param.sub(m.div(denom).mul(h.lr() / biasCorrection1)), m, v, max);
    }

    /** RMSprop as it was written before the fused kernel. */
    private static List<Tensor> rmsPropChain(List<Tensor> s, Tensor grad, RmsPropStep h) {
        Tensor param = s.get(0);
        Tensor g = h.weightDecay() != 0 ? grad.add(param.mul(h.weightDecay())) : grad;
        Tensor squareAvg = s.get(1).mul(h.alpha()).add(g.mul(g).mul(1 - h.alpha()));
        Tensor meanSquare = squareAvg;
        Tensor gradAvg = null;
        if (h.centered()) {
            gradAvg = s.get(2).mul(h.alpha()).add(g.mul(1 - h.alpha()));
            meanSquare = squareAvg.sub(gradAvg.mul(gradAvg));
        }
        Tensor avg = meanSquare.sqrt().add(h.eps());
        Tensor buffer = h.momentum() > 0 ? s.get(3).mul(h.momentum()).add(g.div(avg)) : null;
        Tensor next = buffer != null ? param.sub(buffer.mul(h.lr())) : param.sub(g.div(avg).mul(h.lr()));
        return Arrays.asList(next, squareAvg, gradAvg, buffer);
    }

    private static void adam(List<Tensor> s, Tensor grad, AdamStep h) {
        Tensor.adamStep(s.get(0), grad, s.get(1), s.get(2), s.get(3), h);
    }

    private static void rmsProp(List<Tensor> s, Tensor grad, RmsPropStep h) {
        Tensor.rmsPropStep(s.get(0), grad, s.get(1), s.get(2), s.get(3), h);
    }

    private static void assertSameBits(List<Tensor> expected, List<Tensor> actual, String what) {
        for (int i = 0; i < expected.size(); i++) {
            if (expected.get(i) == null) continue;
            assertArrayEquals(expected.get(i).toDoubleArray(), actual.get(i).toDoubleArray(),
                    what + ": tensor " + i + " (the parameter, then the state)");
        }
    }

    @Test
    void fusedAdamHasTheBitsOfTheChainOfOps() {
        for (DType dtype : DType.values()) {
            for (AdamStep h : ADAM) {
                for (int size : SIZES) {
                    List<Tensor> expected = start(dtype, size, true, true, h.amsgrad());
                    List<Tensor> fused = start(dtype, size, true, true, h.amsgrad());
                    for (int step = 1; step <= 3; step++) {
                        Tensor grad = gradient(dtype, size, step);
                        expected = adamChain(expected, grad, at(h, step));
                        adam(fused, grad, at(h, step));
                        assertSameBits(expected, fused, dtype + " " + h + " size " + size + " step " + step);
                    }
                }
            }
        }
    }

    @Test
    void fusedRmsPropHasTheBitsOfTheChainOfOps() {
        for (DType dtype : DType.values()) {
            for (RmsPropStep h : RMSPROP) {
                for (int size : SIZES) {
                    List<Tensor> expected = start(dtype, size, true, h.centered(), h.momentum() > 0);
                    List<Tensor> fused = start(dtype, size, true, h.centered(), h.momentum() > 0);
                    for (int step = 1; step <= 3; step++) {
                        Tensor grad = gradient(dtype, size, step);
                        expected = rmsPropChain(expected, grad, h);
                        rmsProp(fused, grad, h);
                        assertSameBits(expected, fused, dtype + " " + h + " size " + size + " step " + step);
                    }
                }
            }
        }
    }

    @Test
    void plainJavaPathHasTheBitsOfTheVectorPath() {
        int size = 1000;
        for (AdamStep h : ADAM) {
            List<Tensor> vector = start(DType.F32, size, true, true, h.amsgrad());
            List<Tensor> plain = start(DType.F32, size, true, true, h.amsgrad());
            for (int step = 1; step <= 3; step++) {
                Tensor grad = gradient(DType.F32, size, step);
                adam(vector, grad, at(h, step));
                OptimizerKernels.adamScalar(cpu(plain, 0), (CpuStorage) grad.storage(), cpu(plain, 1), cpu(plain, 2),
                        cpu(plain, 3), 0, size, at(h, step));
                assertSameBits(vector, plain, h + " step " + step);
            }
        }
        for (RmsPropStep h : RMSPROP) {
            List<Tensor> vector = start(DType.F32, size, true, h.centered(), h.momentum() > 0);
            List<Tensor> plain = start(DType.F32, size, true, h.centered(), h.momentum() > 0);
            for (int step = 1; step <= 3; step++) {
                Tensor grad = gradient(DType.F32, size, step);
                rmsProp(vector, grad, h);
                OptimizerKernels.rmsPropScalar(cpu(plain, 0), (CpuStorage) grad.storage(), cpu(plain, 1),
                        cpu(plain, 2), cpu(plain, 3), 0, size, h);
                assertSameBits(vector, plain, h + " step " + step);
            }
        }
    }

    private static CpuStorage cpu(List<Tensor> s, int i) {
        return s.get(i) == null ? null : (CpuStorage) s.get(i).storage();
    }

    @Test
    void theTensorsWrittenChangeVersionAndTheGradientDoesNot() {
        List<Tensor> s = start(DType.F32, 8, true, true, true);
        Tensor grad = gradient(DType.F32, 8, 1);
        int[] before = s.stream().mapToInt(t -> t.storage().version()).toArray();
        int gradBefore = grad.storage().version();
        float[] gradValues = grad.toFloatArray();
        adam(s, grad, ADAM.get(2));
        for (int i = 0; i < before.length; i++) assertTrue(s.get(i).storage().version() > before[i], "tensor " + i);
        assertEquals(gradBefore, grad.storage().version());
        assertArrayEquals(gradValues, grad.toFloatArray());
    }

    @Test
    void aStridedGradientIsReadThroughItsView() {
        Tensor wide = Tensor.normal(new Generator(4), 0, 1, DType.F32, Device.CPU, 6, 4);
        List<Tensor> dense = start(DType.F32, 12, true, true, false);
        List<Tensor> strided = start(DType.F32, 12, true, true, false);
        AdamStep h = ADAM.get(1);
        dense.replaceAll(t -> t == null ? null : t.reshape(6, 2));
        strided.replaceAll(t -> t == null ? null : t.reshape(6, 2));
        adam(dense, wide.slice(1, 0, 4, 2).contiguous(), h);
        adam(strided, wide.slice(1, 0, 4, 2), h);
        assertSameBits(dense, strided, "strided gradient");
    }

    @Test
    void badArgumentsFailNamingTheTensor() {
        List<Tensor> s = start(DType.F32, 6, true, true);
        Tensor p = s.get(0), m = s.get(1), v = s.get(2);
        Tensor grad = gradient(DType.F32, 6, 1);
        AdamStep h = ADAM.get(0);
        assertMessage("adam_step: grad has shape [5]", () -> Tensor.adamStep(p, grad.narrow(0, 0, 5), m, v, null, h));
        assertMessage("exp_avg_sq has shape [2, 3]", () -> Tensor.adamStep(p, grad, m, v.reshape(2, 3), null, h));
        assertMessage("exp_avg must be a dense tensor",
                () -> Tensor.adamStep(p.reshape(2, 3), grad.reshape(2, 3), m.reshape(3, 2).t(), v.reshape(2, 3), null, h));
        assertMessage("param and exp_avg_sq share storage", () -> Tensor.adamStep(p, grad, m, p, null, h));
        assertMessage("different dtypes", () -> Tensor.adamStep(p, grad.to(DType.F64), m, v, null, h));
        assertMessage("max_exp_avg_sq must be given exactly when amsgrad is on",
                () -> Tensor.adamStep(p, grad, m, v, null, ADAM.get(2)));
        assertMessage("step counts from 1", () -> new AdamStep(1e-3, 0.9, 0.999, 1e-8, 0, false, 0));
        RmsPropStep centered = RMSPROP.get(4);
        assertMessage("rmsprop_step: grad_avg must be given exactly when centered",
                () -> Tensor.rmsPropStep(p, grad, m, null, null, centered));
        assertMessage("momentum_buffer must be given exactly when momentum > 0",
                () -> Tensor.rmsPropStep(p, grad, m, null, v, RMSPROP.get(0)));
        assertMessage("square_avg and grad_avg share storage", () -> Tensor.rmsPropStep(p, grad, m, m, null, centered));
    }

    private static void assertMessage(String part, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should contain '" + part + "'");
    }
}
