package dev.gan4j.autograd;

import dev.gan4j.tensor.ConvParams;
import dev.gan4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.gan4j.autograd.Variable.constant;

/**
 * The network ops (like {@code torch.nn.functional}) with their backward rules. The three
 * convolution kernels form a closed family: each one's gradient is one of the other two, which is
 * what makes convolutions twice differentiable (needed by WGAN-GP's gradient penalty).
 */
public final class Functional {

    private Functional() {}

    private static Variable record(String op, Tensor value, Saves saves, BackwardRule rule, Variable... inputs) {
        return Node.record(op, value, saves, rule, inputs);
    }

    /** {@code x @ weight^T + bias} with weight {@code [out, in]}; bias may be null. */
    public static Variable linear(Variable x, Variable weight, Variable bias) {
        if (weight.rank() != 2 || x.rank() == 0 || x.size(-1) != weight.size(1)
                || (bias != null && (bias.rank() != 1 || bias.size(0) != weight.size(0)))) {
            throw new IllegalArgumentException("linear: input " + Arrays.toString(x.shape()) + ", weight "
                    + Arrays.toString(weight.shape()) + " and bias " + (bias == null ? "none" : Arrays.toString(bias.shape()))
                    + " do not match (expects [..., in], [out, in] and [out])");
        }
        int in = weight.size(1);
        int out = weight.size(0);
        int[] yShape = x.shape();
        yShape[yShape.length - 1] = out;
        Variable rows = x.reshape(x.data().numel() / in, in);
        // Its own rule rather than x @ weight.t(): the weight's gradient g^T @ x comes out dense in the
        // weight's layout, where (x^T @ g)^T would be a transposed view that the optimiser must copy.
        Variable y = record("linear", rows.data().matmul(weight.data().t()), Saves.INPUTS,
                (i, g, result) -> i == 0 ? g.matmul(weight) : g.t().matmul(rows), rows, weight).reshape(yShape);
        return bias == null ? y : y.add(bias);
    }

    // ---- convolution ----

    /** conv2d of {@code x [N, C, H, W]} and {@code weight [O, C, kH, kW]}; bias {@code [O]} may be null. */
    public static Variable conv2d(Variable x, Variable weight, Variable bias, ConvParams p) {
        Variable y = convForward(x, weight, p);
        return bias == null ? y : y.add(bias.reshape(1, bias.size(0), 1, 1));
    }

    private static Variable convForward(Variable x, Variable w, ConvParams p) {
        int[] xShape = x.shape();
        int[] wShape = w.shape();
        return record("conv2d", Tensor.conv2d(x.data(), w.data(), null, p), Saves.INPUTS,
                (i, g, y) -> i == 0 ? convBackwardInput(g, w, xShape, p) : convBackwardWeight(x, g, wShape, p), x, w);
    }

    /** The input gradient of conv2d (also the transposed convolution), as a differentiable op of (gy, w). */
    static Variable convBackwardInput(Variable gy, Variable w, int[] inputShape, ConvParams p) {
        int[] wShape = w.shape();
        return record("conv2d_backward_input", Tensor.conv2dBackwardInput(gy.data(), w.data(), inputShape, p),
                Saves.INPUTS, (i, g, y) -> i == 0 ? convForward(g, w, p) : convBackwardWeight(g, gy, wShape, p), gy, w);
    }

    /** The weight gradient of conv2d, as a differentiable op of (x, gy). */
    static Variable convBackwardWeight(Variable x, Variable gy, int[] weightShape, ConvParams p) {
        int[] xShape = x.shape();
        return record("conv2d_backward_weight", Tensor.conv2dBackwardWeight(x.data(), gy.data(), weightShape, p),
                Saves.INPUTS, (i, g, y) -> i == 0 ? convBackwardInput(gy, g, xShape, p) : convForward(x, g, p), x, gy);
    }

    /**
     * Transposed convolution of {@code x [N, Cin, H, W]} with {@code weight [Cin, Cout, kH, kW]}; it is
     * the input gradient of a convolution whose output is x.
     */
    public static Variable convTranspose2d(Variable x, Variable weight, Variable bias, ConvParams p,
                                           int outputPaddingH, int outputPaddingW) {
        int[] outShape = Tensor.convTranspose2dShape(x.shape(), weight.shape(), p, outputPaddingH, outputPaddingW);
        Variable y = convBackwardInput(x, weight, outShape, p);
        return bias == null ? y : y.add(bias.reshape(1, bias.size(0), 1, 1));
    }

    // ---- batch normalisation ----

