package dev.gan4j.nn;

import dev.gan4j.autograd.Variable;
import dev.gan4j.tensor.Tensor;

import java.util.Arrays;

/** Loss functions with PyTorch's definitions; each takes a {@link Reduction}. */
public final class Loss {

    /** How per-element losses are combined. */
    public enum Reduction { MEAN, SUM, NONE }

    /** Below this a probability's log gets no gradient (PyTorch's BCE backward divides by max(p(1-p), 1e-12)). */
    private static final double BCE_EPSILON = 1e-12;

    private Loss() {}

    /**
     * Binary cross-entropy on probabilities: {@code -(t log p + (1-t) log(1-p))}, with each log
     * clamped at -100 as PyTorch does, so p = 0 or 1 gives a large finite loss rather than infinity.
     * The gradient is PyTorch's, {@code (p - t) / (p (1 - p))}, wherever p and 1-p are at least 1e-12
     * (PyTorch's epsilon); closer to 0 or 1 a log's gradient is cut (not NaN or infinite).
     *
     * <p>After a sigmoid, prefer {@link #bceWithLogits} on the sigmoid's input: the value is the same, but
     * here the gradient is lost once the sigmoid saturates in float32 — at a logit of -29 it is exactly 0
     * (PyTorch's BCELoss gives a damped -0.254), where the true gradient of the loss is -1.
     */
    public static Variable bce(Variable probabilities, Variable targets, Reduction reduction) {
        checkSameShape("bce", probabilities, targets);
        Variable logP = clampedLog(probabilities);
        Variable log1mP = clampedLog(probabilities.rsub(1));
        Variable loss = targets.mul(logP).add(targets.rsub(1).mul(log1mP)).neg();
        return reduce(loss, reduction);
    }

    /**
     * {@code max(log x, -100)}. Where x < 1e-12 the value is a constant, so no gradient 1/x flows
     * back from there: through log(0) it would be 0 * inf = NaN, and it overflows float32 near 0.
     */
    private static Variable clampedLog(Variable x) {
        Tensor differentiable = x.data().ge(BCE_EPSILON);
        Tensor one = Tensor.scalar(1, x.data());
        Variable safe = Variable.where(differentiable, x, Variable.constant(one));
        Tensor clamped = x.data().log().maximum(-100);
        return Variable.where(differentiable, safe.log(), Variable.constant(clamped)); // log x >= -27.7 there
    }

    /**
     * Binary cross-entropy on logits, {@code bce(sigmoid(x), t)} fused, stable for any magnitude: with
     * {@code m = max(-x, 0)}, {@code (1-t) x + m + log(exp(-m) + exp(-x-m))} (PyTorch's formulation).
     * Neither exponential can overflow, and the gradient is the true {@code sigmoid(x) - t} everywhere,
     * also where the sigmoid itself would round to 0 or 1.
     */
    public static Variable bceWithLogits(Variable logits, Variable targets, Reduction reduction) {
        checkSameShape("bce_with_logits", logits, targets);
        Variable m = logits.neg().relu();
        Variable loss = targets.rsub(1).mul(logits).add(m)
                .add(m.neg().exp().add(logits.neg().sub(m).exp()).log());
        return reduce(loss, reduction);
    }

    public static Variable mse(Variable predictions, Variable targets, Reduction reduction) {
        checkSameShape("mse", predictions, targets);
        Variable diff = predictions.sub(targets);
        return reduce(diff.mul(diff), reduction);
    }

    /** Cross-entropy of logits {@code [N, C]} against class indices: {@code logsumexp(x) - x[label]}. */
    public static Variable crossEntropy(Variable logits, int[] labels, Reduction reduction) {
        if (logits.rank() != 2 || logits.size(0) != labels.length) {
            throw new IllegalArgumentException("cross_entropy: logits " + Arrays.toString(logits.shape())
                    + " do not match " + labels.length + " labels (expects [N, C])");
        }
        Tensor picks = Tensor.oneHot(labels, logits.size(1)).to(logits.dtype()).to(logits.device());
        // Subtracting the row max keeps exp() in range; it cancels out of the result.
        Variable shifted = logits.sub(Variable.constant(logits.data().max(new int[] {1}, true)));
        Variable logSumExp = shifted.exp().sum(new int[] {1}, false).log();
        Variable picked = shifted.mul(Variable.constant(picks)).sum(new int[] {1}, false);
        return reduce(logSumExp.sub(picked), reduction);
    }

    private static Variable reduce(Variable loss, Reduction reduction) {
        return switch (reduction) {
            case MEAN -> loss.mean();
            case SUM -> loss.sum();
            case NONE -> loss;
        };
    }

    private static void checkSameShape(String op, Variable a, Variable b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": input shape " + Arrays.toString(a.shape())
                    + " differs from target shape " + Arrays.toString(b.shape()));
        }
    }
}
