package dev.gan4j.tensor.backend;

/** Elementwise functions of one tensor. Their scalar meaning is {@link #apply(double)}; kernels must match it. */
public enum UnaryOp {
    NEG, ABS, SIGN, SQRT, EXP, LOG, TANH, SIGMOID, RELU;

    public double apply(double x) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case SQRT -> Math.sqrt(x);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case TANH -> Math.tanh(x);
            // Two branches so that neither exp() overflows for large |x|.
            case SIGMOID -> x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
            // NaN propagates (and -0 stays -0), as in torch.relu.
            case RELU -> x < 0 ? 0 : x;
        };
    }
}
