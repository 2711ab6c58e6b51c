package dev.gan4j.gan.model;

import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.Module;
import dev.gan4j.nn.layers.AdaptiveAvgPool2d;
import dev.gan4j.nn.layers.BatchNorm1d;
import dev.gan4j.nn.layers.BatchNorm2d;
import dev.gan4j.nn.layers.Conv2d;
import dev.gan4j.nn.layers.ConvTranspose2d;
import dev.gan4j.nn.layers.Flatten;
import dev.gan4j.nn.layers.LeakyReLU;
import dev.gan4j.nn.layers.Linear;
import dev.gan4j.nn.layers.ReLU;
import dev.gan4j.nn.layers.Reshape;
import dev.gan4j.nn.layers.Sequential;
import dev.gan4j.nn.layers.Sigmoid;
import dev.gan4j.nn.layers.Tanh;
import dev.gan4j.nn.layers.Upsample;
import dev.gan4j.tensor.ConvParams;
import dev.gan4j.tensor.Generator;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds generator/discriminator pairs. Every generator maps {@code z [N, latent]} to images
 * {@code [N, C, S, S]} in [-1, 1]; every discriminator maps images to one logit (or critic score)
 * per sample, {@code [N, 1]}. Both are a {@link Sequential} named {@code main}, so state-dict keys
 * read {@code main.0.weight} as in the PyTorch DCGAN example.
 */
public final class GanModels {

    /** A generator and its discriminator. */
    public record Pair(Module generator, Module discriminator) {}

    private GanModels() {}

    public static Pair build(ModelSpec spec, Generator gen) {
        return switch (spec.architecture()) {
            case MLP -> new Pair(mlpGenerator(spec, gen), mlpDiscriminator(spec, gen));
            case DCGAN -> withDcganInit(new Pair(dcganGenerator(spec, gen), dcganDiscriminator(spec, gen)), gen);
            case UPSAMPLE -> withDcganInit(new Pair(upsampleGenerator(spec, gen), gapCritic(spec, gen)), gen);
        };
    }

    /** Only the generator (for sampling from a checkpoint). */
    public static Module generator(ModelSpec spec, Generator gen) {
        return build(spec, gen).generator();
    }

    /**
     * The discriminator's score before its sigmoid head, if it has one: the logit that the BCE games
     * compute their loss from. BCE of the sigmoid is the same function, but once the sigmoid saturates in
     * float32 its gradient is lost (exactly 0 at a logit of -29, where the true one is -1).
     */
    public static Variable logits(Module discriminator, Variable images) {
        return discriminator instanceof Network network ? network.main.forward(images) : discriminator.forward(images);
    }

    private static Pair withDcganInit(Pair pair, Generator gen) {
        DcganInit.apply(pair.generator(), gen);
        DcganInit.apply(pair.discriminator(), gen);
        return pair;
    }

    // ---- MLP ----

    static Module mlpGenerator(ModelSpec s, Generator gen) {
        int w = s.width();
        int pixels = s.channels() * s.imageSize() * s.imageSize();
        return named(new Sequential(
                linear(s.generatorInputs(), w, gen), new ReLU(),
                linear(w, 2 * w, gen), new ReLU(),
                linear(2 * w, 4 * w, gen), new ReLU(),
                linear(4 * w, pixels, gen), new Tanh(),
                new Reshape(s.channels(), s.imageSize(), s.imageSize())));
    }

    static Module mlpDiscriminator(ModelSpec s, Generator gen) {
        int w = s.width();
        int pixels = s.discriminatorChannels() * s.imageSize() * s.imageSize();
        List<Module> layers = new ArrayList<>(List.of(
                new Flatten(),
                linear(pixels, 2 * w, gen), new LeakyReLU(0.2),
                linear(2 * w, w, gen), new LeakyReLU(0.2),
                linear(w, 1, gen)));
        return discriminator(layers, s);
    }

    // ---- DCGAN ----

    /** z -> (base x base, 4w or 8w channels) -> doubling the size and halving the channels -> image. */
    static Module dcganGenerator(ModelSpec s, Generator gen) {
        int ups = s.upsamplings();
        int channels = s.width() << (ups - 1);
        List<Module> layers = new ArrayList<>();
        layers.add(new Reshape(s.generatorInputs(), 1, 1));
        layers.add(convT(s.generatorInputs(), channels, s.baseSize(), 1, 0, gen));
        layers.add(new BatchNorm2d(channels));
        layers.add(new ReLU());
        for (int i = 1; i < ups; i++) {
            layers.add(convT(channels, channels / 2, 4, 2, 1, gen));
            layers.add(new BatchNorm2d(channels / 2));
            layers.add(new ReLU());
            channels /= 2;
        }
        layers.add(convT(channels, s.channels(), 4, 2, 1, gen));
        layers.add(new Tanh());
        return named(new Sequential(layers.toArray(Module[]::new)));
    }

