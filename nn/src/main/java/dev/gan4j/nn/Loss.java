package dev.gan4j.nn;

import dev.gan4j.autograd.Variable;
import dev.gan4j.tensor.Tensor;

import java.util.Arrays;

/** Loss functions with PyTorch's definitions; each takes a {@link Reduction}. */
public final class Loss {

    /** How per-element losses are combined. */
    public enum Reduction { MEAN, SUM, NONE }

    private Loss() {}

    /**
     * Binary cross-entropy on probabilities: {@code -(t log p + (1-t) log(1-p))}, with each log
     * clamped at -100 as PyTorch does, so p = 0 or 1 gives a large finite loss rather than infinity.
     */
    public static Variable bce(Variable probabilities, Variable targets, Reduction reduction) {
        checkSameShape("bce", probabilities, targets);
        Variable logP = probabilities.log().maximum(constantLike(-100, probabilities));
        Variable log1mP = probabilities.rsub(1).log().maximum(constantLike(-100, probabilities));
        Variable loss = targets.mul(logP).add(targets.rsub(1).mul(log1mP)).neg();
        return reduce(loss, reduction);
    }

    /**
     * Binary cross-entropy on logits, stable for any magnitude: with {@code m = max(-x, 0)},
     * {@code (1-t) x + m + log(exp(-m) + exp(-x-m))} (PyTorch's formulation).
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
        int classes = logits.size(1);
        double[] oneHot = new double[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("cross_entropy: label " + labels[i] + " out of range for " + classes
                        + " classes");
            }
            oneHot[i * classes + labels[i]] = 1;
        }
        Tensor picks = Tensor.fromArray(oneHot, labels.length, classes).to(logits.dtype()).to(logits.device());
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

    private static Variable constantLike(double value, Variable like) {
        return Variable.constant(Tensor.scalar(value, like.data()));
    }

    private static void checkSameShape(String op, Variable a, Variable b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": input shape " + Arrays.toString(a.shape())
                    + " differs from target shape " + Arrays.toString(b.shape()));
        }
    }
}
