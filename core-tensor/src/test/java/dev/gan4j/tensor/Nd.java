package dev.gan4j.tensor;

import java.util.Arrays;

/**
 * The tests' own model of a tensor: a shape and its elements in row-major order, in double. Nothing
 * here touches the code under test, so {@link Reference} can be trusted independently of it.
 */
record Nd(int[] shape, double[] data) {

    Nd {
        shape = shape.clone();
        if (data.length != numel(shape)) {
            throw new IllegalArgumentException(data.length + " values for shape " + Arrays.toString(shape));
        }
    }

    static Nd zeros(int... shape) {
        return new Nd(shape, new double[numel(shape)]);
    }

    static Nd full(double value, int... shape) {
        double[] d = new double[numel(shape)];
        Arrays.fill(d, value);
        return new Nd(shape, d);
    }

    static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** Row-major strides; size-0 dims count as 1 so indices stay distinct. */
    static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= Math.max(1, shape[d]);
        }
        return s;
    }

    /** A copy: callers may modify it. */
    @Override
    public int[] shape() { return shape.clone(); }

    int rank() { return shape.length; }
    int size(int d) { return shape[d]; }
    int numel() { return data.length; }

    int flat(int... index) {
        int at = 0;
        for (int d = 0; d < index.length; d++) {
            if (index[d] < 0 || index[d] >= shape[d]) throw new IndexOutOfBoundsException(Arrays.toString(index));
            at = at * shape[d] + index[d];
        }
        return at;
    }

    double at(int... index) { return data[flat(index)]; }

    void set(double v, int... index) { data[flat(index)] = v; }

    /** The multi-index of the element at row-major position {@code flat}. */
    static int[] unravel(int flat, int[] shape) {
        int[] index = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }

    Nd reshape(int... newShape) {
        return new Nd(newShape, data.clone());
    }

    @Override
    public String toString() {
        return "Nd" + Arrays.toString(shape) + (data.length <= 32 ? Arrays.toString(data) : "");
    }
}
