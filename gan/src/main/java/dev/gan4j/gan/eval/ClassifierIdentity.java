package dev.gan4j.gan.eval;

/**
 * Which classifier judged a set of samples, so two reports can be compared only when it is the same.
 *
 * @param name           the recipe's name, e.g. mnist-cnn-v2
 * @param weightsSha256  SHA-256 of the cached safetensors file
 * @param datasetSha256  SHA-256 of the training data it learnt from (pixels as loaded, then labels)
 * @param testAccuracy   its accuracy on the dataset's test split
 */
public record ClassifierIdentity(String name, String file, String weightsSha256, String datasetSha256,
                                 double testAccuracy) {}