    /**
     * Batch norm over {@code x [N, C, ...]}. In training mode it normalises with batch statistics and
     * updates the running ones in place (not part of the graph); in eval mode it uses the running ones.
     * gamma/beta may be null. The training-mode backward is a fused kernel and is not twice differentiable.
     */
    public static Variable batchNorm(Variable x, Tensor runningMean, Tensor runningVar, Variable gamma, Variable beta,
                                     boolean training, double momentum, double eps) {
        if (!training) return batchNormEval(x, runningMean, runningVar, gamma, beta, eps);
        Tensor.BatchNormResult r = Tensor.batchNormTraining(x.data(), data(gamma), data(beta), runningMean, runningVar,
                momentum, eps);
        Variable[] inputs = inputs(x, gamma, beta);
        int[] role = java.util.stream.IntStream.of(0, 1, 2) // which of x, gamma, beta each input is
                .filter(k -> k == 0 || (k == 1 ? gamma : beta) != null).toArray();
        // The kernel yields all three gradients at once: keep them for the other inputs of the same backward.
        Object[] last = new Object[2]; // {gradient of the output, BatchNormGrads computed from it}
        BackwardRule rule = onceDifferentiable("batch_norm", (i, g, y) -> {
            if (last[0] != g) {
                last[0] = g;
                last[1] = Tensor.batchNormBackward(x.data(), g.data(), data(gamma), r.mean(), r.invStd());
            }
            Tensor.BatchNormGrads grads = (Tensor.BatchNormGrads) last[1];
            return constant(role[i] == 0 ? grads.input() : role[i] == 1 ? grads.gamma() : grads.beta());
        });
        return record("batch_norm", r.output(), Saves.INPUTS, rule, inputs);
    }

    /**
     * Eval-mode batch norm: the backends' fused inference kernel forward. It is an affine map per
     * channel, {@code y = (x - mean) * invStd * gamma + beta}, so its rule is short and written in
     * differentiable ops (twice differentiable, unlike the training-mode kernel). The running
     * statistics are constants, copied so that a later training step cannot change this gradient.
     */
    private static Variable batchNormEval(Variable x, Tensor runningMean, Tensor runningVar, Variable gamma,
                                          Variable beta, double eps) {
        if (runningMean == null || runningVar == null) {
            throw new IllegalArgumentException("batch_norm: eval mode needs running statistics");
        }
        Tensor value = Tensor.batchNormInference(x.data(), data(gamma), data(beta), runningMean, runningVar, eps);
        int[] channelShape = new int[x.rank()];
        Arrays.fill(channelShape, 1);
        channelShape[1] = x.size(1);
        Variable mean = constant(runningMean.reshape(channelShape).copy());
        Variable invStd = constant(runningVar.add(eps).sqrt().pow(-1).reshape(channelShape));
        int[] otherAxes = java.util.stream.IntStream.range(0, x.rank()).filter(a -> a != 1).toArray();
        Variable[] inputs = inputs(x, gamma, beta);
        BackwardRule rule = (i, g, y) -> {
            if (inputs[i] == x) return gamma == null ? g.mul(invStd) : g.mul(invStd).mul(gamma.reshape(channelShape));
            if (inputs[i] == gamma) return g.mul(x.sub(mean).mul(invStd)).sum(otherAxes, false);
            return g.sum(otherAxes, false);
        };
        return record("batch_norm_eval", value, Saves.INPUTS, rule, inputs);
    }

    private static Tensor data(Variable v) {
        return v == null ? null : v.data();
    }

    private static Variable[] inputs(Variable... maybeNull) {
        return Arrays.stream(maybeNull).filter(v -> v != null).toArray(Variable[]::new);
    }

    /**
     * Marks a rule whose gradient is computed by a fused kernel: asking for its second derivative
     * (createGraph) is an error rather than a silent zero.
     */
    static BackwardRule onceDifferentiable(String op, BackwardRule rule) {
        return (i, g, y) -> {
            if (Autograd.isGradEnabled()) {
                throw new UnsupportedOperationException("the backward of '" + op + "' is not differentiable twice"
                        + " (createGraph through it is not supported)");
            }
            return rule.grad(i, g, y);
        };
    }

    // ---- pooling and resampling ----

    /** Max pooling; the gradient goes to each window's winner. Not twice differentiable. */
    public static Variable maxPool2d(Variable x, int kernel, int stride, int padding) {
        Tensor.MaxPoolResult r = x.data().maxPool2dWithIndices(kernel, stride, padding);
        int[] inShape = x.shape();
        return record("max_pool2d", r.output(), Saves.NOTHING, onceDifferentiable("max_pool2d",
                (i, g, y) -> constant(Tensor.maxPool2dBackward(g.data(), r.argmax(), inShape, kernel, stride, padding))), x);
    }

