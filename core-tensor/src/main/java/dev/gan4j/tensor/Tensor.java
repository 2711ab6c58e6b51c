package dev.gan4j.tensor;

import dev.gan4j.tensor.backend.AdamStep;
import dev.gan4j.tensor.backend.Backend;
import dev.gan4j.tensor.backend.Backends;
import dev.gan4j.tensor.backend.BatchNormShape;
import dev.gan4j.tensor.backend.BinaryOp;
import dev.gan4j.tensor.backend.ConvGeometry;
import dev.gan4j.tensor.backend.GemmOperand;
import dev.gan4j.tensor.backend.PoolGeometry;
import dev.gan4j.tensor.backend.ReduceOp;
import dev.gan4j.tensor.backend.RmsPropStep;
import dev.gan4j.tensor.backend.UnaryOp;
import dev.gan4j.tensor.backend.UpsampleGeometry;

import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array: a {@link Layout} (shape, strides, offset) over a {@link Storage} on one
 * device. Views (reshape, permute, narrow, expand, ...) share storage; every other op checks its
 * arguments, allocates its result and calls one {@link Backend} kernel. Tensors know nothing of
 * gradients: that is the autograd module's job.
 *
 * <p>Binary ops broadcast like NumPy. Errors name the op and the shapes, dtypes or devices involved.
 */
public final class Tensor {

    private final Storage storage;
    private final Layout layout;

    public Tensor(Storage storage, Layout layout) {
        this.storage = storage;
        this.layout = layout;
    }

    // =====================================================================================
    // Creation
    // =====================================================================================

    /** A zero-filled dense tensor. */
    public static Tensor zeros(DType dtype, Device device, int... shape) {
        return dense(Backends.of(device).allocate(dtype, Layout.numel(shape)), shape);
    }

    /** A dense tensor with undefined contents: only for outputs a kernel overwrites entirely. */
    private static Tensor empty(DType dtype, Device device, int... shape) {
        return dense(Backends.of(device).allocateUninitialized(dtype, Layout.numel(shape)), shape);
    }

    /** Every storage the tensor layer allocates passes here, so an open {@link MemoryScope} owns it. */
    private static Tensor dense(Storage fresh, int[] shape) {
        return new Tensor(MemoryScope.track(fresh), Layout.contiguous(shape));
    }

    public static Tensor zeros(int... shape) {
        return zeros(DType.F32, Device.CPU, shape);
    }

    public static Tensor full(double value, DType dtype, Device device, int... shape) {
        Tensor t = zeros(dtype, device, shape);
        if (value != 0) t.fill(value);
        return t;
    }

    public static Tensor full(double value, int... shape) {
        return full(value, DType.F32, Device.CPU, shape);
    }

    public static Tensor ones(int... shape) {
        return full(1, shape);
    }

    public static Tensor zerosLike(Tensor t) {
        return zeros(t.dtype(), t.device(), t.shape());
    }

    public static Tensor onesLike(Tensor t) {
        return full(1, t.dtype(), t.device(), t.shape());
    }

    /** A 0-dimensional tensor holding one value, with the dtype and device of {@code like}. */
    public static Tensor scalar(double value, Tensor like) {
        return full(value, like.dtype(), like.device());
    }

    public static Tensor scalar(double value) {
        return full(value, DType.F32, Device.CPU);
    }

    /** Wraps a copy of {@code data} (row-major) as a float32 CPU tensor. */
    public static Tensor fromArray(float[] data, int... shape) {
        checkLength(data.length, shape);
        return dense(Backends.cpu().fromHost(data), shape);
    }

