package dev.gan4j.autograd;

import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Layout;
import dev.gan4j.tensor.Tensor;
import dev.gan4j.tensor.backend.BinaryOp;
import dev.gan4j.tensor.backend.UnaryOp;

import java.util.Arrays;

/**
 * A tensor in the autograd graph. A leaf holds data (and, if it requires grad, accumulates {@code .grad});
 * an op's result also points to the {@link Node} that made it. Every op below computes its value with
 * {@link Tensor} and records one backward rule written in Variable ops, so gradients are differentiable.
 * Heavier ops (convolution, normalisation, pooling) live in {@link Functional}.
 */
public final class Variable {

    private Tensor data;
    private final boolean requiresGrad;
    private final Node node;
    private Tensor grad;

    private Variable(Tensor data, boolean requiresGrad, Node node) {
        this.data = data;
        this.requiresGrad = requiresGrad;
        this.node = node;
    }

    /** A leaf; with {@code requiresGrad} its gradient is accumulated by {@link #backward()}. */
    public static Variable of(Tensor data, boolean requiresGrad) {
        return new Variable(data, requiresGrad, null);
    }

    /** A leaf that needs no gradient (input data, labels, masks). */
    public static Variable constant(Tensor data) {
        return new Variable(data, false, null);
    }

    static Variable fromNode(Tensor data, Node node) {
        return new Variable(data, true, node);
    }

    // ---- graph and gradient ----

    public Tensor data() { return data; }
    public boolean requiresGrad() { return requiresGrad; }
    public boolean isLeaf() { return node == null; }
    Node node() { return node; }
    public int[] shape() { return data.shape(); }
    public int size(int dim) { return data.size(dim); }
    public int rank() { return data.rank(); }
    public DType dtype() { return data.dtype(); }
    public Device device() { return data.device(); }
    public double item() { return data.item(); }

    /** The accumulated gradient of a leaf, or null before any backward. */
    public Tensor grad() { return grad; }

    public void zeroGrad() { grad = null; }

    public void setGrad(Tensor grad) {
        if (grad != null && !Arrays.equals(grad.shape(), shape())) {
            throw new IllegalArgumentException("setGrad: gradient shape " + Arrays.toString(grad.shape())
                    + " does not match " + Arrays.toString(shape()));
        }
        this.grad = grad;
    }

    void accumulateGrad(Tensor g) {
        grad = grad == null ? g : grad.add(g);
    }

    /** Replaces a leaf's data (e.g. to move a parameter to another device); shape must be kept. */
    public void setData(Tensor newData) {
        if (!isLeaf()) throw new IllegalStateException("setData: only leaves can have their data replaced");
        if (!Arrays.equals(newData.shape(), shape())) {
            throw new IllegalArgumentException("setData: shape " + Arrays.toString(newData.shape()) + " differs from "
                    + Arrays.toString(shape()));
        }
        data = newData;
        grad = grad == null ? null : grad.to(newData.dtype()).to(newData.device());
    }

    /** The same data, cut from the graph. */
    public Variable detach() {
        return constant(data);
    }

    /** Backpropagates from this scalar into every leaf's {@code .grad}, then frees the graph. */
    public void backward() {
        Autograd.backward(this, null, false);
    }

    /** Backpropagates {@code gradOutput} (same shape as this) into the leaves. */
    public void backward(Tensor gradOutput, boolean retainGraph) {
        Autograd.backward(this, gradOutput, retainGraph);
    }

    private static Variable record(String op, Tensor value, Saves saves, BackwardRule rule, Variable... inputs) {
        return Node.record(op, value, saves, rule, inputs);
    }

    private Variable scalarLike(double v) {
        return constant(Tensor.scalar(v, data));
    }

    // ---- elementwise ----

    /** One op of the table ({@link Derivatives}): the tensor kernel forward, the table's rule backward. */
    public Variable unary(UnaryOp op) {
        Derivatives.Derivative d = Derivatives.of(op, this);
        return record(op.opName(), data.unary(op), d.saves(), d.rule(), this);
    }

    /** A differentiable binary op of the table; comparisons are an error (use the tensors). */
    public Variable binary(BinaryOp op, Variable o) {
        Derivatives.Derivative d = Derivatives.of(op, this, o);
        return record(op.opName(), data.binary(op, o.data), d.saves(), d.rule(), this, o);
    }

    public Variable add(Variable o) { return binary(BinaryOp.ADD, o); }
    public Variable sub(Variable o) { return binary(BinaryOp.SUB, o); }
    public Variable mul(Variable o) { return binary(BinaryOp.MUL, o); }
    public Variable div(Variable o) { return binary(BinaryOp.DIV, o); }

    public Variable add(double v) { return add(scalarLike(v)); }
    public Variable sub(double v) { return sub(scalarLike(v)); }
    public Variable mul(double v) { return mul(scalarLike(v)); }
    public Variable div(double v) { return div(scalarLike(v)); }

