package dev.gan4j.tensor.backend;

/**
 * Elementwise functions of two tensors (broadcast to one shape). Comparisons yield 1 or 0 in the
 * inputs' dtype. {@code LEAKY_RELU(x, slope)} is {@code x > 0 ? x : slope * x}.
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, LEAKY_RELU, EQ, NE, LT, LE, GT, GE;

    public double apply(double a, double b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            // NaN propagates, as in PyTorch's maximum/minimum.
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case LEAKY_RELU -> a > 0 ? a : a * b;
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
        };
    }
}
