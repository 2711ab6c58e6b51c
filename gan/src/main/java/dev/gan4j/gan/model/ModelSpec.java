package dev.gan4j.gan.model;

/**
 * What to build: image shape, latent size, a base width (channels of the widest convolution divided
 * by 4, or the first hidden layer of the MLP), and whether the discriminator may use batch norm
 * (WGAN-GP's critic must not: the penalty is per sample), and whether it ends in a sigmoid
 * (probabilities for BCELoss, the article recipe) rather than returning logits.
 */
public record ModelSpec(Architecture architecture, int channels, int imageSize, int latentSize, int width,
                        boolean discriminatorBatchNorm, boolean discriminatorSigmoid) {

    public ModelSpec {
        if (channels < 1 || latentSize < 1 || width < 1) {
            throw new IllegalArgumentException("model: channels, latent size and width must be positive");
        }
        if (architecture != Architecture.MLP && imageSize != 28 && imageSize != 32 && imageSize != 64) {
            throw new IllegalArgumentException("model: " + architecture + " supports image sizes 28, 32 and 64, got "
                    + imageSize);
        }
    }

    /** Size of the first feature map that G upsamples from: 7 for 28 px, else 4. */
    int baseSize() {
        return imageSize == 28 ? 7 : 4;
    }

    /** Number of 2x upsamplings from the base size to the image size. */
    int upsamplings() {
        return Integer.numberOfTrailingZeros(imageSize / baseSize());
    }
}
