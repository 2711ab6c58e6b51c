package dev.gan4j.autograd;

/**
 * The derivative of one op, written with differentiable {@link Variable} ops so that the gradient
 * can itself be differentiated. Called once per input that needs a gradient.
 */
@FunctionalInterface
public interface BackwardRule {

    /**
     * @param input      which input (0-based, in the order given to {@link Node#record})
     * @param gradOutput the gradient flowing into the op's output
     * @param output     the op's output (for rules like exp's {@code g * y})
     * @return the gradient for that input; it may have the broadcast shape, the engine sums it down
     */
    Variable grad(int input, Variable gradOutput, Variable output);
}