    /** Rows {@code [N, classes]} of float32 zeros on the CPU, with a 1 in each label's column. */
    public static Tensor oneHot(int[] labels, int classes) {
        float[] rows = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("one_hot: label " + labels[i] + " out of range for " + classes
                        + " classes");
            }
            rows[i * classes + labels[i]] = 1;
        }
        return fromArray(rows, labels.length, classes);
    }

    /** Wraps a copy of {@code data} (row-major) as a float64 CPU tensor. */
    public static Tensor fromArray(double[] data, int... shape) {
        checkLength(data.length, shape);
        return dense(Backends.cpu().fromHost(data), shape);
    }

    private static void checkLength(int length, int[] shape) {
        if (length != Layout.numel(shape)) {
            throw new IllegalArgumentException("fromArray: " + length + " values do not fill shape "
                    + Arrays.toString(shape) + " (" + Layout.numel(shape) + " elements)");
        }
    }

    /** {@code start, start+step, ...} below {@code end}, as float32. */
    public static Tensor arange(double start, double end, double step) {
        if (step == 0 || (end - start) / step < 0) {
            throw new IllegalArgumentException("arange: cannot go from " + start + " to " + end + " by " + step);
        }
        double[] values = new double[(int) Math.ceil((end - start) / step)];
        for (int i = 0; i < values.length; i++) values[i] = start + i * step;
        return fromArray(values, values.length).to(DType.F32);
    }

    /** {@code steps} evenly spaced values from start to end inclusive, as float32. */
    public static Tensor linspace(double start, double end, int steps) {
        if (steps < 1) throw new IllegalArgumentException("linspace: steps must be >= 1, got " + steps);
        double[] values = new double[steps];
        for (int i = 0; i < steps; i++) values[i] = steps == 1 ? start : start + (end - start) * i / (steps - 1);
        return fromArray(values, steps).to(DType.F32);
    }

    /** Uniform in [low, high), drawn from {@code gen}. */
    public static Tensor uniform(Generator gen, double low, double high, DType dtype, Device device, int... shape) {
        double[] values = new double[Layout.numel(shape)];
        gen.fillUniform(values, low, high);
        if (dtype == DType.F32 && high > low) {
            // Rounding to float could reach high again (rand() would return 1 about once in 2^25 draws).
            float top = Math.nextDown((float) high);
            for (int i = 0; i < values.length; i++) if ((float) values[i] >= high) values[i] = top;
        }
        return fromArray(values, shape).to(dtype).to(device);
    }

    public static Tensor rand(Generator gen, int... shape) {
        return uniform(gen, 0, 1, DType.F32, Device.CPU, shape);
    }

    /** Normal with the given mean and standard deviation, drawn from {@code gen}. */
    public static Tensor normal(Generator gen, double mean, double std, DType dtype, Device device, int... shape) {
        double[] values = new double[Layout.numel(shape)];
        gen.fillNormal(values, mean, std);
        return fromArray(values, shape).to(dtype).to(device);
    }

    public static Tensor randn(Generator gen, int... shape) {
        return normal(gen, 0, 1, DType.F32, Device.CPU, shape);
    }

    /**
     * A Philox4x32-10 draw made on {@code device} itself, with no host work or copy: uniform in {@code [a, b)} or
     * normal with mean {@code a} and standard deviation {@code b}. One key and counter give the same numbers on
     * every device (see {@link Philox}); a key drawn from a {@link Generator} makes it reproducible from a seed.
     */
    public static Tensor random(Philox.Distribution distribution, long key, long counter, double a, double b,
                                DType dtype, Device device, int... shape) {
        Tensor out = empty(dtype, device, shape);
        out.backend().fillRandom(out.storage, out.numel(), distribution, key, counter, a, b);
        return out;
    }

    // =====================================================================================
    // Properties and element access
    // =====================================================================================

    public Storage storage() { return storage; }
    public Layout layout() { return layout; }
    public DType dtype() { return storage.dtype(); }
    public Device device() { return storage.device(); }
    public int[] shape() { return layout.shape(); }
    public int rank() { return layout.rank(); }
    public int numel() { return layout.numel(); }

    /** Size of a dimension; negative dims count from the end. */
    public int size(int dim) {
        return layout.size(Layout.checkDim("size", dim, rank()));
    }

    public Backend backend() {
        return Backends.of(device());
    }

    /** The element at a multi-index (copied to the host). */
    public double get(int... index) {
        double[] one = new double[1];
        backend().toHost(storage, layout.indexOf(index), one);
        return one[0];
    }

    /** The single value of a one-element tensor. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("item: tensor of shape " + Arrays.toString(shape()) + " has "
                    + numel() + " elements, not 1");
        }
        return get(new int[rank()]);
    }

    /** The elements in row-major order, as float. */
    public float[] toFloatArray() {
        Tensor d = dense();
        float[] out = new float[d.numel()];
        d.backend().toHost(d.storage, 0, out);
        return out;
    }

    public double[] toDoubleArray() {
        Tensor d = dense();
        double[] out = new double[d.numel()];
        d.backend().toHost(d.storage, 0, out);
        return out;
    }

    public Tensor to(DType dtype) {
        if (dtype == dtype()) return this;
        Tensor out = empty(dtype, device(), shape());
        backend().copy(storage, layout, out.storage, out.layout);
        return out;
    }

    public Tensor to(Device device) {
        if (device.equals(device())) return this;
        Backend target = Backends.of(device);
        Storage moved = dtype() == DType.F32 ? target.fromHost(toFloatArray()) : target.fromHost(toDoubleArray());
        return dense(moved, shape());
    }

    // =====================================================================================
    // Views: no data is copied
    // =====================================================================================

    /** Same elements with a new shape; one dimension may be -1. Copies only if the strides require it. */
    public Tensor reshape(int... newShape) {
        int[] resolved = resolveShape(newShape);
        Layout view = layout.tryReshape(resolved);
        return view != null ? new Tensor(storage, view) : contiguous().reshape(resolved);
    }

    /** Like reshape, but fails instead of copying. */
    public Tensor view(int... newShape) {
        int[] resolved = resolveShape(newShape);
        Layout view = layout.tryReshape(resolved);
        if (view == null) {
            throw new IllegalArgumentException("view: shape " + Arrays.toString(shape()) + " with strides "
                    + Arrays.toString(layout.strides()) + " cannot be viewed as " + Arrays.toString(resolved)
                    + "; use reshape() (which copies)");
        }
        return new Tensor(storage, view);
    }

    private int[] resolveShape(int[] requested) {
        int[] resolved = requested.clone();
        int inferred = -1;
        long known = 1;
        for (int d = 0; d < resolved.length; d++) {
            if (resolved[d] == -1) {
                if (inferred >= 0) throw new IllegalArgumentException("reshape: more than one -1 in "
                        + Arrays.toString(requested));
                inferred = d;
            } else if (resolved[d] < 0) {
                throw new IllegalArgumentException("reshape: negative dimension in " + Arrays.toString(requested));
            } else {
                known *= resolved[d];
            }
        }
        if (inferred >= 0 && known != 0 && numel() % known == 0) resolved[inferred] = (int) (numel() / known);
        if ((inferred >= 0 && resolved[inferred] == -1) || Layout.numel(resolved) != numel()) {
            throw new IllegalArgumentException("reshape: cannot reshape " + Arrays.toString(shape()) + " ("
                    + numel() + " elements) to " + Arrays.toString(requested));
        }
        return resolved;
    }

    public Tensor permute(int... order) { return new Tensor(storage, layout.permute(order)); }
    public Tensor transpose(int dim0, int dim1) { return new Tensor(storage, layout.transpose(dim0, dim1)); }

    /** The transpose of a matrix. */
    public Tensor t() {
        if (rank() != 2) throw new IllegalArgumentException("t: expects a matrix, got shape " + Arrays.toString(shape()));
        return transpose(0, 1);
    }

    /** {@code length} elements of {@code dim} starting at {@code start}. */
    public Tensor narrow(int dim, int start, int length) {
        return new Tensor(storage, layout.slice(dim, start, start + length, 1));
    }

    public Tensor slice(int dim, int start, int end, int step) {
        return new Tensor(storage, layout.slice(dim, start, end, step));
    }

    public Tensor select(int dim, int index) { return new Tensor(storage, layout.select(dim, index)); }
    public Tensor unsqueeze(int dim) { return new Tensor(storage, layout.unsqueeze(dim)); }
    public Tensor squeeze(int dim) { return new Tensor(storage, layout.squeeze(dim)); }

    /** Removes every size-1 dimension. */
    public Tensor squeeze() {
        int[] kept = Arrays.stream(shape()).filter(d -> d != 1).toArray();
        return reshape(kept);
    }

    /** Broadcasts to {@code target} by repeating size-1 dims (stride 0), like PyTorch's expand. */
    public Tensor expand(int... target) { return new Tensor(storage, layout.expand(target)); }

    /** Merges dimensions {@code startDim..endDim} into one. */
    public Tensor flatten(int startDim, int endDim) {
        int start = Layout.checkDim("flatten", startDim, rank());
        int end = Layout.checkDim("flatten", endDim, rank());
        if (start > end) throw new IllegalArgumentException("flatten: start " + startDim + " after end " + endDim);
        int[] s = shape();
        int[] out = new int[s.length - (end - start)];
        System.arraycopy(s, 0, out, 0, start);
        out[start] = Layout.numel(Arrays.copyOfRange(s, start, end + 1));
        System.arraycopy(s, end + 1, out, start + 1, s.length - end - 1);
        return reshape(out);
    }

    public Tensor flatten() {
        return reshape(numel());
    }

    /** This tensor if already row-major, else a row-major copy. */
    public Tensor contiguous() {
        return layout.isContiguous() ? this : copy();
    }

    /** Row-major, starting at element 0 and owning its whole storage: what dense kernels expect. */
    public Tensor dense() {
        return isDense() ? this : copy();
    }

    private boolean isDense() {
        return layout.isContiguous() && layout.offset() == 0 && storage.size() == numel();
    }

    /** A fresh dense copy. */
    public Tensor copy() {
        Tensor out = empty(dtype(), device(), shape());
        backend().copy(storage, layout, out.storage, out.layout);
        return out;
    }

    // =====================================================================================
    // In-place writes (they bump the storage version so autograd can detect them)
    // =====================================================================================

    /** Copies {@code src} (broadcast to this shape, any dtype) into this tensor's elements. */
    public Tensor assign(Tensor src) {
        checkDevice("assign", src);
        Layout from = src.layout.expand(checkBroadcastTo("assign", src.shape(), shape()));
        backend().copy(src.storage, from, storage, layout);
        storage.bumpVersion();
        return this;
    }

    public Tensor fill(double value) {
        backend().fill(storage, layout, value);
        storage.bumpVersion();
        return this;
    }

    private static int[] checkBroadcastTo(String op, int[] from, int[] to) {
        if (!Arrays.equals(broadcastShapes(op, from, to), to)) {
            throw new IllegalArgumentException(op + ": shape " + Arrays.toString(from) + " cannot be broadcast to "
                    + Arrays.toString(to));
        }
        return to;
    }

    // =====================================================================================
    // Elementwise
    // =====================================================================================

    public Tensor neg() { return unary(UnaryOp.NEG); }
    public Tensor abs() { return unary(UnaryOp.ABS); }
    public Tensor sign() { return unary(UnaryOp.SIGN); }
    public Tensor sqrt() { return unary(UnaryOp.SQRT); }
    public Tensor exp() { return unary(UnaryOp.EXP); }
    public Tensor log() { return unary(UnaryOp.LOG); }
    public Tensor tanh() { return unary(UnaryOp.TANH); }
    public Tensor sigmoid() { return unary(UnaryOp.SIGMOID); }
    public Tensor relu() { return unary(UnaryOp.RELU); }
    public Tensor softplus() { return unary(UnaryOp.SOFTPLUS); }

    public Tensor unary(UnaryOp op) {
        Tensor out = empty(dtype(), device(), shape());
        backend().unary(op, storage, layout, out.storage, out.layout);
        return out;
    }

    public Tensor add(Tensor other) { return binary(BinaryOp.ADD, other); }
    public Tensor sub(Tensor other) { return binary(BinaryOp.SUB, other); }
    public Tensor mul(Tensor other) { return binary(BinaryOp.MUL, other); }
    public Tensor div(Tensor other) { return binary(BinaryOp.DIV, other); }
    public Tensor pow(Tensor exponent) { return binary(BinaryOp.POW, exponent); }
    public Tensor maximum(Tensor other) { return binary(BinaryOp.MAXIMUM, other); }
    public Tensor minimum(Tensor other) { return binary(BinaryOp.MINIMUM, other); }
    public Tensor eq(Tensor other) { return binary(BinaryOp.EQ, other); }
    public Tensor ne(Tensor other) { return binary(BinaryOp.NE, other); }
    public Tensor lt(Tensor other) { return binary(BinaryOp.LT, other); }
    public Tensor le(Tensor other) { return binary(BinaryOp.LE, other); }
    public Tensor gt(Tensor other) { return binary(BinaryOp.GT, other); }
    public Tensor ge(Tensor other) { return binary(BinaryOp.GE, other); }

    public Tensor add(double v) { return binary(BinaryOp.ADD, scalar(v, this)); }
    public Tensor sub(double v) { return binary(BinaryOp.SUB, scalar(v, this)); }
    public Tensor mul(double v) { return binary(BinaryOp.MUL, scalar(v, this)); }
    public Tensor div(double v) { return binary(BinaryOp.DIV, scalar(v, this)); }
    public Tensor pow(double exponent) { return binary(BinaryOp.POW, scalar(exponent, this)); }
    public Tensor maximum(double v) { return binary(BinaryOp.MAXIMUM, scalar(v, this)); }
    public Tensor minimum(double v) { return binary(BinaryOp.MINIMUM, scalar(v, this)); }
    public Tensor eq(double v) { return binary(BinaryOp.EQ, scalar(v, this)); }
    public Tensor ne(double v) { return binary(BinaryOp.NE, scalar(v, this)); }
    public Tensor lt(double v) { return binary(BinaryOp.LT, scalar(v, this)); }
    public Tensor le(double v) { return binary(BinaryOp.LE, scalar(v, this)); }
    public Tensor gt(double v) { return binary(BinaryOp.GT, scalar(v, this)); }
    public Tensor ge(double v) { return binary(BinaryOp.GE, scalar(v, this)); }

    /** {@code x > 0 ? x : slope * x}. */
    public Tensor leakyRelu(double slope) { return binary(BinaryOp.LEAKY_RELU, scalar(slope, this)); }

    /** Limits every element to [min, max]. */
    public Tensor clamp(double min, double max) {
        if (min > max) throw new IllegalArgumentException("clamp: min " + min + " > max " + max);
        return maximum(min).minimum(max);
    }

    public Tensor binary(BinaryOp op, Tensor other) {
        String name = op.name().toLowerCase();
        checkCompatible(name, other);
        int[] outShape = broadcastShapes(name, shape(), other.shape());
        Tensor out = empty(dtype(), device(), outShape);
        backend().binary(op, storage, layout.expand(outShape), other.storage, other.layout.expand(outShape),
                out.storage, out.layout);
        return out;
    }

    /** {@code cond != 0 ? a : b}, all three broadcast together. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        a.checkCompatible("where", b);
        a.checkCompatible("where", cond);
        int[] shape = broadcastShapes("where", broadcastShapes("where", cond.shape(), a.shape()), b.shape());
        Tensor out = empty(a.dtype(), a.device(), shape);
        a.backend().where(cond.storage, cond.layout.expand(shape), a.storage, a.layout.expand(shape),
                b.storage, b.layout.expand(shape), out.storage, out.layout);
        return out;
    }

    /** NumPy broadcasting: align trailing dims; each pair must be equal or contain a 1. */
    public static int[] broadcastShapes(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and "
                        + Arrays.toString(b) + " cannot be broadcast together");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    private void checkDevice(String op, Tensor other) {
        if (!device().equals(other.device())) {
            throw new IllegalArgumentException(op + ": tensors are on different devices (" + device() + " and "
                    + other.device() + ")");
        }
    }

    /** Same device and dtype, or a clear error naming both. */
    public void checkCompatible(String op, Tensor other) {
        checkDevice(op, other);
        if (dtype() != other.dtype()) {
            throw new IllegalArgumentException(op + ": tensors have different dtypes (" + dtype() + " and "
                    + other.dtype() + "); convert one with to(DType)");
        }
    }

    // =====================================================================================
    // Reductions
    // =====================================================================================

    public Tensor sum() { return sum(allAxes(), false); }
    public Tensor sum(int axis) { return sum(new int[] {axis}, false); }
    public Tensor sum(int[] axes, boolean keepDim) { return reduce("sum", ReduceOp.SUM, axes, keepDim); }

    public Tensor max() { return max(allAxes(), false); }
    public Tensor max(int[] axes, boolean keepDim) { return reduce("max", ReduceOp.MAX, axes, keepDim); }
    public Tensor min() { return min(allAxes(), false); }
    public Tensor min(int[] axes, boolean keepDim) { return reduce("min", ReduceOp.MIN, axes, keepDim); }

    public Tensor mean() { return mean(allAxes(), false); }

    public Tensor mean(int[] axes, boolean keepDim) {
        int count = countOver("mean", axes); // first, so that errors name mean rather than sum
        return sum(axes, keepDim).div(count);
    }

    /** Variance with Bessel's correction subtracted from the count (1 = unbiased, 0 = biased). */
    public Tensor var(int[] axes, boolean keepDim, int correction) {
        int count = countOver("var", axes);
        Tensor centred = sub(mean(axes, true));
        return centred.mul(centred).sum(axes, keepDim).div(Math.max(count - correction, 0));
    }

    /** Index of the largest element along {@code axis} (as a number in this dtype). */
    public Tensor argmax(int axis, boolean keepDim) { return argReduce(ReduceOp.MAX, axis, keepDim); }
    public Tensor argmin(int axis, boolean keepDim) { return argReduce(ReduceOp.MIN, axis, keepDim); }

    private Tensor argReduce(ReduceOp op, int axis, boolean keepDim) {
        String name = op == ReduceOp.MAX ? "argmax" : "argmin";
        int a = Layout.checkDim(name, axis, rank());
        if (size(a) == 0) throw new IllegalArgumentException(name + ": empty dimension " + axis);
        int[] outShape = shape();
        outShape[a] = 1;
        Tensor out = empty(dtype(), device(), outShape);
        backend().argReduce(op, storage, layout, a, out.storage);
        return keepDim ? out : out.squeeze(a);
    }

    public int[] allAxes() {
        int[] axes = new int[rank()];
        for (int d = 0; d < axes.length; d++) axes[d] = d;
        return axes;
    }

    /** Marks the given (possibly negative, unrepeated) axes; errors name {@code op}. */
    public boolean[] axisMask(String op, int[] axes) {
        boolean[] mask = new boolean[rank()];
        for (int axis : axes) {
            int d = Layout.checkDim(op, axis, rank());
            if (mask[d]) throw new IllegalArgumentException(op + ": axis " + axis + " repeated in " + Arrays.toString(axes));
            mask[d] = true;
        }
        return mask;
    }

    private int countOver(String op, int[] axes) {
        boolean[] mask = axisMask(op, axes);
        int count = 1;
        for (int d = 0; d < mask.length; d++) if (mask[d]) count *= size(d);
        return count;
    }

    private Tensor reduce(String name, ReduceOp op, int[] axes, boolean keepDim) {
        boolean[] mask = axisMask(name, axes);
        int[] keptShape = shape();
        for (int d = 0; d < mask.length; d++) {
            if (!mask[d]) continue;
            if (keptShape[d] == 0 && op != ReduceOp.SUM) {
                throw new IllegalArgumentException(name + ": cannot reduce empty dimension " + d + " of shape "
                        + Arrays.toString(shape()));
            }
            keptShape[d] = 1;
        }
        Tensor out = empty(dtype(), device(), keptShape);
        backend().reduce(op, storage, layout, mask, out.storage);
        if (keepDim) return out;
        int[] squeezed = new int[rank() - (int) countTrue(mask)];
        for (int d = 0, j = 0; d < mask.length; d++) if (!mask[d]) squeezed[j++] = keptShape[d];
        return out.reshape(squeezed);
    }

    private static long countTrue(boolean[] mask) {
        long n = 0;
        for (boolean b : mask) if (b) n++;
        return n;
    }

    // =====================================================================================
    // Linear algebra
    // =====================================================================================

    /**
     * Matrix product of {@code [..., m, k]} and {@code [..., k, n]}, batch dims broadcast: the one
     * {@code Backend.matmul} kernel. Vectors are promoted by {@code Variable.matmul}, not here.
     */
    public Tensor matmul(Tensor other) {
        checkCompatible("matmul", other);
        if (rank() < 2 || other.rank() < 2) {
            throw new IllegalArgumentException("matmul: both operands need at least two dimensions, got shapes "
                    + Arrays.toString(shape()) + " and " + Arrays.toString(other.shape())
                    + " (Variable.matmul promotes vectors)");
        }
        int m = size(-2);
        int k = size(-1);
        int n = other.size(-1);
        if (other.size(-2) != k) {
            throw new IllegalArgumentException("matmul: shapes " + Arrays.toString(shape()) + " and "
                    + Arrays.toString(other.shape()) + " do not match (" + k + " != " + other.size(-2) + ")");
        }
        int[] batchShape = broadcastShapes("matmul", Arrays.copyOf(shape(), rank() - 2),
                Arrays.copyOf(other.shape(), other.rank() - 2));
        int batch = Layout.numel(batchShape);
        Tensor a3 = matrixOperand(expand(concat(batchShape, m, k)), batch);
        Tensor b3 = matrixOperand(other.expand(concat(batchShape, k, n)), batch);
        Tensor out = empty(dtype(), device(), batch, m, n);
        backend().matmul(a3.storage, a3.layout, b3.storage, b3.layout, out.storage);
        return out.reshape(concat(batchShape, m, n));
    }

    /** A rank-3 view {@code [batch, rows, cols]} that GEMM can read in place, else a dense copy. */
    private static Tensor matrixOperand(Tensor t, int batch) {
        int[] shape3 = {batch, t.size(-2), t.size(-1)};
        Layout view = t.layout.tryReshape(shape3);
        if (view != null && GemmOperand.of(view) != null) return new Tensor(t.storage, view);
        return t.contiguous().reshape(shape3);
    }

    private static int[] concat(int[] head, int... tail) {
        int[] out = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out, head.length, tail.length);
        return out;
    }

    // =====================================================================================
    // Convolution
    // =====================================================================================

    /** 2-D convolution of {@code x [N, C, H, W]} with {@code weight [O, C, kH, kW]}; bias {@code [O]} may be null. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, ConvParams p) {
        ConvGeometry g = convGeometry("conv2d", x.shape(), weight.shape(), p);
        x.checkCompatible("conv2d", weight);
        Tensor y = empty(x.dtype(), x.device(), g.batch(), g.outChannels(), g.outH(), g.outW());
        x.backend().conv2d(x.dense().storage, weight.dense().storage, y.storage, g);
        return addChannelBias("conv2d", y, bias);
    }

    /**
     * Transposed convolution of {@code x [N, Cin, H, W]} with {@code weight [Cin, Cout, kH, kW]} (PyTorch's
     * layout); output size {@code (H-1)*stride - 2*pad + dilation*(k-1) + outputPadding + 1}.
     */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, ConvParams p,
                                         int outputPaddingH, int outputPaddingW) {
        int[] outShape = convTranspose2dShape(x.shape(), weight.shape(), p, outputPaddingH, outputPaddingW);
        return addChannelBias("conv_transpose2d", conv2dBackwardInput(x, weight, outShape, p), bias);
    }

    /** The output shape of a transposed convolution, or a clear error when the arguments do not fit. */
    public static int[] convTranspose2dShape(int[] x, int[] w, ConvParams p, int outputPaddingH, int outputPaddingW) {
        if (x.length != 4 || w.length != 4 || x[1] != w[0]) {
            throw new IllegalArgumentException("conv_transpose2d: input " + Arrays.toString(x) + " and weight "
                    + Arrays.toString(w) + " do not match (expects [N, Cin, H, W] and [Cin, Cout, kH, kW])");
        }
        // PyTorch also allows stride <= output padding < dilation, but then the output is not the input
        // gradient of any conv2d whose output has x's size, which is how this op (and its autograd) works.
        if (outputPaddingH >= p.strideH() || outputPaddingW >= p.strideW() || outputPaddingH < 0 || outputPaddingW < 0) {
            throw new IllegalArgumentException("conv_transpose2d: output padding (" + outputPaddingH + ", "
                    + outputPaddingW + ") must be >= 0 and smaller than the stride in " + p);
        }
        int outH = (x[2] - 1) * p.strideH() - 2 * p.padH() + p.dilationH() * (w[2] - 1) + outputPaddingH + 1;
        int outW = (x[3] - 1) * p.strideW() - 2 * p.padW() + p.dilationW() * (w[3] - 1) + outputPaddingW + 1;
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("conv_transpose2d: output size " + outH + "x" + outW
                    + " is not positive for input " + Arrays.toString(x) + " and " + p);
        }
        return new int[] {x[0], w[1], outH, outW};
    }

    /**
     * The gradient of {@code conv2d(input, weight)} with respect to an input of shape {@code inputShape},
     * given the output gradient {@code gy}. Also the forward pass of a transposed convolution.
     */
    public static Tensor conv2dBackwardInput(Tensor gy, Tensor weight, int[] inputShape, ConvParams p) {
        gy.checkCompatible("conv2d_backward_input", weight);
        ConvGeometry g = convGeometry("conv2d_backward_input", inputShape, weight.shape(), p);
        checkOutput("conv2d_backward_input", g, gy.shape());
        Tensor gx = empty(gy.dtype(), gy.device(), inputShape);
        gy.backend().conv2dBackwardInput(gy.dense().storage, weight.dense().storage, gx.storage, g);
        return gx;
    }

    /** The gradient of {@code conv2d(x, weight)} with respect to a weight of shape {@code weightShape}. */
    public static Tensor conv2dBackwardWeight(Tensor x, Tensor gy, int[] weightShape, ConvParams p) {
        x.checkCompatible("conv2d_backward_weight", gy);
        ConvGeometry g = convGeometry("conv2d_backward_weight", x.shape(), weightShape, p);
        checkOutput("conv2d_backward_weight", g, gy.shape());
        Tensor gw = empty(x.dtype(), x.device(), weightShape);
        x.backend().conv2dBackwardWeight(x.dense().storage, gy.dense().storage, gw.storage, g);
        return gw;
    }

    private static ConvGeometry convGeometry(String op, int[] x, int[] w, ConvParams p) {
        if (x.length != 4 || w.length != 4 || x[1] != w[1]) {
            throw new IllegalArgumentException(op + ": input " + Arrays.toString(x) + " and weight " + Arrays.toString(w)
                    + " do not match (expects [N, C, H, W] and [O, C, kH, kW])");
        }
        int outH = ConvGeometry.outputSize(x[2], w[2], p.strideH(), p.padH(), p.dilationH());
        int outW = ConvGeometry.outputSize(x[3], w[3], p.strideW(), p.padW(), p.dilationW());
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException(op + ": kernel " + w[2] + "x" + w[3] + " with " + p
                    + " does not fit input " + Arrays.toString(x));
        }
        return new ConvGeometry(x[0], x[1], x[2], x[3], w[0], w[2], w[3], p.strideH(), p.strideW(), p.padH(), p.padW(),
                p.dilationH(), p.dilationW(), outH, outW);
    }

    private static void checkOutput(String op, ConvGeometry g, int[] gy) {
        int[] expected = {g.batch(), g.outChannels(), g.outH(), g.outW()};
        if (!Arrays.equals(gy, expected)) {
            throw new IllegalArgumentException(op + ": output gradient has shape " + Arrays.toString(gy)
                    + " but the convolution produces " + Arrays.toString(expected));
        }
    }

    private static Tensor addChannelBias(String op, Tensor y, Tensor bias) {
        if (bias == null) return y;
        if (bias.rank() != 1 || bias.size(0) != y.size(1)) {
            throw new IllegalArgumentException(op + ": bias shape " + Arrays.toString(bias.shape()) + " does not match "
                    + y.size(1) + " output channels");
        }
        return y.add(bias.reshape(1, y.size(1), 1, 1));
    }

    // =====================================================================================
    // Batch normalisation
    // =====================================================================================

    /** Output and saved statistics of a training-mode batch norm. */
    public record BatchNormResult(Tensor output, Tensor mean, Tensor invStd) {}

    /** Gradients of a training-mode batch norm. */
    public record BatchNormGrads(Tensor input, Tensor gamma, Tensor beta) {}

    /**
     * Normalises {@code x [N, C, ...]} per channel with the batch's statistics; gamma/beta may be null
     * (no affine). If runningMean/runningVar are not null they are updated in place (PyTorch momentum).
     */
    public static BatchNormResult batchNormTraining(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean,
                                                    Tensor runningVar, double momentum, double eps) {
        BatchNormShape s = batchNormShape("batch_norm", x);
        if (s.perChannel() <= 1) {
            throw new IllegalArgumentException("batch_norm: expected more than 1 value per channel when training, got input "
                    + Arrays.toString(x.shape()));
        }
        Tensor y = empty(x.dtype(), x.device(), x.shape());
        Tensor mean = empty(x.dtype(), x.device(), s.channels());
        Tensor invStd = empty(x.dtype(), x.device(), s.channels());
        x.backend().batchNormTraining(x.dense().storage, channelParam(x, gamma, 1, s).storage,
                channelParam(x, beta, 0, s).storage, runningStat(x, runningMean, s), runningStat(x, runningVar, s),
                momentum, eps, y.storage, mean.storage, invStd.storage, s);
        if (runningMean != null) runningMean.storage.bumpVersion();
        if (runningVar != null) runningVar.storage.bumpVersion();
        return new BatchNormResult(y, mean, invStd);
    }

    public static Tensor batchNormInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                            double eps) {
        BatchNormShape s = batchNormShape("batch_norm", x);
        if (runningMean == null || runningVar == null) {
            throw new IllegalArgumentException("batch_norm: inference needs running statistics");
        }
        Tensor y = empty(x.dtype(), x.device(), x.shape());
        x.backend().batchNormInference(x.dense().storage, channelParam(x, gamma, 1, s).storage,
                channelParam(x, beta, 0, s).storage, channelParam(x, runningMean, 0, s).storage,
                channelParam(x, runningVar, 1, s).storage, eps, y.storage, s);
        return y;
    }

    public static BatchNormGrads batchNormBackward(Tensor x, Tensor gy, Tensor gamma, Tensor mean, Tensor invStd) {
        BatchNormShape s = batchNormShape("batch_norm_backward", x);
        if (!Arrays.equals(x.shape(), gy.shape())) {
            throw new IllegalArgumentException("batch_norm_backward: gradient shape " + Arrays.toString(gy.shape())
                    + " differs from input " + Arrays.toString(x.shape()));
        }
        Tensor gx = empty(x.dtype(), x.device(), x.shape());
        Tensor gGamma = empty(x.dtype(), x.device(), s.channels());
        Tensor gBeta = empty(x.dtype(), x.device(), s.channels());
        x.backend().batchNormBackward(x.dense().storage, gy.dense().storage, channelParam(x, gamma, 1, s).storage,
                mean.dense().storage, invStd.dense().storage, gx.storage, gGamma.storage, gBeta.storage, s);
        return new BatchNormGrads(gx, gGamma, gBeta);
    }

    private static BatchNormShape batchNormShape(String op, Tensor x) {
        if (x.rank() < 2) {
            throw new IllegalArgumentException(op + ": expects input [N, C, ...], got " + Arrays.toString(x.shape()));
        }
        int spatial = x.numel() / Math.max(1, x.size(0) * x.size(1));
        return new BatchNormShape(x.size(0), x.size(1), x.numel() == 0 ? 0 : spatial);
    }

    /** A per-channel parameter, or a constant one when absent (no affine transform). */
    private static Tensor channelParam(Tensor x, Tensor param, double absentValue, BatchNormShape s) {
        if (param == null) return full(absentValue, x.dtype(), x.device(), s.channels());
        checkChannels(x, param, s);
        return param.dense();
    }

    private static Storage runningStat(Tensor x, Tensor stat, BatchNormShape s) {
        if (stat == null) return null;
        checkChannels(x, stat, s);
        if (stat.dense() != stat) {
            throw new IllegalArgumentException("batch_norm: running statistics must be dense tensors");
        }
        return stat.storage;
    }

    private static void checkChannels(Tensor x, Tensor param, BatchNormShape s) {
        x.checkCompatible("batch_norm", param);
        if (param.rank() != 1 || param.size(0) != s.channels()) {
            throw new IllegalArgumentException("batch_norm: per-channel tensor of shape " + Arrays.toString(param.shape())
                    + " does not match " + s.channels() + " channels of input " + Arrays.toString(x.shape()));
        }
    }

    // =====================================================================================
    // Optimiser updates (in place)
    // =====================================================================================

    /**
     * One Adam update ({@link Backend#adamStep}): writes {@code param}, {@code expAvg}, {@code expAvgSq} and,
     * with AMSGrad, {@code maxExpAvgSq} (else null) in place. All have {@code param}'s shape, device and dtype;
     * the tensors written must be dense and each own its storage.
     */
    public static void adamStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq,
                                AdamStep h) {
        requireState("adam_step", "max_exp_avg_sq", maxExpAvgSq, h.amsgrad(), "amsgrad is on");
        checkUpdate("adam_step", grad, new String[] {"param", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"},
                param, expAvg, expAvgSq, maxExpAvgSq);
        param.backend().adamStep(param.storage, grad.dense().storage, expAvg.storage, expAvgSq.storage,
                storageOrNull(maxExpAvgSq), param.numel(), h);
        bumpVersions(param, expAvg, expAvgSq, maxExpAvgSq);
    }

    /**
     * One RMSprop update ({@link Backend#rmsPropStep}): writes {@code param}, {@code squareAvg}, {@code gradAvg}
     * when centered (else null) and {@code momentumBuffer} with momentum (else null) in place, under the same
     * conditions as {@link #adamStep}.
     */
    public static void rmsPropStep(Tensor param, Tensor grad, Tensor squareAvg, Tensor gradAvg, Tensor momentumBuffer,
                                   RmsPropStep h) {
        requireState("rmsprop_step", "grad_avg", gradAvg, h.centered(), "centered");
        requireState("rmsprop_step", "momentum_buffer", momentumBuffer, h.momentum() > 0, "momentum > 0");
        checkUpdate("rmsprop_step", grad, new String[] {"param", "square_avg", "grad_avg", "momentum_buffer"},
                param, squareAvg, gradAvg, momentumBuffer);
        param.backend().rmsPropStep(param.storage, grad.dense().storage, squareAvg.storage, storageOrNull(gradAvg),
                storageOrNull(momentumBuffer), param.numel(), h);
        bumpVersions(param, squareAvg, gradAvg, momentumBuffer);
    }

    private static void requireState(String op, String name, Tensor state, boolean wanted, String when) {
        if (wanted != (state != null)) {
            throw new IllegalArgumentException(op + ": " + name + " must be given exactly when " + when);
        }
    }

    /**
     * The gradient and every state tensor (nulls are absent ones) match {@code written[0]}, the parameter, in
     * shape, device and dtype; the tensors written are dense and none shares another's storage.
     */
    private static void checkUpdate(String op, Tensor grad, String[] names, Tensor... written) {
        Tensor param = written[0];
        checkSameShape(op, param, "grad", grad);
        for (int i = 0; i < written.length; i++) {
            Tensor t = written[i];
            if (t == null) continue;
            checkSameShape(op, param, names[i], t);
            if (!t.isDense()) throw new IllegalArgumentException(op + ": " + names[i] + " must be a dense tensor");
            for (int j = 0; j < i; j++) {
                if (written[j] != null && written[j].storage == t.storage) {
                    throw new IllegalArgumentException(op + ": " + names[j] + " and " + names[i] + " share storage");
                }
            }
        }
    }

    private static void checkSameShape(String op, Tensor reference, String name, Tensor t) {
        reference.checkCompatible(op, t);
        if (!Arrays.equals(reference.shape(), t.shape())) {
            throw new IllegalArgumentException(op + ": " + name + " has shape " + Arrays.toString(t.shape())
                    + " but param has " + Arrays.toString(reference.shape()));
        }
    }

    private static Storage storageOrNull(Tensor t) {
        return t == null ? null : t.storage;
    }

    private static void bumpVersions(Tensor... written) {
        for (Tensor t : written) if (t != null) t.storage.bumpVersion();
    }

    // =====================================================================================
    // Pooling, upsampling, padding
    // =====================================================================================

    /** Output and winner indices (flat within each plane) of a max pooling. */
    public record MaxPoolResult(Tensor output, Tensor argmax) {}

    public MaxPoolResult maxPool2dWithIndices(int kernel, int stride, int padding) {
        PoolGeometry g = poolGeometry("max_pool2d", shape(), kernel, stride, padding);
        Tensor y = empty(dtype(), device(), g.batch(), g.channels(), g.outH(), g.outW());
        Tensor argmax = empty(y.dtype(), y.device(), y.shape());
        backend().maxPool2d(dense().storage, y.storage, argmax.storage, g);
        return new MaxPoolResult(y, argmax);
    }

    public Tensor maxPool2d(int kernel, int stride, int padding) {
        return maxPool2dWithIndices(kernel, stride, padding).output();
    }

    /** Routes {@code gy} back to the max-pooling winners in an input of shape {@code inputShape}. */
    public static Tensor maxPool2dBackward(Tensor gy, Tensor argmax, int[] inputShape, int kernel, int stride, int padding) {
        PoolGeometry g = poolGeometry("max_pool2d_backward", inputShape, kernel, stride, padding);
        checkPoolOutput("max_pool2d_backward", "output gradient", g, gy.shape());
        checkPoolOutput("max_pool2d_backward", "indices", g, argmax.shape());
        gy.checkCompatible("max_pool2d_backward", argmax);
        Tensor gx = empty(gy.dtype(), gy.device(), inputShape);
        gy.backend().maxPool2dBackward(gy.dense().storage, argmax.dense().storage, gx.storage, g);
        return gx;
    }

    public Tensor avgPool2d(int kernel, int stride, int padding) {
        PoolGeometry g = poolGeometry("avg_pool2d", shape(), kernel, stride, padding);
        Tensor y = empty(dtype(), device(), g.batch(), g.channels(), g.outH(), g.outW());
        backend().avgPool2d(dense().storage, y.storage, g);
        return y;
    }

    public static Tensor avgPool2dBackward(Tensor gy, int[] inputShape, int kernel, int stride, int padding) {
        PoolGeometry g = poolGeometry("avg_pool2d_backward", inputShape, kernel, stride, padding);
        checkPoolOutput("avg_pool2d_backward", "output gradient", g, gy.shape());
        Tensor gx = empty(gy.dtype(), gy.device(), inputShape);
        gy.backend().avgPool2dBackward(gy.dense().storage, gx.storage, g);
        return gx;
    }

    /** Nearest-neighbour upsampling of {@code [N, C, H, W]} by an integer factor: each pixel becomes a scale x scale block. */
    public Tensor upsampleNearest(int scale) {
        int[] s = shape();
        if (s.length != 4 || scale < 1) {
            throw new IllegalArgumentException("upsample_nearest: expects [N, C, H, W] and scale >= 1, got "
                    + Arrays.toString(s) + " and " + scale);
        }
        UpsampleGeometry g = new UpsampleGeometry(s[0], s[1], s[2], s[3], scale);
        Tensor y = empty(dtype(), device(), g.batch(), g.channels(), g.outH(), g.outW());
        backend().upsampleNearest(dense().storage, y.storage, g);
        return y;
    }

    /** The adjoint of {@link #upsampleNearest}: each pixel of the result is the sum of its scale x scale block of gy. */
    public static Tensor upsampleNearestBackward(Tensor gy, int scale) {
        int[] s = gy.shape();
        if (s.length != 4 || scale < 1 || s[2] % scale != 0 || s[3] % scale != 0) {
            throw new IllegalArgumentException("upsample_nearest_backward: expects [N, C, H * scale, W * scale] and "
                    + "scale >= 1, got " + Arrays.toString(s) + " and " + scale);
        }
        UpsampleGeometry g = new UpsampleGeometry(s[0], s[1], s[2] / scale, s[3] / scale, scale);
        Tensor gx = empty(gy.dtype(), gy.device(), g.batch(), g.channels(), g.inH(), g.inW());
        gy.backend().upsampleNearestBackward(gy.dense().storage, gx.storage, g);
        return gx;
    }

    private static void checkPoolOutput(String op, String what, PoolGeometry g, int[] shape) {
        int[] expected = {g.batch(), g.channels(), g.outH(), g.outW()};
        if (!Arrays.equals(shape, expected)) {
            throw new IllegalArgumentException(op + ": " + what + " shape " + Arrays.toString(shape)
                    + " differs from the pooling's output " + Arrays.toString(expected));
        }
    }

    private static PoolGeometry poolGeometry(String op, int[] x, int kernel, int stride, int padding) {
        if (x.length != 4) throw new IllegalArgumentException(op + ": expects [N, C, H, W], got " + Arrays.toString(x));
        if (kernel < 1 || stride < 1 || padding < 0 || 2 * padding > kernel) {
            throw new IllegalArgumentException(op + ": invalid kernel " + kernel + ", stride " + stride + ", padding "
                    + padding + " (padding must be at most half the kernel)");
        }
        int outH = ConvGeometry.outputSize(x[2], kernel, stride, padding, 1);
        int outW = ConvGeometry.outputSize(x[3], kernel, stride, padding, 1);
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException(op + ": kernel " + kernel + " does not fit input " + Arrays.toString(x));
        }
        return new PoolGeometry(x[0], x[1], x[2], x[3], kernel, kernel, stride, stride, padding, padding, outH, outW);
    }

    /**
     * Pads with a constant. {@code pads} lists (before, after) pairs starting from the last dimension,
     * as in PyTorch's {@code F.pad}: {@code {left, right, top, bottom}} pads W then H.
     */
    public Tensor pad(int[] pads, double value) {
        if (pads.length % 2 != 0 || pads.length / 2 > rank()) {
            throw new IllegalArgumentException("pad: " + pads.length + " padding values do not fit rank " + rank());
        }
        int[] outShape = shape();
        for (int i = 0; i < pads.length / 2; i++) {
            int d = rank() - 1 - i;
            if (pads[2 * i] < 0 || pads[2 * i + 1] < 0) {
                throw new IllegalArgumentException("pad: negative padding " + Arrays.toString(pads));
            }
            outShape[d] += pads[2 * i] + pads[2 * i + 1];
        }
        Tensor out = full(value, dtype(), device(), outShape);
        out.interior(pads, shape()).assign(this);
        return out;
    }

    /** The region of a padded tensor that holds the original, as a view. */
    public Tensor interior(int[] pads, int[] originalShape) {
        Tensor view = this;
        for (int i = 0; i < pads.length / 2; i++) {
            int d = rank() - 1 - i;
            view = view.narrow(d, pads[2 * i], originalShape[d]);
        }
        return view;
    }

    // =====================================================================================
    // Joining and indexing
    // =====================================================================================

    /** Joins tensors along an existing dimension; all other dims must match. */
    public static Tensor concat(List<Tensor> parts, int dim) {
        if (parts.isEmpty()) throw new IllegalArgumentException("concat: no tensors given");
        Tensor first = parts.get(0);
        int d = Layout.checkDim("concat", dim, first.rank());
        int[] outShape = first.shape();
        outShape[d] = 0;
        for (Tensor part : parts) {
            first.checkCompatible("concat", part);
            int[] s = part.shape();
            boolean matches = s.length == outShape.length;
            for (int i = 0; matches && i < s.length; i++) matches = i == d || s[i] == outShape[i];
            if (!matches) {
                throw new IllegalArgumentException("concat: shape " + Arrays.toString(s) + " does not match "
                        + Arrays.toString(first.shape()) + " outside dimension " + d);
            }
            outShape[d] += s[d];
        }
        Tensor out = zeros(first.dtype(), first.device(), outShape);
        int at = 0;
        for (Tensor part : parts) {
            out.narrow(d, at, part.size(d)).assign(part);
            at += part.size(d);
        }
        return out;
    }

    /** The slices {@code index[0], index[1], ...} of {@code dim}, stacked along dim. */
    public Tensor indexSelect(int dim, int[] index) {
        int d = Layout.checkDim("index_select", dim, rank());
        checkIndex("index_select", index, size(d));
        int[] outShape = shape();
        outShape[d] = index.length;
        Tensor out = empty(dtype(), device(), outShape);
        backend().indexSelect(dense().storage, shape(), d, index.clone(), out.storage);
        return out;
    }

    /** A copy of this tensor with {@code src}'s slices added at {@code index} along dim (repeats accumulate). */
    public Tensor indexAdd(int dim, int[] index, Tensor src) {
        int d = Layout.checkDim("index_add", dim, rank());
        checkCompatible("index_add", src);
        checkIndex("index_add", index, size(d));
        int[] expected = shape();
        expected[d] = index.length;
        if (!Arrays.equals(src.shape(), expected)) {
            throw new IllegalArgumentException("index_add: source shape " + Arrays.toString(src.shape())
                    + " should be " + Arrays.toString(expected));
        }
        Tensor out = copy();
        backend().indexAdd(src.dense().storage, shape(), d, index.clone(), out.storage);
        return out;
    }

    private static void checkIndex(String op, int[] index, int size) {
        for (int i : index) {
            if (i < 0 || i >= size) {
                throw new IllegalArgumentException(op + ": index " + i + " out of range for dimension of size " + size);
            }
        }
    }

    // =====================================================================================

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor(shape=").append(Arrays.toString(shape()))
                .append(", dtype=").append(dtype()).append(", device=").append(device());
        if (numel() <= 16) sb.append(", values=").append(Arrays.toString(toDoubleArray()));
        return sb.append(')').toString();
    }
}
