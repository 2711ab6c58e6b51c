package dev.gan4j.gan.eval;

import dev.gan4j.autograd.Autograd;
import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.Module;
import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** Images from a generator for latent vectors drawn from a fixed seed, so that evaluations repeat exactly. */
public final class GeneratorSamples {

    /** Latent vectors per forward pass: bounds memory without slowing the generator down. */
    private static final int BATCH = 500;

    private GeneratorSamples() {}

    /** {@code count} images {@code [count, C, S, S]} on the CPU, generated in eval mode (running BN statistics). */
    public static Tensor generate(Module generator, int latentSize, int count, long seed) {
        Device device = generator.parameters().get(0).device();
        Generator noise = new Generator(seed);
        List<Tensor> parts = new ArrayList<>();
        boolean wasTraining = generator.isTraining();
        generator.eval();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            for (int done = 0; done < count; done += BATCH) {
                int n = Math.min(BATCH, count - done);
                Tensor z = Tensor.normal(noise, 0, 1, DType.F32, device, n, latentSize);
                parts.add(generator.forward(Variable.constant(z)).data().to(Device.CPU));
            }
        } finally {
            if (wasTraining) generator.train();
        }
        return Tensor.concat(parts, 0);
    }
}
