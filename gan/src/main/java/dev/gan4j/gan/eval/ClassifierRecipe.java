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
 * @param augment      random horizontal flips and 4-pixel shifted crops of the training images
 */
public record ClassifierRecipe(String name, String dataset, int[] convWidths, int convsPerStage, int featureSize,
                               int epochs, int batchSize, double lr, long seed, boolean augment) {

    /** See the README ("Judging samples") for its accuracy and training time. */
    public static final ClassifierRecipe MNIST = new ClassifierRecipe("mnist-cnn-v1", "mnist",
            new int[] {16, 32}, 1, 128, 4, 64, 1e-3, 0, false);

    /** Whether a dataset (by id) has a classifier recipe. */
    public static boolean exists(String dataset) {
        return dataset.equals("mnist");
    }

    /** The recipe for a standard dataset id. */
    public static ClassifierRecipe forDataset(String dataset) {
        return switch (dataset) {
            case "mnist" -> MNIST;
            default -> throw new IllegalArgumentException("no classifier exists for dataset '" + dataset
                    + "' (there are classifiers for mnist)");
        };
    }

    public String toJson() {
        return new Gson().toJson(this);
    }
}
