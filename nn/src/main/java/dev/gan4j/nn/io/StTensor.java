package dev.gan4j.nn.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor as the safetensors format sees it: an element type, a shape and the values in C order,
 * held in a plain Java array. It knows nothing of the engine's tensor classes.
 *
 * <p>Values are carried in the widest array that holds them exactly: {@code float[]} for F32, F16 and
 * BF16, {@code double[]} for F64 and {@code long[]} for the integer types and BOOL (0 or 1). Arrays are
 * shared, not copied, so multi-gigabyte tensors are never duplicated: callers must not modify an array
 * after handing it over or after getting it back.
 */
public final class StTensor {

    /** Largest array the JVM reliably allocates; the JDK keeps the same headroom below Integer.MAX_VALUE. */
    static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final StDType dtype;
    private final int[] shape;
    private final int numel;
    private final float[] floats;
    private final double[] doubles;
    private final long[] longs;

    private StTensor(StDType dtype, int[] shape, float[] floats, double[] doubles, long[] longs, int length) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.floats = floats;
        this.doubles = doubles;
        this.longs = longs;
        this.numel = (int) numel(this.shape);
        if (numel != length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " holds " + numel + " elements but the data has " + length);
        }
    }

    /** An F32 tensor over {@code data}, which it keeps (no copy). */
    public static StTensor ofF32(int[] shape, float[] data) {
        return floats(StDType.F32, shape, data);
    }

    /** An F64 tensor over {@code data}, which it keeps (no copy). */
    public static StTensor ofF64(int[] shape, double[] data) {
        return new StTensor(StDType.F64, shape, null, data, null, data.length);
    }

    /** An I64 tensor over {@code data}, which it keeps (no copy). PyTorch stores step counters this way. */
    public static StTensor ofI64(int[] shape, long[] data) {
        return longs(StDType.I64, shape, data);
    }

    /** A tensor of F32, F16 or BF16 whose values have been widened to float. */
    static StTensor floats(StDType dtype, int[] shape, float[] data) {
        if (!dtype.carriedAsFloats()) {
            throw new IllegalArgumentException(dtype + " values are not carried as floats");
        }
        return new StTensor(dtype, shape, data, null, null, data.length);
    }

    /** A tensor of an integer type or BOOL whose values have been widened to long. */
    static StTensor longs(StDType dtype, int[] shape, long[] data) {
        if (!dtype.carriedAsLongs()) {
            throw new IllegalArgumentException(dtype + " values are not carried as longs");
        }
        return new StTensor(dtype, shape, null, null, data, data.length);
    }

    /**
     * Number of elements of a shape: 1 for a scalar ({@code []}), 0 when any dimension is 0.
     *
     * @throws IllegalArgumentException for a negative dimension or more elements than a Java array holds
     */
    static long numel(int[] shape) {
        for (int dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension " + dim + " in shape " + Arrays.toString(shape));
            }
        }
        if (Arrays.stream(shape).anyMatch(dim -> dim == 0)) {
            return 0; // before the size check, which [huge, huge, 0] would fail on the way
        }
        long numel = 1;
        for (int dim : shape) {
            numel *= dim; // cannot overflow: numel <= MAX_ELEMENTS and dim < 2^31 before each step
            if (numel > MAX_ELEMENTS) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more elements than a Java array holds");
            }
        }
        return numel;
    }

    public StDType dtype() {
        return dtype;
    }

    /** The shape, as a copy; {@code []} for a scalar. */
    public int[] shape() {
        return shape.clone();
    }

    public int numel() {
        return numel;
    }

    /**
     * The values as floats. For F32, F16 and BF16 this is the tensor's own array; other types are
     * converted into a new array, rounding F64 and large integers to the nearest float.
     */
    public float[] asFloats() {
        if (floats != null) {
            return floats;
        }
        float[] out = new float[numel];
        for (int i = 0; i < out.length; i++) {
            out[i] = doubles != null ? (float) doubles[i] : (float) longs[i];
        }
        return out;
    }

    /**
     * The values as doubles. For F64 this is the tensor's own array; other types are converted into a
     * new array, exactly except for integers beyond 2^53.
     */
    public double[] asDoubles() {
        if (doubles != null) {
            return doubles;
        }
        double[] out = new double[numel];
        for (int i = 0; i < out.length; i++) {
            out[i] = floats != null ? floats[i] : (double) longs[i];
        }
        return out;
    }

    /**
     * The values of an integer or BOOL tensor, as the tensor's own array.
     *
     * @throws IllegalStateException for a floating-point tensor, whose values need an explicit rounding
     */
    public long[] asLongs() {
        if (longs == null) {
            throw new IllegalStateException(dtype + " tensor has no integer values; round asDoubles() instead");
        }
        return longs;
    }

    @Override
    public String toString() {
        return "StTensor[" + dtype + " " + Arrays.toString(shape) + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StTensor that
                && dtype == that.dtype
                && Arrays.equals(shape, that.shape)
                && Arrays.equals(floats, that.floats)
                && Arrays.equals(doubles, that.doubles)
                && Arrays.equals(longs, that.longs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.hashCode(floats), Arrays.hashCode(doubles), Arrays.hashCode(longs));
    }
}