    /** The mirror image: strided 4x4 convolutions down to base x base, then one conv to a logit. */
    static Module dcganDiscriminator(ModelSpec s, Generator gen) {
        int ups = s.upsamplings();
        boolean bias = !s.discriminatorBatchNorm();
        List<Module> layers = new ArrayList<>();
        int channels = s.width();
        layers.add(conv(s.discriminatorChannels(), channels, 4, 2, 1, bias, gen));
        layers.add(new LeakyReLU(0.2));
        for (int i = 1; i < ups; i++) {
            layers.add(conv(channels, channels * 2, 4, 2, 1, bias, gen));
            if (s.discriminatorBatchNorm()) layers.add(new BatchNorm2d(channels * 2));
            layers.add(new LeakyReLU(0.2));
            channels *= 2;
        }
        layers.add(conv(channels, 1, s.baseSize(), 1, 0, bias, gen));
        layers.add(new Flatten());
        return discriminator(layers, s);
    }

    // ---- upsample + conv generator, global-average-pool critic ----

    static Module upsampleGenerator(ModelSpec s, Generator gen) {
        int ups = s.upsamplings();
        int channels = s.width() << (ups - 1);
        int base = s.baseSize();
        List<Module> layers = new ArrayList<>();
        layers.add(linear(s.generatorInputs(), channels * base * base, gen));
        layers.add(new BatchNorm1d(channels * base * base));
        layers.add(new ReLU());
        layers.add(new Reshape(channels, base, base));
        for (int i = 0; i < ups; i++) {
            int out = Math.max(channels / 2, s.width() / 2);
            layers.add(new Upsample(2));
            layers.add(conv(channels, out, 3, 1, 1, false, gen));
            layers.add(new BatchNorm2d(out));
            layers.add(new ReLU());
            channels = out;
        }
        layers.add(conv(channels, s.channels(), 3, 1, 1, true, gen));
        layers.add(new Tanh());
        return named(new Sequential(layers.toArray(Module[]::new)));
    }

    static Module gapCritic(ModelSpec s, Generator gen) {
        boolean bias = !s.discriminatorBatchNorm();
        List<Module> layers = new ArrayList<>();
        int channels = Math.max(1, s.width() / 2);
        layers.add(conv(s.discriminatorChannels(), channels, 3, 1, 1, bias, gen));
        layers.add(new LeakyReLU(0.2));
        for (int i = 0; i < s.upsamplings(); i++) {
            layers.add(conv(channels, channels * 2, 4, 2, 1, bias, gen));
            if (s.discriminatorBatchNorm()) layers.add(new BatchNorm2d(channels * 2));
            layers.add(new LeakyReLU(0.2));
            channels *= 2;
        }
        layers.add(new AdaptiveAvgPool2d(1));
        layers.add(new Flatten());
        layers.add(linear(channels, 1, gen));
        return discriminator(layers, s);
    }

    // ---- helpers ----

    /** Wraps a network as the child "main", so keys read main.N.* like the PyTorch examples. */
    private static Module named(Sequential main) {
        return new Network(main, null);
    }

    /** A discriminator, with a sigmoid after {@code main} when it must output probabilities. */
    private static Module discriminator(List<Module> layers, ModelSpec s) {
        return new Network(new Sequential(layers.toArray(Module[]::new)), s.discriminatorSigmoid() ? new Sigmoid() : null);
    }

    /**
     * A module whose only child is the Sequential {@code main}, optionally followed by a parameterless head.
     * The head stays outside {@code main} so that {@link #logits} can stop before it; having no parameters,
     * it does not change the state dict's keys.
     */
    private static final class Network extends Module {
        private final Sequential main;
        private final Module head;

        Network(Sequential main, Module head) {
            this.main = registerModule("main", main);
            this.head = head;
        }

        @Override
        public Variable forward(Variable x) {
            Variable y = main.forward(x);
            return head == null ? y : head.forward(y);
        }
    }

    private static Linear linear(int in, int out, Generator gen) {
        return new Linear(in, out, true, gen);
    }

    /**
     * Convolutions in batch-normalised networks carry no bias, as in the PyTorch DCGAN example (batch
     * norm's shift absorbs it); a critic without batch norm keeps its biases.
     */
    private static Conv2d conv(int in, int out, int kernel, int stride, int padding, boolean bias, Generator gen) {
        return new Conv2d(in, out, kernel, ConvParams.of(stride, padding), bias, gen);
    }

    private static ConvTranspose2d convT(int in, int out, int kernel, int stride, int padding, Generator gen) {
        return new ConvTranspose2d(in, out, kernel, ConvParams.of(stride, padding), 0, false, gen);
    }
}
