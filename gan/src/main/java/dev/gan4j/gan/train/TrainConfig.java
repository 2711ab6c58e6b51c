package dev.gan4j.gan.train;

import dev.gan4j.gan.model.Architecture;
import dev.gan4j.gan.model.ModelSpec;

/**
 * Everything that defines a training run. It is written to the run folder and into every checkpoint,
 * so a run can be resumed, or sampled from, without repeating its options.
 *
 * @param dataset        mnist, cifar10, or a path to a folder of images
 * @param sigmoidOutput  the discriminator ends in a sigmoid and is trained with BCELoss (the article recipe)
 * @param optimizer      adam or rmsprop
 * @param nCritic        discriminator steps per generator step
 * @param clip           WGAN weight-clipping bound (0 = none)
 * @param gpWeight       WGAN-GP penalty weight lambda
 * @param maxSteps       stop after this many generator steps in total (0 = no limit)
 * @param sampleInterval also write a sample grid every this many steps (0 = only per epoch)
 * @param emaDecay       decay of the moving average of the generator's weights used for sampling (0 = none)
 * @param lrD            the discriminator's learning rate when it differs from the generator's (0 = {@code lr})
 */
public record TrainConfig(
        String preset, String dataset, String dataDir, int imageSize,
        Architecture architecture, int latentSize, int width, Objective objective, boolean sigmoidOutput,
        int epochs, int batchSize, String optimizer, double lr, double beta1, double beta2,
        int nCritic, double clip, double gpWeight,
        String device, long seed, int threads, String outDir, int sampleInterval, long maxSteps,
        double emaDecay, double lrD) {

    public TrainConfig {
        require(epochs >= 1, "epochs must be >= 1, got " + epochs);
        require(batchSize >= 2, "batch size must be >= 2, got " + batchSize);
        require(lr > 0, "learning rate must be positive, got " + lr);
        require(nCritic >= 1, "n-critic must be >= 1, got " + nCritic);
        require(optimizer.equals("adam") || optimizer.equals("rmsprop"), "optimizer must be adam or rmsprop, got "
                + optimizer);
        require(!(sigmoidOutput && objective.rawScores()), "the " + objective.name().toLowerCase(java.util.Locale.ROOT)
                + " loss needs raw scores: the discriminator cannot end in a sigmoid");
        require(threads >= 0, "threads must be >= 0 (0 = all cores), got " + threads);
        require(emaDecay >= 0 && emaDecay < 1, "ema decay must be in [0, 1) (0 = no average), got " + emaDecay);
        require(lrD >= 0, "discriminator learning rate must be positive (0 = same as --lr), got " + lrD);
    }

    /** The discriminator's learning rate (two time-scale updates when it differs from {@code lr}). */
    public double discriminatorLr() {
        return lrD > 0 ? lrD : lr;
    }

    public boolean averagesGenerator() {
        return emaDecay > 0;
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    /** The gradient penalty is per sample, which batch norm would break; WGAN-GP critics go without it. */
    public boolean discriminatorBatchNorm() {
        return objective != Objective.WGAN_GP;
    }

    public ModelSpec modelSpec(int channels) {
        return new ModelSpec(architecture, channels, imageSize, latentSize, width, discriminatorBatchNorm(), sigmoidOutput);
    }

    public TrainConfig withEpochs(int newEpochs) {
        return new TrainConfig(preset, dataset, dataDir, imageSize, architecture, latentSize, width, objective,
                sigmoidOutput, newEpochs, batchSize, optimizer, lr, beta1, beta2, nCritic, clip, gpWeight, device, seed,
                threads, outDir, sampleInterval, maxSteps, emaDecay, lrD);
    }
}
