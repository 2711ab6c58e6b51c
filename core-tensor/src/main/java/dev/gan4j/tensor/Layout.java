package dev.gan4j.tensor;

import java.util.Arrays;

/**
 * How a tensor's elements sit in its storage: element {@code (i0, i1, ...)} is at
 * {@code offset + i0*strides[0] + i1*strides[1] + ...}. Every view op (reshape, permute, narrow,
 * expand, ...) is a new layout over the same storage; a stride of 0 repeats an element (broadcast).
 */
public final class Layout {

    private final int[] shape;
    private final int[] strides;
    private final int offset;

    public Layout(int[] shape, int[] strides, int offset) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("layout: shape " + Arrays.toString(shape)
                    + " and strides " + Arrays.toString(strides) + " differ in rank");
        }
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
        }
        this.shape = shape.clone();
        this.strides = strides.clone();
        this.offset = offset;
    }

    /** A dense row-major layout starting at element 0. */
    public static Layout contiguous(int... shape) {
        return new Layout(shape, contiguousStrides(shape), 0);
    }

    public static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = stride;
            stride *= Math.max(shape[d], 1);
        }
        return strides;
    }

    public static int numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^31-1 elements");
        }
        return (int) n;
    }

    public int[] shape() { return shape.clone(); }
    public int[] strides() { return strides.clone(); }
    public int offset() { return offset; }
    public int rank() { return shape.length; }
    public int size(int dim) { return shape[dim]; }
    public int stride(int dim) { return strides[dim]; }
    public int numel() { return numel(shape); }

    /** True when the elements are dense, in row-major order (offset may be non-zero). */
    public boolean isContiguous() {
        int expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    /** Storage index of the element at a multi-index. */
    public int indexOf(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " has rank " + index.length
                    + " but the tensor has shape " + Arrays.toString(shape));
        }
        int at = offset;
        for (int d = 0; d < index.length; d++) {
            if (index[d] < 0 || index[d] >= shape[d]) {
                throw new IllegalArgumentException("index " + Arrays.toString(index) + " out of range for shape "
                        + Arrays.toString(shape));
            }
            at += index[d] * strides[d];
        }
        return at;
    }

    /** Normalises a possibly negative dimension and checks it; {@code op} names the caller in errors. */
    public static int checkDim(String op, int dim, int rank) {
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank) {
            throw new IllegalArgumentException(op + ": dimension " + dim + " out of range for rank " + rank);
        }
        return d;
    }

    // ---- views: each returns a layout over the same storage ----

    /**
     * The same elements read with a new shape, or null when the strides cannot express it without a
     * copy. Dimensions are matched in chunks whose old dims are mutually contiguous (PyTorch's rule).
     */
    public Layout tryReshape(int[] newShape) {
        if (isContiguous() || numel() == 0) return new Layout(newShape, contiguousStrides(newShape), offset);
        int[] newStrides = new int[newShape.length];
        int viewD = newShape.length - 1;
        int chunkBaseStride = strides[shape.length - 1];
        long tensorNumel = 1;
        long viewNumel = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            tensorNumel *= shape[d];
            boolean chunkEnds = d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBaseStride);
            if (!chunkEnds) continue;
            while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                newStrides[viewD] = (int) (viewNumel * chunkBaseStride);
                viewNumel *= newShape[viewD];
                viewD--;
            }
            if (viewNumel != tensorNumel) return null;
            if (d > 0) {
                chunkBaseStride = strides[d - 1];
                tensorNumel = 1;
                viewNumel = 1;
            }
        }
        return viewD == -1 ? new Layout(newShape, newStrides, offset) : null;
    }

    public Layout permute(int... order) {
        if (order.length != shape.length) {
            throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " does not match rank "
                    + shape.length);
        }
        int[] newShape = new int[order.length];
        int[] newStrides = new int[order.length];
        boolean[] seen = new boolean[order.length];
        for (int i = 0; i < order.length; i++) {
            int d = checkDim("permute", order[i], shape.length);
            if (seen[d]) throw new IllegalArgumentException("permute: dimension " + d + " repeated in "
                    + Arrays.toString(order));
            seen[d] = true;
            newShape[i] = shape[d];
            newStrides[i] = strides[d];
        }
        return new Layout(newShape, newStrides, offset);
    }

    public Layout transpose(int dim0, int dim1) {
        int[] order = new int[shape.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        int a = checkDim("transpose", dim0, shape.length);
        int b = checkDim("transpose", dim1, shape.length);
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** Elements {@code start, start+step, ...} below {@code end} along {@code dim}. */
    public Layout slice(int dim, int start, int end, int step) {
        int d = checkDim("slice", dim, shape.length);
        if (step <= 0) throw new IllegalArgumentException("slice: step must be positive, got " + step);
        if (start < 0 || end > shape[d] || start > end) {
            throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") out of bounds for dimension "
                    + d + " of size " + shape[d] + " in shape " + Arrays.toString(shape));
        }
        int[] newShape = shape.clone();
        int[] newStrides = strides.clone();
        newShape[d] = (end - start + step - 1) / step;
        newStrides[d] = strides[d] * step;
        return new Layout(newShape, newStrides, offset + start * strides[d]);
    }

    /** Removes dimension {@code dim}, keeping index {@code index} of it. */
    public Layout select(int dim, int index) {
        int d = checkDim("select", dim, shape.length);
        if (index < 0 || index >= shape[d]) {
            throw new IllegalArgumentException("select: index " + index + " out of range for dimension " + d
                    + " of size " + shape[d]);
        }
        return new Layout(remove(shape, d), remove(strides, d), offset + index * strides[d]);
    }

    public Layout unsqueeze(int dim) {
        int d = checkDim("unsqueeze", dim, shape.length + 1);
        int stride = d < shape.length ? strides[d] * shape[d] : 1;
        return new Layout(insert(shape, d, 1), insert(strides, d, stride), offset);
    }

    public Layout squeeze(int dim) {
        int d = checkDim("squeeze", dim, shape.length);
        if (shape[d] != 1) return this;
        return new Layout(remove(shape, d), remove(strides, d), offset);
    }

    /** Broadcasts size-1 dimensions (and new leading ones) to {@code target} with stride 0. */
    public Layout expand(int[] target) {
        if (target.length < shape.length) {
            throw new IllegalArgumentException("expand: cannot expand shape " + Arrays.toString(shape) + " to "
                    + Arrays.toString(target));
        }
        int lead = target.length - shape.length;
        int[] newStrides = new int[target.length];
        for (int d = 0; d < target.length; d++) {
            if (d < lead) continue;
            int own = shape[d - lead];
            if (own == target[d]) newStrides[d] = strides[d - lead];
            else if (own != 1) {
                throw new IllegalArgumentException("expand: cannot expand shape " + Arrays.toString(shape) + " to "
                        + Arrays.toString(target));
            }
        }
        return new Layout(target, newStrides, offset);
    }

    static int[] remove(int[] a, int at) {
        int[] r = new int[a.length - 1];
        System.arraycopy(a, 0, r, 0, at);
        System.arraycopy(a, at + 1, r, at, a.length - at - 1);
        return r;
    }

    static int[] insert(int[] a, int at, int value) {
        int[] r = new int[a.length + 1];
        System.arraycopy(a, 0, r, 0, at);
        r[at] = value;
        System.arraycopy(a, at, r, at + 1, a.length - at);
        return r;
    }

    @Override
    public String toString() {
        return "Layout{shape=" + Arrays.toString(shape) + ", strides=" + Arrays.toString(strides)
                + ", offset=" + offset + "}";
    }
}
