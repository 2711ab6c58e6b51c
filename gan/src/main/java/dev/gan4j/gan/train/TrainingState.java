package dev.gan4j.gan.train;

/**
 * Where a run is: the epoch and batch it works on next, the number of batches done (each is one
 * discriminator step; every nCritic-th also a generator step) and the training seconds spent.
 */
public record TrainingState(int epoch, int batchInEpoch, long step, double seconds) {

    public static TrainingState start() {
        return new TrainingState(0, 0, 0, 0);
    }

    TrainingState advance(double secondsNow) {
        return new TrainingState(epoch, batchInEpoch + 1, step + 1, secondsNow);
    }

    TrainingState nextEpoch() {
        return new TrainingState(epoch + 1, 0, step, seconds);
    }
}