    /** {@code v - this}. */
    public Variable rsub(double v) { return scalarLike(v).sub(this); }

    public Variable neg() { return unary(UnaryOp.NEG); }

    /** {@code this^p} for a constant exponent (p = 0 has gradient 0, even at 0 where p*x^(p-1) is NaN). */
    public Variable pow(double p) {
        return record("pow", data.pow(p), Saves.INPUTS,
                (i, g, y) -> p == 0 ? constant(Tensor.zerosLike(data)) : g.mul(pow(p - 1).mul(p)), this);
    }

    /** {@code this^e} elementwise; the exponent's gradient uses log(this), so this must be positive there. */
    public Variable pow(Variable e) { return binary(BinaryOp.POW, e); }

    public Variable sqrt() { return unary(UnaryOp.SQRT); }
    public Variable exp() { return unary(UnaryOp.EXP); }
    public Variable log() { return unary(UnaryOp.LOG); }
    public Variable abs() { return unary(UnaryOp.ABS); }
    public Variable sign() { return unary(UnaryOp.SIGN); }
    public Variable tanh() { return unary(UnaryOp.TANH); }
    public Variable sigmoid() { return unary(UnaryOp.SIGMOID); }
    public Variable relu() { return unary(UnaryOp.RELU); }
    public Variable softplus() { return unary(UnaryOp.SOFTPLUS); }

    public Variable leakyRelu(double slope) { return binary(BinaryOp.LEAKY_RELU, scalarLike(slope)); }

    /** Limits to [min, max]; the gradient passes where the value was inside the range. */
    public Variable clamp(double min, double max) {
        return record("clamp", data.clamp(min, max), Saves.INPUTS,
                (i, g, y) -> g.mul(constant(data.ge(min).mul(data.le(max)))), this);
    }

    public Variable maximum(Variable o) { return binary(BinaryOp.MAXIMUM, o); }
    public Variable minimum(Variable o) { return binary(BinaryOp.MINIMUM, o); }

    /**
     * {@code cond != 0 ? a : b}; the condition is a constant mask. It is copied, so writing into
     * {@code cond} after the forward pass cannot change the gradient.
     */
    public static Variable where(Tensor cond, Variable a, Variable b) {
        return select(cond.ne(0), a, b);
    }

    /** {@link #where} on a mask nobody else holds, so its backward (a select again) needs no copy. */
    private static Variable select(Tensor mask, Variable a, Variable b) {
        Tensor zero = Tensor.scalar(0, a.data);
        return record("where", Tensor.where(mask, a.data, b.data), Saves.NOTHING,
                (i, g, y) -> i == 0 ? select(mask, g, constant(zero)) : select(mask, constant(zero), g), a, b);
    }

    // ---- reductions ----

    public Variable sum() { return sum(data.allAxes(), false); }

    public Variable sum(int[] axes, boolean keepDim) {
        int[] inShape = shape();
        int[] keptShape = keptShape(axes);
        return record("sum", data.sum(axes, keepDim), Saves.NOTHING,
                (i, g, y) -> g.reshape(keptShape).expand(inShape), this);
    }

    public Variable mean() { return mean(data.allAxes(), false); }

    public Variable mean(int[] axes, boolean keepDim) {
        int count = Layout.numel(shape()) / Math.max(1, Layout.numel(keptShape(axes)));
        return sum(axes, keepDim).div(count);
    }

    /** Variance with {@code correction} subtracted from the count (1 = unbiased), built from differentiable ops. */
    public Variable var(int[] axes, boolean keepDim, int correction) {
        int count = Layout.numel(shape()) / Math.max(1, Layout.numel(keptShape(axes)));
        Variable centred = sub(mean(axes, true));
        return centred.mul(centred).sum(axes, keepDim).div(Math.max(count - correction, 0));
    }

    public Variable max(int[] axes, boolean keepDim) { return extreme("max", data.max(axes, true), axes, keepDim); }
    public Variable min(int[] axes, boolean keepDim) { return extreme("min", data.min(axes, true), axes, keepDim); }

    /** Max/min: the gradient is shared evenly by the elements that attain the extreme. */
    private Variable extreme(String op, Tensor kept, int[] axes, boolean keepDim) {
        Tensor winners = data.eq(kept);
        Tensor share = winners.div(winners.sum(axes, true));
        int[] keptShape = kept.shape();
        Variable result = record(op, kept, Saves.NOTHING,
                (i, g, y) -> g.reshape(keptShape).mul(constant(share)), this);
        return keepDim ? result : result.reshape(data.sum(axes, false).shape());
    }

    private int[] keptShape(int[] axes) {
        boolean[] mask = data.axisMask("reduce", axes);
        int[] kept = shape();
        for (int d = 0; d < kept.length; d++) if (mask[d]) kept[d] = 1;
        return kept;
    }

