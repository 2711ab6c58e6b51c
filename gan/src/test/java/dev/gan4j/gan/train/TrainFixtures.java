package dev.gan4j.gan.train;

import dev.gan4j.gan.data.ByteImageDataset;
import dev.gan4j.gan.data.Dataset;
import dev.gan4j.gan.model.Architecture;

import java.nio.file.Path;
import java.util.Random;

/** Small configurations and a synthetic dataset that make training tests fast. */
final class TrainFixtures {

    private TrainFixtures() {}

    /** 28x28 grey images: a bright square at a random place on a dark background, so there is something to learn. */
    static Dataset squares(int count, long seed) {
        return squares(count, seed, 1);
    }

    /** As above, labelled by the square's place: class k of {@code classes} is the k-th band from the left. */
    static Dataset squares(int count, long seed, int classes) {
        Random random = new Random(seed);
        int side = 28;
        byte[] pixels = new byte[count * side * side];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            int x = random.nextInt(side - 8);
            int y = random.nextInt(side - 8);
            labels[i] = x * classes / (side - 8);
            for (int r = y; r < y + 8; r++) {
                for (int c = x; c < x + 8; c++) pixels[i * side * side + r * side + c] = (byte) 255;
            }
        }
        return new ByteImageDataset("squares", pixels, labels, 1, side, side, classes);
    }

    static TrainConfig config(Architecture architecture, Objective objective, int width, Path out, long maxSteps) {
        return config(architecture, objective, width, out, maxSteps, 0);
    }

    /** As above, sampling from a moving average of the generator's weights with this decay (0 = none). */
    static TrainConfig config(Architecture architecture, Objective objective, int width, Path out, long maxSteps,
                              double emaDecay) {
        return config(architecture, objective, width, out, maxSteps, emaDecay, 16);
    }

    /** As above, with this batch size. */
    static TrainConfig config(Architecture architecture, Objective objective, int width, Path out, long maxSteps,
                              double emaDecay, int batchSize) {
        boolean wasserstein = objective.wasserstein();
        return new TrainConfig("test", "squares", null, 28, architecture, 16, width, objective, false, 1, batchSize,
                objective == Objective.WGAN ? "rmsprop" : "adam", wasserstein ? 1e-4 : 2e-4, wasserstein ? 0 : 0.5, 0.9,
                wasserstein ? 2 : 1, objective == Objective.WGAN ? 0.01 : 0, objective == Objective.WGAN_GP ? 10 : 0,
                "cpu", 7, 0, out.toString(), 0, maxSteps, 0, emaDecay, 0);
    }
}
