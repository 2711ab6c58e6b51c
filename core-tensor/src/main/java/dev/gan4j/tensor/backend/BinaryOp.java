package dev.gan4j.tensor.backend;

import java.util.Locale;

/**
 * Elementwise functions of two tensors (broadcast to one shape): the forward half of the op table, as
 * {@link UnaryOp} is for one tensor, with the CUDA C expression in {@code a} and {@code b}.
 * Comparisons yield 1 or 0 in the inputs' dtype. {@code LEAKY_RELU(x, slope)} is
 * {@code x > 0 ? x : slope * x}.
 */
public enum BinaryOp {
    ADD("a + b"),
    SUB("a - b"),
    MUL("a * b"),
    DIV("a / b"),
    POW("pow(a, b)"),
    MAXIMUM("java_max(a, b)"),
    MINIMUM("java_min(a, b)"),
    LEAKY_RELU("a > 0 ? a : a * b"),
    EQ("a == b ? 1.0 : 0.0"),
    NE("a != b ? 1.0 : 0.0"),
    LT("a < b ? 1.0 : 0.0"),
    LE("a <= b ? 1.0 : 0.0"),
    GT("a > b ? 1.0 : 0.0"),
    GE("a >= b ? 1.0 : 0.0");

    private final String cuda;

    BinaryOp(String cuda) {
        this.cuda = cuda;
    }

    /** The op's name in the autograd graph and in profiles: {@code add}, {@code leaky_relu}. */
    public String opName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The CUDA C expression of the op in the doubles {@code a} and {@code b}. */
    public String cuda() {
        return cuda;
    }

    /** True for EQ..GE: their result is a mask, with no gradient. */
    public boolean isComparison() {
        return switch (this) {
            case EQ, NE, LT, LE, GT, GE -> true;
            case ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, LEAKY_RELU -> false;
        };
    }

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
