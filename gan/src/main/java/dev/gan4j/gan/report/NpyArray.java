package dev.gan4j.gan.report;

import java.util.Arrays;
import java.util.Objects;

/** A float32 array with a C-order (row-major) shape, as stored in a .npy file. */
public record NpyArray(int[] shape, float[] data) {
    public NpyArray {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        shape = shape.clone();
        long elements = 1;
        for (int dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            elements *= dim;
        }
        if (elements != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + elements
                    + " elements, data has " + data.length);
        }
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }
}
