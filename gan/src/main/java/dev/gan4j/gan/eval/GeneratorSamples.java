package dev.gan4j.gan.eval;

import dev.gan4j.autograd.Autograd;
import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.Module;
import dev.gan4j.gan.model.LatentCode;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Images from a generator for latent codes drawn from a fixed seed, so that evaluations repeat exactly. A
 * class-conditional generator is asked for uniformly drawn classes, as a user sampling it would.
 */
public final class GeneratorSamples {

    /** Latent vectors per forward pass: bounds memory without slowing the generator down. */
    private static final int BATCH = 500;

    private GeneratorSamples() {}

    /** {@code count} images {@code [count, C, S, S]} on the CPU, generated in eval mode (running BN statistics). */
    public static Tensor generate(Module generator, LatentCode code, int count, long seed) {
        Device device = generator.parameters().get(0).device();
        Generator noise = new Generator(seed);
        Generator labels = labelStream(seed);
        List<Tensor> parts = new ArrayList<>();
        boolean wasTraining = generator.isTraining();
        generator.eval();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            for (int done = 0; done < count; done += BATCH) {
                int n = Math.min(BATCH, count - done);
                Tensor z = code.draw(noise, labels, n, device);
                parts.add(generator.forward(Variable.constant(z)).data().to(Device.CPU));
            }
        } finally {
            if (wasTraining) generator.train();
        }
        return Tensor.concat(parts, 0);
    }

    /** The classes {@link #generate} asks a conditional generator for with these arguments; null if unconditional. */
    public static int[] classes(LatentCode code, int count, long seed) {
        return code.conditional() ? code.drawClasses(labelStream(seed), count) : null;
    }

    /** The classes come from a stream of their own, so the noise vectors are those of an unconditional run. */
    public static Generator labelStream(long seed) {
        return new Generator(~seed);
    }
}
