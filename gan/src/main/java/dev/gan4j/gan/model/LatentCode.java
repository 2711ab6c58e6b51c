package dev.gan4j.gan.model;

import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;

import java.util.List;

/**
 * What a generator decodes: {@code noiseSize} standard normal values and, for a class-conditional generator
 * ({@code classes > 0}, Mirza and Osindero's conditional GAN), the one-hot vector of the class to draw after
 * them. The generator itself stays a plain module; only its input is wider.
 */
public record LatentCode(int noiseSize, int classes) {

    public LatentCode {
        if (noiseSize < 1 || classes < 0) {
            throw new IllegalArgumentException("latent code: noise size must be >= 1 and classes >= 0, got " + noiseSize
                    + " and " + classes);
        }
    }

    /** The generator's input width. */
    public int width() {
        return noiseSize + classes;
    }

    public boolean conditional() {
        return classes > 0;
    }

    /**
     * {@code count} codes: the noise drawn from {@code noise} (the same vectors an unconditional generator of
     * this noise size gets from that seed) and, when conditional, classes drawn uniformly from {@code labels}.
     */
    public Tensor draw(Generator noise, Generator labels, int count, Device device) {
        Tensor z = Tensor.normal(noise, 0, 1, DType.F32, device, count, noiseSize);
        return conditional() ? withLabels(z, drawClasses(labels, count)) : z;
    }

    /** {@code count} classes drawn uniformly from {@code labels} (of a conditional code). */
    public int[] drawClasses(Generator labels, int count) {
        int[] drawn = new int[count];
        for (int i = 0; i < count; i++) drawn[i] = labels.nextInt(classes);
        return drawn;
    }

    /** The codes for noise vectors {@code [N, noiseSize]} and their classes (ignored when unconditional). */
    public Tensor withLabels(Tensor noise, int[] labels) {
        return conditional() ? withOneHot(noise, oneHot(labels, noise.device())) : checkedNoise(noise);
    }

    /** The codes for noise vectors {@code [N, noiseSize]} followed by their classes' one-hot rows. */
    public Tensor withOneHot(Tensor noise, Tensor oneHot) {
        return Tensor.concat(List.of(checkedNoise(noise), oneHot), 1);
    }

    /** Rows {@code [N, classes]}, 1 in each label's column. */
    public Tensor oneHot(int[] labels, Device device) {
        for (int label : labels) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("class " + label + " out of range: this generator draws classes 0 to "
                        + (classes - 1));
            }
        }
        return Tensor.oneHot(labels, classes).to(device);
    }

    private Tensor checkedNoise(Tensor noise) {
        if (noise.rank() != 2 || noise.size(1) != noiseSize) {
            throw new IllegalArgumentException("latent code: expected noise of shape [N, " + noiseSize + "], got "
                    + java.util.Arrays.toString(noise.shape()));
        }
        return noise;
    }
}
