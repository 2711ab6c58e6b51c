package dev.gan4j.autograd;

import static dev.gan4j.autograd.Saves.INPUTS;
import static dev.gan4j.autograd.Saves.INPUTS_AND_OUTPUT;
import static dev.gan4j.autograd.Saves.NOTHING;
import static dev.gan4j.autograd.Saves.OUTPUT;
import static dev.gan4j.autograd.Variable.constant;

import dev.gan4j.tensor.Tensor;
import dev.gan4j.tensor.backend.BinaryOp;
import dev.gan4j.tensor.backend.UnaryOp;

/**
 * The gradient half of the op table, in the spirit of PyTorch's {@code derivatives.yaml}: one row per
 * {@link UnaryOp} and {@link BinaryOp} saying what its backward reads and how it computes the gradient.
 * Rules are written in differentiable {@link Variable} ops, so a gradient can itself be differentiated
 * (double backward, the WGAN-GP penalty); {@code twiceDifferentiable} says whether that second derivative
 * is the true one (a rule holding a constant mask, like ReLU's, still is: its derivative is 0 almost
 * everywhere). The switches have no {@code default}: an op added to the enums without a row here does
 * not compile. In the rules, {@code g} is the output's gradient and {@code y} the output.
 */
final class Derivatives {

    /** What an op's backward needs: the values it reads, and the rule (built at forward time). */
    record Derivative(Saves saves, boolean twiceDifferentiable, BackwardRule rule) {}

    private Derivatives() {}

    static Derivative of(UnaryOp op, Variable x) {
        return switch (op) {
            case NEG -> new Derivative(NOTHING, true, (i, g, y) -> g.neg());
            case ABS -> new Derivative(INPUTS, true, (i, g, y) -> g.mul(constant(x.data().sign())));
            case SIGN -> new Derivative(NOTHING, true, (i, g, y) -> constant(Tensor.zerosLike(g.data())));
            case SQRT -> new Derivative(OUTPUT, true, (i, g, y) -> g.div(y.mul(2)));
            case EXP -> new Derivative(OUTPUT, true, (i, g, y) -> g.mul(y));
            case LOG -> new Derivative(INPUTS, true, (i, g, y) -> g.div(x));
            case TANH -> new Derivative(OUTPUT, true, (i, g, y) -> g.mul(y.mul(y).rsub(1)));
            case SIGMOID -> new Derivative(OUTPUT, true, (i, g, y) -> g.mul(y.mul(y.rsub(1))));
            case RELU -> new Derivative(INPUTS, true, (i, g, y) -> g.mul(constant(x.data().gt(0))));
            case SOFTPLUS -> new Derivative(INPUTS, true, (i, g, y) -> g.mul(x.sigmoid()));
        };
    }

    /** Comparisons have no row: they make masks, and {@link Variable} does not record them. */
    static Derivative of(BinaryOp op, Variable a, Variable b) {
        return switch (op) {
            case ADD -> new Derivative(NOTHING, true, (i, g, y) -> g);
            case SUB -> new Derivative(NOTHING, true, (i, g, y) -> i == 0 ? g : g.neg());
            case MUL -> new Derivative(INPUTS, true, (i, g, y) -> i == 0 ? g.mul(b) : g.mul(a));
            case DIV -> new Derivative(INPUTS, true, (i, g, y) -> i == 0 ? g.div(b) : g.neg().mul(a).div(b.mul(b)));
            // The exponent's gradient uses log(a), so a must be positive where it is wanted.
            case POW -> new Derivative(INPUTS_AND_OUTPUT, true,
                    (i, g, y) -> i == 0 ? g.mul(b).mul(a.pow(b.sub(1))) : g.mul(y).mul(a.log()));
            case MAXIMUM -> extremum(a.data().gt(b.data()), a, b);
            case MINIMUM -> extremum(a.data().lt(b.data()), a, b);
            case LEAKY_RELU -> new Derivative(INPUTS, true, (i, g, y) -> i == 0 ? leakyReluInputGrad(g, a, b)
                    : g.mul(a).mul(constant(a.data().le(0))));
            case EQ, NE, LT, LE, GT, GE ->
                    throw new IllegalArgumentException(op.opName() + " has no gradient: comparisons make masks");
        };
    }

    /**
     * {@code g * (x > 0 ? 1 : slope)}. A trainable slope stays a Variable here, so the derivative of
     * x's gradient with respect to the slope is not lost; the usual constant slope takes one pass less.
     */
    private static Variable leakyReluInputGrad(Variable g, Variable x, Variable slope) {
        Tensor positive = x.data().gt(0);
        Tensor one = Tensor.scalar(1, x.data());
        if (slope.requiresGrad()) return g.mul(Variable.where(positive, constant(one), slope));
        return g.mul(constant(Tensor.where(positive, one, slope.data())));
    }

    /**
     * Maximum/minimum: the winner takes the gradient; at ties both get half, as in PyTorch, so the rule
     * is symmetric in its arguments. The share is fixed at forward time, so nothing is saved.
     */
    private static Derivative extremum(Tensor wins, Variable a, Variable b) {
        Tensor share = wins.add(a.data().eq(b.data()).mul(0.5));
        return new Derivative(NOTHING, true, (i, g, y) -> g.mul(constant(i == 0 ? share : share.neg().add(1))));
    }
}