    /** Average pooling (zero padding counted in the divisor); linear, so its gradient is its adjoint. */
    public static Variable avgPool2d(Variable x, int kernel, int stride, int padding) {
        int[] inShape = x.shape();
        return record("avg_pool2d", x.data().avgPool2d(kernel, stride, padding), Saves.NOTHING,
                (i, g, y) -> avgPool2dBackward(g, inShape, kernel, stride, padding), x);
    }

    private static Variable avgPool2dBackward(Variable gy, int[] inShape, int kernel, int stride, int padding) {
        return record("avg_pool2d_backward", Tensor.avgPool2dBackward(gy.data(), inShape, kernel, stride, padding),
                Saves.NOTHING, (i, g, y) -> avgPool2d(g, kernel, stride, padding), gy);
    }

    /** Adaptive average pooling to {@code size x size}; the input size must be a multiple of it. */
    public static Variable adaptiveAvgPool2d(Variable x, int size) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("adaptive_avg_pool2d: expects [N, C, H, W], got " + Arrays.toString(x.shape()));
        }
        if (size == 1) return x.mean(new int[] {2, 3}, true);
        if (x.size(2) % size != 0 || x.size(3) % size != 0 || x.size(2) != x.size(3)) {
            throw new IllegalArgumentException("adaptive_avg_pool2d: input " + x.size(2) + "x" + x.size(3)
                    + " is not a square multiple of output size " + size);
        }
        int k = x.size(2) / size;
        return avgPool2d(x, k, k, 0);
    }

    /** Nearest-neighbour upsampling by an integer factor. Gradient: the sum over each pixel's block. */
    public static Variable upsampleNearest(Variable x, int scale) {
        return record("upsample_nearest", x.data().upsampleNearest(scale), Saves.NOTHING,
                (i, g, y) -> upsampleNearestBackward(g, scale), x);
    }

    private static Variable upsampleNearestBackward(Variable gy, int scale) {
        return record("upsample_nearest_backward", Tensor.upsampleNearestBackward(gy.data(), scale), Saves.NOTHING,
                (i, g, y) -> upsampleNearest(g, scale), gy);
    }

    /** Constant padding; {@code pads} as in PyTorch's F.pad (last dim first). Gradient: the interior. */
    public static Variable pad(Variable x, int[] pads, double value) {
        int[] inShape = x.shape();
        return record("pad", x.data().pad(pads, value), Saves.NOTHING, (i, g, y) -> interior(g, pads, inShape), x);
    }

    private static Variable interior(Variable padded, int[] pads, int[] inShape) {
        Variable v = padded;
        for (int i = 0; i < pads.length / 2; i++) {
            int d = padded.rank() - 1 - i;
            v = v.narrow(d, pads[2 * i], inShape[d]);
        }
        return v;
    }

    // ---- joining and indexing ----

    public static Variable concat(List<Variable> parts, int dim) {
        List<Tensor> values = new ArrayList<>();
        for (Variable p : parts) values.add(p.data());
        Tensor out = Tensor.concat(values, dim);
        int d = dim < 0 ? dim + out.rank() : dim;
        int[] starts = new int[parts.size()];
        for (int i = 1; i < parts.size(); i++) starts[i] = starts[i - 1] + parts.get(i - 1).size(d);
        return record("concat", out, Saves.NOTHING,
                (i, g, y) -> g.narrow(d, starts[i], parts.get(i).size(d)), parts.toArray(Variable[]::new));
    }

    public static Variable stack(List<Variable> parts, int dim) {
        if (parts.isEmpty()) throw new IllegalArgumentException("stack: no tensors given");
        for (Variable part : parts) {
            if (!Arrays.equals(part.shape(), parts.get(0).shape())) {
                throw new IllegalArgumentException("stack: shapes " + Arrays.toString(parts.get(0).shape()) + " and "
                        + Arrays.toString(part.shape()) + " differ");
            }
        }
        int d = dim < 0 ? dim + parts.get(0).rank() + 1 : dim;
        return concat(parts.stream().map(p -> p.unsqueeze(d)).toList(), d);
    }

    /** The slices {@code index[i]} of {@code dim}; the gradient scatters back with index_add. */
    public static Variable indexSelect(Variable x, int dim, int[] index) {
        int[] inShape = x.shape();
        int[] idx = index.clone();
        return record("index_select", x.data().indexSelect(dim, idx), Saves.NOTHING,
                (i, g, y) -> indexAddInto(g, inShape, dim, idx), x);
    }

    private static Variable indexAddInto(Variable src, int[] shape, int dim, int[] index) {
        Tensor out = Tensor.zeros(src.dtype(), src.device(), shape).indexAdd(dim, index, src.data());
        return record("index_add", out, Saves.NOTHING, (i, g, y) -> indexSelect(g, dim, index), src);
    }
}
