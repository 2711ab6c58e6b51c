package dev.gan4j.gan.train;

import dev.gan4j.gan.data.ToyPoints;
import dev.gan4j.gan.model.Architecture;
import dev.gan4j.gan.model.LatentCode;
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
 * @param emaDecay       decay of the moving average of the generator's weights used for sampling (0 = none)
 * @param lrD            the discriminator's learning rate when it differs from the generator's (0 = {@code lr})
 * @param classes        the dataset's classes for a class-conditional pair (0 = unconditional)
 */
public record TrainConfig(
        String preset, String dataset, String dataDir, int imageSize,
        Architecture architecture, int latentSize, int width, Objective objective, boolean sigmoidOutput,
        int epochs, int batchSize, String optimizer, double lr, double beta1, double beta2,
        int nCritic, double clip, double gpWeight,
        String device, long seed, int threads, String outDir, int sampleInterval, long maxSteps, int keepCheckpoints,
        double emaDecay, double lrD, int classes) {

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
        require(!(sigmoidOutput && objective.rawScores()), "the " + objective.name().toLowerCase(java.util.Locale.ROOT)
                + " loss needs raw scores: the discriminator cannot end in a sigmoid");
        require(threads >= 0, "--threads must be >= 0 (0 = all cores), got " + threads);
        require(sampleInterval >= 0, "--sample-interval must be >= 0 (0 = once per epoch), got " + sampleInterval);
        require(maxSteps >= 0, "--max-steps must be >= 0 (0 = no limit), got " + maxSteps);
        require(keepCheckpoints >= 0, "--keep-checkpoints must be >= 0 (0 = keep all), got " + keepCheckpoints);
        require(emaDecay >= 0 && emaDecay < 1, "--ema-decay must be in [0, 1) (0 = no average), got " + emaDecay);
        require(lrD >= 0 && Double.isFinite(lrD), "--lr-d must be >= 0 (0 = same as --lr), got " + lrD);
        require(classes >= 0, "classes must be >= 0 (0 = unconditional), got " + classes);
    }

    /** An unconditional run. */
    public TrainConfig(String preset, String dataset, String dataDir, int imageSize, Architecture architecture,
                       int latentSize, int width, Objective objective, boolean sigmoidOutput, int epochs, int batchSize,
                       String optimizer, double lr, double beta1, double beta2, int nCritic, double clip, double gpWeight,
                       String device, long seed, int threads, String outDir, int sampleInterval, long maxSteps,
                       int keepCheckpoints, double emaDecay, double lrD) {
        this(preset, dataset, dataDir, imageSize, architecture, latentSize, width, objective, sigmoidOutput, epochs,
                batchSize, optimizer, lr, beta1, beta2, nCritic, clip, gpWeight, device, seed, threads, outDir,
                sampleInterval, maxSteps, keepCheckpoints, emaDecay, lrD, 0);
    }

    /** This configuration, conditioned on {@code newClasses} classes (0 = unconditional). */
    public TrainConfig withClasses(int newClasses) {
        return new TrainConfig(preset, dataset, dataDir, imageSize, architecture, latentSize, width, objective,
                sigmoidOutput, epochs, batchSize, optimizer, lr, beta1, beta2, nCritic, clip, gpWeight, device, seed,
                threads, outDir, sampleInterval, maxSteps, keepCheckpoints, emaDecay, lrD, newClasses);
    }

    /** What the generator decodes: the noise, and the one-hot class when conditional. */
    public LatentCode latentCode() {
        return new LatentCode(latentSize, classes);
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
        return new ModelSpec(architecture, channels, imageSize, latentSize, width, discriminatorBatchNorm(), sigmoidOutput,
                classes);
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
                newThreads, newOutDir, newSampleInterval, newMaxSteps, newKeepCheckpoints, emaDecay, lrD, classes);
    }
}
