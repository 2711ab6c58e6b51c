package dev.gan4j.gan.train;

import dev.gan4j.gan.model.Architecture;
import dev.gan4j.gan.model.ModelSpec;

/**
 * Everything that defines a training run. It is written to the run folder and into every checkpoint,
 * so a run can be resumed, or sampled from, without repeating its options.
 *
 * @param dataset        mnist, cifar10, or a path to a folder of images
 * @param sigmoidOutput  the discriminator ends in a sigmoid feeding BCE (the article recipe); the loss is
 *                       computed from the logit before the sigmoid, fused, so its gradient survives saturation
 * @param optimizer      adam or rmsprop
 * @param nCritic        discriminator steps per generator step
 * @param clip           WGAN weight-clipping bound (0 = none)
 * @param gpWeight       WGAN-GP penalty weight lambda
 * @param maxSteps       stop after this many generator steps in total (0 = no limit)
 * @param sampleInterval also write a sample grid every this many steps (0 = only per epoch)
 */
public record TrainConfig(
        String preset, String dataset, String dataDir, int imageSize,
        Architecture architecture, int latentSize, int width, Objective objective, boolean sigmoidOutput,
        int epochs, int batchSize, String optimizer, double lr, double beta1, double beta2,
        int nCritic, double clip, double gpWeight,
        String device, long seed, int threads, String outDir, int sampleInterval, long maxSteps) {

    public TrainConfig {
        require(epochs >= 1, "epochs must be >= 1, got " + epochs);
        require(batchSize >= 2, "batch size must be >= 2, got " + batchSize);
        require(lr > 0, "learning rate must be positive, got " + lr);
        require(nCritic >= 1, "n-critic must be >= 1, got " + nCritic);
        require(optimizer.equals("adam") || optimizer.equals("rmsprop"), "optimizer must be adam or rmsprop, got "
                + optimizer);
        require(!(sigmoidOutput && objective.wasserstein()), "a Wasserstein critic cannot end in a sigmoid");
        require(threads >= 0, "threads must be >= 0 (0 = all cores), got " + threads);
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
                threads, outDir, sampleInterval, maxSteps);
    }
}
