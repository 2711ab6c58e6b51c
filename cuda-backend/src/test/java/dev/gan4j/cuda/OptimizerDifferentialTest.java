package dev.gan4j.cuda;

import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import dev.gan4j.tensor.backend.AdamStep;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * The fused Adam update on cuda:0 against the CPU backend's: both do the same float operations in the same
 * order without contraction, so parameter and moments must agree to the bit over several steps.
 */
class OptimizerDifferentialTest extends Differential {

    @Test
    void adamStepMatchesTheCpuBitForBit() {
        int size = 1003;
        for (boolean amsgrad : new boolean[] {false, true}) {
            for (double weightDecay : new double[] {0, 0.01}) {
                List<Tensor> cpu = start(size, amsgrad, Device.CPU);
                List<Tensor> gpu = start(size, amsgrad, CUDA);
                for (int step = 1; step <= 4; step++) {
                    Tensor grad = random(new Generator(100 + step), size).mul(0.1);
                    AdamStep h = new AdamStep(2e-4, 0.5, 0.999, 1e-8, weightDecay, amsgrad, step);
                    update(cpu, grad, h);
                    update(gpu, grad.to(CUDA), h);
                    for (int i = 0; i < cpu.size(); i++) {
                        assertClose("amsgrad " + amsgrad + ", weight decay " + weightDecay + ", step " + step
                                + ": tensor " + i + " (param, exp_avg, exp_avg_sq, max_exp_avg_sq)",
                                cpu.get(i), gpu.get(i).to(Device.CPU), 0, 0);
                    }
                }
            }
        }
    }

    private static List<Tensor> start(int size, boolean amsgrad, Device device) {
        List<Tensor> state = new ArrayList<>();
        state.add(random(new Generator(7), size).to(device));
        for (int i = 0; i < (amsgrad ? 3 : 2); i++) state.add(Tensor.zeros(DType.F32, device, size));
        return state;
    }

    private static void update(List<Tensor> s, Tensor grad, AdamStep h) {
        Tensor.adamStep(s.get(0), grad, s.get(1), s.get(2), s.size() > 3 ? s.get(3) : null, h);
    }
}
