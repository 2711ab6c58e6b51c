package dev.gan4j.gan.train;

import dev.gan4j.gan.data.ToyPoints;
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
 * @param maxSteps       stop after this many steps in total (0 = no limit)
 * @param sampleInterval also write a sample grid every this many steps (0 = only per epoch)
 * @param keepCheckpoints keep the newest this many epoch checkpoints besides last.safetensors (0 = all)
 */
public record TrainConfig(
        String preset, String dataset, String dataDir, int imageSize,
        Architecture architecture, int latentSize, int width, Objective objective, boolean sigmoidOutput,
        int epochs, int batchSize, String optimizer, double lr, double beta1, double beta2,
        int nCritic, double clip, double gpWeight,
        String device, long seed, int threads, String outDir, int sampleInterval, long maxSteps, int keepCheckpoints) {

    /** The image sides the convolutional models are built for; the MLP is held to them too. */
    public static final java.util.List<Integer> IMAGE_SIZES = java.util.List.of(28, 32, 64);

    /**
     * Every check that needs no data: a configuration that exists is one a run can start with. Each
     * message names the command-line option.
     */
    public TrainConfig {
        // A toy 2-D dataset's "image" is one point: a 1x1 image of two channels.
        require(IMAGE_SIZES.contains(imageSize) || ToyPoints.isToy(dataset) && imageSize == 1,
                "--image-size must be 28, 32 or 64, got " + imageSize);
        require(latentSize >= 1, "--latent must be >= 1, got " + latentSize);
        require(width >= 1, "--width must be >= 1, got " + width);
        require(epochs >= 1, "--epochs must be >= 1, got " + epochs);
        require(batchSize >= 2, "--batch-size must be >= 2, got " + batchSize);
        require(lr > 0 && Double.isFinite(lr), "--lr (learning rate) must be positive, got " + lr);
        require(beta1 >= 0 && beta1 < 1, "--beta1 must be in [0, 1), got " + beta1);
        require(beta2 >= 0 && beta2 < 1, "--beta2 must be in [0, 1), got " + beta2);
        require(nCritic >= 1, "--n-critic must be >= 1, got " + nCritic);
        require(clip >= 0 && Double.isFinite(clip), "--clip must be >= 0 (0 = no clipping), got " + clip);
        require(gpWeight >= 0 && Double.isFinite(gpWeight), "--gp-weight must be >= 0, got " + gpWeight);
        require(optimizer.equals("adam") || optimizer.equals("rmsprop"), "--optimizer must be adam or rmsprop, got "
                + optimizer);
        require(!(sigmoidOutput && objective.wasserstein()), "a Wasserstein critic cannot end in a sigmoid");
        require(threads >= 0, "--threads must be >= 0 (0 = all cores), got " + threads);
        require(sampleInterval >= 0, "--sample-interval must be >= 0 (0 = once per epoch), got " + sampleInterval);
        require(maxSteps >= 0, "--max-steps must be >= 0 (0 = no limit), got " + maxSteps);
        require(keepCheckpoints >= 0, "--keep-checkpoints must be >= 0 (0 = keep all), got " + keepCheckpoints);
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

    /** Whether a run that stands at {@code state} has nothing left to train. */
    public boolean finishedAt(TrainingState state) {
        return state.epoch() >= epochs || maxStepsReached(state.step());
    }

    /** Whether {@code step} steps use up the step limit (never, without one). */
    public boolean maxStepsReached(long step) {
        return maxSteps > 0 && step >= maxSteps;
    }

    /**
     * This configuration with what a resume may change: how long and where the run goes on, and where
     * its files go. Everything that shapes the models, the data or the optimisation stays.
     */
    public TrainConfig resumedWith(String newDataDir, int newEpochs, long newMaxSteps, String newDevice, int newThreads,
                                   int newSampleInterval, int newKeepCheckpoints, String newOutDir) {
        return new TrainConfig(preset, dataset, newDataDir, imageSize, architecture, latentSize, width, objective,
                sigmoidOutput, newEpochs, batchSize, optimizer, lr, beta1, beta2, nCritic, clip, gpWeight, newDevice, seed,
                newThreads, newOutDir, newSampleInterval, newMaxSteps, newKeepCheckpoints);
    }
}
