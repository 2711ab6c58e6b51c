package dev.gan4j.cuda;

import dev.gan4j.autograd.Functional;
import dev.gan4j.autograd.Variable;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The custom kernels' index arithmetic at the largest tensor the presets make: folder-upsample's generator
 * (64 px, width 64, batch 64) upsamples 64 channels to 64x64, so {@code [64, 64, 64, 64]}, 16.8 M elements.
 * On the emulation every device allocation ends at an inaccessible page, so an index past the end fails the
 * launch that made it (EmulatedBoundsTest); here each kernel family runs at that size and matches the CPU.
 * About 20 s on the emulation (2-core CI machine), so only the kernel families the models use at that size.
 */
class PresetScaleKernelTest extends Differential {

    private static final int[] LARGEST = {64, 64, 64, 64};

    @Test
    void kernelsAtTheLargestPresetShapeMatchTheCpu() {
        Tensor x = random(new Generator(61), LARGEST);
        Tensor bias = random(new Generator(62), 1, 64, 1, 1);
        Tensor half = random(new Generator(63), 64, 64, 32, 32);
        checkForward("upsample x2", 0, 0, t -> Functional.upsampleNearest(Variable.constant(t), 2).data(), half);
        checkForward("its block sums (upsample x2 backward)", 0, 0, t -> Tensor.upsampleNearestBackward(t, 2), x);
        checkForward("broadcast bias add, leaky ReLU", 0, 0, t -> t.add(bias.to(t.device())).leakyRelu(0.2), x);
        checkForward("per-channel sum (batch-norm statistics)", 1e-4, 1e-3, t -> t.sum(new int[] {0, 2, 3}, false), x);
        checkForward("2x2 max pool", 0, 0, t -> t.maxPool2d(2, 2, 0), x);
    }
}
