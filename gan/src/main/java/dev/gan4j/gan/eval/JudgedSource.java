package dev.gan4j.gan.eval;

/**
 * Which generator a report judged, so that {@code gan4j sample} can quote the report only for the weights
 * it draws with: a run's {@code last.safetensors} is rewritten every epoch, hence the step.
 *
 * @param checkpoint    the checkpoint file, as given
 * @param step          the training step the checkpoint was written at
 * @param movingAverage whether the moving average of the generator's weights drew the samples
 * @param latentSeed    the seed of the latent vectors
 */
public record JudgedSource(String checkpoint, long step, boolean movingAverage, long latentSeed) {

    /** Whether this is the generator of {@code step} with the same choice of weights. */
    public boolean sameGenerator(long step, boolean movingAverage) {
        return this.step == step && this.movingAverage == movingAverage;
    }
}