    /** Sums a broadcast gradient back down to {@code target} (the inverse of expand). */
    public Variable sumTo(int[] target) {
        int[] s = shape();
        if (Arrays.equals(s, target)) return this;
        int lead = s.length - target.length;
        if (lead < 0) throw new IllegalStateException("sumTo: cannot reduce " + Arrays.toString(s) + " to "
                + Arrays.toString(target));
        int[] axes = java.util.stream.IntStream.range(0, s.length)
                .filter(d -> d < lead || (target[d - lead] == 1 && s[d] != 1)).toArray();
        for (int d = lead; d < s.length; d++) {
            if (target[d - lead] != 1 && target[d - lead] != s[d]) {
                throw new IllegalStateException("sumTo: gradient shape " + Arrays.toString(s)
                        + " is not a broadcast of " + Arrays.toString(target));
            }
        }
        return sum(axes, true).reshape(target);
    }

    // ---- views ----

    public Variable reshape(int... newShape) {
        int[] inShape = shape();
        return record("reshape", data.reshape(newShape), Saves.NOTHING, (i, g, y) -> g.reshape(inShape), this);
    }

    public Variable flatten(int startDim, int endDim) {
        return reshape(data.flatten(startDim, endDim).shape());
    }

    public Variable permute(int... order) {
        int[] inverse = new int[order.length];
        for (int i = 0; i < order.length; i++) inverse[Layout.checkDim("permute", order[i], rank())] = i;
        return record("permute", data.permute(order), Saves.NOTHING, (i, g, y) -> g.permute(inverse), this);
    }

    public Variable transpose(int dim0, int dim1) {
        return record("transpose", data.transpose(dim0, dim1), Saves.NOTHING,
                (i, g, y) -> g.transpose(dim0, dim1), this);
    }

    /** The transpose of a matrix (like {@link Tensor#t()}, other ranks are an error). */
    public Variable t() {
        if (rank() != 2) throw new IllegalArgumentException("t: expects a matrix, got shape " + Arrays.toString(shape()));
        return transpose(0, 1);
    }

    public Variable expand(int... target) {
        int[] inShape = shape();
        return record("expand", data.expand(target), Saves.NOTHING, (i, g, y) -> g.sumTo(inShape), this);
    }

    public Variable unsqueeze(int dim) {
        int d = Layout.checkDim("unsqueeze", dim, rank() + 1);
        return record("unsqueeze", data.unsqueeze(d), Saves.NOTHING, (i, g, y) -> g.squeeze(d), this);
    }

    public Variable squeeze(int dim) {
        int[] inShape = shape();
        return record("squeeze", data.squeeze(dim), Saves.NOTHING, (i, g, y) -> g.reshape(inShape), this);
    }

    /** Elements {@code start, start+step, ...} below {@code end} of {@code dim}; gradient is zero elsewhere. */
    public Variable slice(int dim, int start, int end, int step) {
        int d = Layout.checkDim("slice", dim, rank());
        int[] inShape = shape();
        return record("slice", data.slice(d, start, end, step), Saves.NOTHING,
                (i, g, y) -> g.unslice(inShape, d, start, end, step), this);
    }

    public Variable narrow(int dim, int start, int length) {
        return slice(dim, start, start + length, 1);
    }

    public Variable select(int dim, int index) {
        int d = Layout.checkDim("select", dim, rank());
        return narrow(d, index, 1).squeeze(d);
    }

    /** The adjoint of slice: zeros of {@code shape} with this written into the sliced region. */
    private Variable unslice(int[] shape, int dim, int start, int end, int step) {
        Tensor out = Tensor.zeros(dtype(), device(), shape);
        out.slice(dim, start, end, step).assign(data);
        return record("unslice", out, Saves.NOTHING, (i, g, y) -> g.slice(dim, start, end, step), this);
    }

    /** A row-major copy (a no-op for the gradient). */
    public Variable contiguous() {
        return record("contiguous", data.contiguous(), Saves.NOTHING, (i, g, y) -> g, this);
    }

    // ---- linear algebra ----

    /** Matrix product with PyTorch's rules (1-D promotion, broadcast batch dims). */
    public Variable matmul(Variable o) {
        if (rank() == 1 && o.rank() == 1) return unsqueeze(0).matmul(o.unsqueeze(1)).reshape();
        if (rank() == 1) return unsqueeze(0).matmul(o).squeeze(-2);
        if (o.rank() == 1) return matmul(o.unsqueeze(1)).squeeze(-1);
        return record("matmul", data.matmul(o.data), Saves.INPUTS,
                (i, g, y) -> i == 0 ? g.matmul(o.transpose(-1, -2)) : transpose(-1, -2).matmul(g), this, o);
    }

    @Override
    public String toString() {
        return "Variable(" + data + (node != null ? ", op=" + node.op : requiresGrad ? ", leaf" : "") + ")";
    }
}
