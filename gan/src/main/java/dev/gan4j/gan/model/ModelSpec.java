package dev.gan4j.gan.model;

/**
 * What to build: image shape, latent size, a base width (channels of the widest convolution divided
 * by 4, or the first hidden layer of the MLP), and whether the discriminator may use batch norm
 * (WGAN-GP's critic must not: the penalty is per sample), and whether it ends in a sigmoid
 * (probabilities for BCELoss, the article recipe) rather than returning logits. With {@code classes > 0}
 * both networks are class-conditional: the generator reads a {@link LatentCode} of noise and a one-hot
 * class, the discriminator the image and its {@link LabelPlanes}.
 */
public record ModelSpec(Architecture architecture, int channels, int imageSize, int latentSize, int width,
                        boolean discriminatorBatchNorm, boolean discriminatorSigmoid, int classes) {

    public ModelSpec {
        if (channels < 1 || latentSize < 1 || width < 1 || classes < 0) {
            throw new IllegalArgumentException("model: channels, latent size and width must be positive, classes >= 0");
        }
        if (architecture != Architecture.MLP && imageSize != 28 && imageSize != 32 && imageSize != 64) {
            throw new IllegalArgumentException("model: " + architecture + " supports image sizes 28, 32 and 64, got "
                    + imageSize);
        }
    }

    /** An unconditional model. */
    public ModelSpec(Architecture architecture, int channels, int imageSize, int latentSize, int width,
                     boolean discriminatorBatchNorm, boolean discriminatorSigmoid) {
        this(architecture, channels, imageSize, latentSize, width, discriminatorBatchNorm, discriminatorSigmoid, 0);
    }

    /** The generator's input width: the noise, and the one-hot class when conditional. */
    int generatorInputs() {
        return latentSize + classes;
    }

    /** The discriminator's input channels: the image's, and one label plane per class when conditional. */
    int discriminatorChannels() {
        return channels + classes;
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
