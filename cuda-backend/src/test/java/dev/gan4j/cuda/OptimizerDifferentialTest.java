package dev.gan4j.cuda;

import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import dev.gan4j.tensor.backend.AdamStep;
import dev.gan4j.tensor.backend.RmsPropStep;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * The fused optimiser updates on cuda:0 against the CPU backend's: both do the same float operations in the
 * same order without contraction, so parameter and state must agree to the bit over several steps, with
 * every option on and off.
 */
class OptimizerDifferentialTest extends Differential {

    private static final int SIZE = 1003;

    @Test
    void adamStepMatchesTheCpuBitForBit() {
        for (boolean amsgrad : new boolean[] {false, true}) {
            for (double weightDecay : new double[] {0, 0.01}) {
                compare("adam, amsgrad " + amsgrad + ", weight decay " + weightDecay, amsgrad ? 3 : 2,
                        (s, grad, step) -> Tensor.adamStep(s.get(0), grad, s.get(1), s.get(2), amsgrad ? s.get(3) : null,
                                new AdamStep(2e-4, 0.5, 0.999, 1e-8, weightDecay, amsgrad, step)));
            }
        }
    }

    @Test
    void rmsPropStepMatchesTheCpuBitForBit() {
        for (RmsPropStep h : List.of(new RmsPropStep(5e-5, 0.99, 1e-8, 0, 0, false),
                new RmsPropStep(0.002, 0.8, 1e-4, 0.3, 0.5, true))) {
            compare(h.toString(), 3, (s, grad, step) -> Tensor.rmsPropStep(s.get(0), grad, s.get(1),
                    h.centered() ? s.get(2) : null, h.momentum() > 0 ? s.get(3) : null, h));
        }
    }

    /** Four steps of {@code update} on the CPU and on the device from the same start, compared after each. */
    private static void compare(String what, int stateTensors, Update update) {
        List<Tensor> cpu = start(Device.CPU, stateTensors);
        List<Tensor> gpu = start(CUDA, stateTensors);
        for (int step = 1; step <= 4; step++) {
            Tensor grad = random(new Generator(100 + step), SIZE).mul(0.1);
            update.apply(cpu, grad, step);
            update.apply(gpu, grad.to(CUDA), step);
            for (int i = 0; i < cpu.size(); i++) {
                assertClose(what + ", step " + step + ": tensor " + i + " (the parameter, then the state)",
                        cpu.get(i), gpu.get(i).to(Device.CPU), 0, 0);
            }
        }
    }

    /** One update of the parameter and state in {@code s}; {@code step} counts from 1. */
    private interface Update {
        void apply(List<Tensor> s, Tensor grad, int step);
    }

    private static List<Tensor> start(Device device, int stateTensors) {
        List<Tensor> state = new ArrayList<>();
        state.add(random(new Generator(7), SIZE).to(device));
        for (int i = 0; i < stateTensors; i++) state.add(Tensor.zeros(DType.F32, device, SIZE));
        return state;
    }
}
