package dev.gan4j.cuda;

import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Whole GAN training steps on cuda:0 and on the CPU from the same seed: the losses of every step and, at
 * the end, every parameter and batch-norm buffer of both networks (the state dicts) must agree. Three
 * steps let differences compound through Adam; rtol 1e-3, atol 1e-4.
 */
class GanStepDifferentialTest extends Differential {

    @Test
    void threeTrainingStepsMatchTheCpu() {
        TinyDcgan cpu = new TinyDcgan(Device.CPU, 2024);
        TinyDcgan gpu = new TinyDcgan(CUDA, 2024);
        for (int step = 0; step < 3; step++) {
            double[] expected = cpu.step();
            double[] actual = gpu.step();
            assertEquals(expected[0], actual[0], 1e-3 * Math.abs(expected[0]) + 1e-4, "loss D, step " + step);
            assertEquals(expected[1], actual[1], 1e-3 * Math.abs(expected[1]) + 1e-4, "loss G, step " + step);
        }
        compare("generator", cpu.generator.stateDict(), gpu.generator.stateDict());
        compare("discriminator", cpu.discriminator.stateDict(), gpu.discriminator.stateDict());
    }

    private static void compare(String model, Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet(), model + " state dict keys");
        expected.forEach((name, value) -> {
            assertEquals(CUDA, actual.get(name).device(), model + "." + name + " stays on the GPU");
            assertClose(model + "." + name, value, actual.get(name).to(Device.CPU), 1e-3, 1e-4);
        });
    }
}
