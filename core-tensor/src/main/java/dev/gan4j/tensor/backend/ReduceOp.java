package dev.gan4j.tensor.backend;

/** Reductions over axes. Mean and variance are built from SUM in the tensor layer. */
public enum ReduceOp {
    SUM, MAX, MIN;

    /** The value a reduction starts from. */
    public double identity() {
        return switch (this) {
            case SUM -> 0;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
    }

    public double combine(double acc, double x) {
        return switch (this) {
            case SUM -> acc + x;
            // Written out so NaN wins, as in PyTorch.
            case MAX -> x > acc || Double.isNaN(x) ? x : acc;
            case MIN -> x < acc || Double.isNaN(x) ? x : acc;
        };
    }
}
