package dev.gan4j.nn.layers;

import java.util.Arrays;

/** Reshapes each sample, keeping the batch dim: {@code new Reshape(128, 7, 7)} turns [N, 6272] into [N, 128, 7, 7] (PyTorch's Unflatten). */
public final class Reshape extends Stateless {

    public Reshape(int... sampleShape) {
        super(Arrays.toString(sampleShape), x -> {
            int[] shape = new int[sampleShape.length + 1];
            shape[0] = x.size(0);
            System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
            return x.reshape(shape);
        });
    }
}
