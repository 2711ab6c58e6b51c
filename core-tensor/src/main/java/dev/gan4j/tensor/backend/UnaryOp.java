package dev.gan4j.tensor.backend;

import java.util.Locale;

/**
 * Elementwise functions of one tensor: the forward half of gan4j's op table. Each entry carries its
 * scalar definition ({@link #apply(double)}, which the CPU kernel calls or matches bit for bit) and its
 * CUDA C expression in {@code x} (from which {@code elementwise.cu}'s switch is generated, computed in
 * double like the CPU). The gradient half is {@code dev.gan4j.autograd.Derivatives}; the test
 * {@code OpTableTest} proves every entry is covered by both kernels and by gradient checks.
 */
public enum UnaryOp {
    NEG("-x"),
    ABS("fabs(x)"),
    SIGN("x > 0 ? 1.0 : x < 0 ? -1.0 : x"),      // keeps +-0 and NaN, as Math.signum
    SQRT("sqrt(x)"),
    EXP("exp(x)"),
    LOG("log(x)"),
    TANH("tanh(x)"),
    SIGMOID("x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))"),
    RELU("x < 0 ? 0.0 : x"),                      // NaN and -0 pass, as torch.relu
    SOFTPLUS("fmax(x, 0.0) + log1p(exp(-fabs(x)))");

    private final String cuda;

    UnaryOp(String cuda) {
        this.cuda = cuda;
    }

    /** The op's name in the autograd graph and in profiles: {@code relu}, {@code sigmoid}. */
    public String opName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The CUDA C expression of the op in the double {@code x}. */
    public String cuda() {
        return cuda;
    }

    public double apply(double x) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case SQRT -> Math.sqrt(x);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case TANH -> tanh(x);
            // Two branches so that neither exp() overflows for large |x|.
            case SIGMOID -> x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
            // NaN propagates (and -0 stays -0), as in torch.relu.
            case RELU -> x < 0 ? 0 : x;
            // log(1 + e^x) rewritten as max(x, 0) + log(1 + e^-|x|): exp() cannot overflow and log1p
            // keeps the tail exact, so no threshold is needed (PyTorch returns x past 20).
            case SOFTPLUS -> Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
        };
    }

    /**
     * tanh from one exp: Math.tanh is not a JIT intrinsic on Java 17 and cost 2.5x as much per element.
     * The relative error is about 1e-13 (1 - e loses at most 9 bits for |x| >= 2^-10), far below float's
     * rounding; below 2^-10 the series x (1 - x^2/3) is exact to 2^-40. Same symmetry, NaN and +-0 as Math.tanh.
     */
    private static double tanh(double x) {
        double a = Math.abs(x);
        if (!(a >= 0x1p-10)) return x * (1 - x * x / 3);  // NaN and +-0 pass through
        if (a > 20) return Math.copySign(1.0, x);       // 1 - tanh(20) = 8e-18: below double's resolution
        double e = Math.exp(-2 * a);
        return Math.copySign((1 - e) / (1 + e), x);
    }
}
