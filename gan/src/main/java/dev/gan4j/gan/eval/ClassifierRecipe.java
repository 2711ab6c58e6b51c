package dev.gan4j.gan.eval;

import com.google.gson.Gson;

/**
 * How a dataset's judging classifier is built and trained. It is written into the cached classifier's
 * metadata: a cached file whose recipe differs from the current one is retrained, never silently reused.
 *
 * @param name         file name in the cache, and the classifier's identity in reports
 * @param dataset      mnist or cifar10
 * @param convWidths   output channels of each 3x3 convolution stage; each stage halves the image side
 * @param convsPerStage convolutions per stage before its 2x2 max pooling
 * @param featureSize  width of the penultimate layer, whose activations FID and precision/recall use
 * @param shift        training images are shifted by up to this many pixels each way (0 = not at all)
 * @param flip         training images are flipped left-right half of the time
 */
public record ClassifierRecipe(String name, String dataset, int[] convWidths, int convsPerStage, int featureSize,
                               int epochs, int batchSize, double lr, long seed, int shift, boolean flip) {

    /** See the README ("Judging samples") for its accuracy and training time. */
    public static final ClassifierRecipe MNIST = new ClassifierRecipe("mnist-cnn-v2", "mnist",
            new int[] {16, 32}, 1, 128, 4, 64, 1e-3, 0, 2, false);

    /**
     * Three stages (32x32 -> 4x4), random flips and shifts: 83.17% test accuracy in about 25 minutes on two
     * cores (README, "Judging samples", with its calibration).
     */
    public static final ClassifierRecipe CIFAR10 = new ClassifierRecipe("cifar10-cnn-v1", "cifar10",
            new int[] {32, 64, 128}, 1, 256, 20, 64, 1e-3, 0, 4, true);

    /** Whether a dataset (by id) has a classifier recipe. */
    public static boolean exists(String dataset) {
        return dataset.equals("mnist") || dataset.equals("cifar10");
    }

    /** The recipe for a standard dataset id. */
    public static ClassifierRecipe forDataset(String dataset) {
        return switch (dataset) {
            case "mnist" -> MNIST;
            case "cifar10" -> CIFAR10;
            default -> throw new IllegalArgumentException("no classifier exists for dataset '" + dataset
                    + "' (there are classifiers for mnist and cifar10)");
        };
    }

    public String toJson() {
        return new Gson().toJson(this);
    }
}
