package dev.gan4j.tensor.cpu;

import dev.gan4j.tensor.backend.BinaryOp;
import dev.gan4j.tensor.backend.ReduceOp;
import dev.gan4j.tensor.backend.UnaryOp;

/**
 * Elementwise math on one block. float32 storage is worked on in place as float runs: the
 * memory-bound ops get one plain loop each (the switch sits outside the loop, and C2 vectorizes
 * the loop); ops whose cost is the math itself (exp, tanh, pow, ...) call the op's scalar definition,
 * the single source of truth, in double and round once. Everything else (float64, and the generic
 * fallbacks) works on rows of doubles.
 */
final class RowOps {

    private RowOps() {}

    /** {@code out[oo + i] = op(x[xo + i])} for float32 runs. */
    static void unary(UnaryOp op, float[] x, int xo, float[] out, int oo, int n) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) out[oo + i] = -x[xo + i]; }
            case ABS -> { for (int i = 0; i < n; i++) out[oo + i] = Math.abs(x[xo + i]); }
            case SQRT -> { for (int i = 0; i < n; i++) out[oo + i] = (float) Math.sqrt(x[xo + i]); }
            case RELU -> {
                if (VectorSupport.PRESENT) VectorMasks.relu(x, xo, out, oo, n);
                else for (int i = 0; i < n; i++) out[oo + i] = x[xo + i] < 0 ? 0 : x[xo + i];
            }
            default -> { for (int i = 0; i < n; i++) out[oo + i] = (float) op.apply(x[xo + i]); }
        }
    }

    /**
     * {@code out[oo + i] = op(a[ao + i], b[bo + i])} for float32 runs. One float operation rounds the
     * same as the double one rounded to float (double has more than twice float's precision).
     */
    static void binary(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] + b[bo + i]; }
            case SUB -> { for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] - b[bo + i]; }
            case MUL -> { for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] * b[bo + i]; }
            case DIV -> { for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] / b[bo + i]; }
            case MAXIMUM -> { for (int i = 0; i < n; i++) out[oo + i] = Math.max(a[ao + i], b[bo + i]); }
            case MINIMUM -> { for (int i = 0; i < n; i++) out[oo + i] = Math.min(a[ao + i], b[bo + i]); }
            case LEAKY_RELU -> {
                if (slopesInUnitInterval(b, bo, n)) {
                    // For a slope s in (0, 1], (x > 0 ? x : s*x) == max(x, s*x) exactly (zeros, NaN and
                    // infinities included), and max has no branch: C2 vectorizes it, while the
                    // branch on the sign of x is mispredicted half the time on activations.
                    for (int i = 0; i < n; i++) out[oo + i] = Math.max(a[ao + i], a[ao + i] * b[bo + i]);
                } else {
                    for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] > 0 ? a[ao + i] : a[ao + i] * b[bo + i];
                }
            }
            // Comparisons feed the masks of ReLU-like backward rules: vector compares, no branches.
            case EQ, NE, LT, LE, GT, GE -> {
                if (VectorSupport.PRESENT) VectorMasks.compare(op, a, ao, b, bo, out, oo, n);
                else for (int i = 0; i < n; i++) out[oo + i] = (float) op.apply(a[ao + i], b[bo + i]);
            }
            default -> { for (int i = 0; i < n; i++) out[oo + i] = (float) op.apply(a[ao + i], b[bo + i]); }
        }
    }

    /**
     * {@code out[oo + i] = op(a[ao + i], b)} for a float32 run and one float (a broadcast operand:
     * a bias over a plane, a scalar), without filling a run with copies of it. Returns false, having
     * done nothing, for the ops it does not cover.
     */
    static boolean binaryScalar(BinaryOp op, float[] a, int ao, float b, float[] out, int oo, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] + b; }
            case SUB -> { for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] - b; }
            case MUL -> { for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] * b; }
            case DIV -> { for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] / b; }
            case MAXIMUM -> { for (int i = 0; i < n; i++) out[oo + i] = Math.max(a[ao + i], b); }
            case MINIMUM -> { for (int i = 0; i < n; i++) out[oo + i] = Math.min(a[ao + i], b); }
            case LEAKY_RELU -> {
                if (!(b > 0 && b <= 1)) return false;
                for (int i = 0; i < n; i++) out[oo + i] = Math.max(a[ao + i], a[ao + i] * b); // see binary
            }
            default -> { return false; }
        }
        return true;
    }

    /** {@code sum(x[xo + i])} over a float32 run, in double with {@link #sum}'s four accumulators. */
    static double sum(float[] x, int xo, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = xo, end = xo + n;
        for (; i + 4 <= end; i += 4) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
        }
        for (; i < end; i++) s0 += x[i];
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code out[oo + i] = cond[co + i] != 0 ? a[ao + i] : b[bo + i]} for float32 runs. */
    static void where(float[] cond, int co, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        if (VectorSupport.PRESENT) {
            VectorMasks.where(cond, co, a, ao, b, bo, out, oo, n);
        } else {
            for (int i = 0; i < n; i++) out[oo + i] = cond[co + i] != 0 ? a[ao + i] : b[bo + i];
        }
    }

    private static boolean slopesInUnitInterval(float[] s, int so, int n) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            lo = Math.min(lo, s[so + i]);
            hi = Math.max(hi, s[so + i]);
        }
        return lo > 0 && hi <= 1; // false when a slope is NaN
    }

    static void unary(UnaryOp op, double[] x, int n) {
        for (int i = 0; i < n; i++) x[i] = op.apply(x[i]);
    }

    /** {@code a = op(a, b)}. */
    static void binary(BinaryOp op, double[] a, double[] b, int n) {
        for (int i = 0; i < n; i++) a[i] = op.apply(a[i], b[i]);
    }

    /** {@code op} over {@code x[0..n)}, starting from the op's identity. */
    static double reduce(ReduceOp op, double[] x, int n) {
        if (op == ReduceOp.SUM) return sum(x, n);
        double acc = op.identity();
        for (int i = 0; i < n; i++) acc = op.combine(acc, x[i]);
        return acc;
    }

    /**
     * Sum with four accumulators: the adds overlap instead of waiting for each other (a single
     * accumulator is bound by the add's latency), and the fixed split keeps results reproducible.
     */
    static double sum(double[] x, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
        }
        for (; i < n; i++) s0 += x[i];
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code sum(x[i] * y[i])}, with {@link #sum}'s four accumulators. */
    static double dot(double[] x, double[] y, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += x[i] * y[i];
            s1 += x[i + 1] * y[i + 1];
            s2 += x[i + 2] * y[i + 2];
            s3 += x[i + 3] * y[i + 3];
        }
        for (; i < n; i++) s0 += x[i] * y[i];
        return (s0 + s1) + (s2 + s3);
    }
}
