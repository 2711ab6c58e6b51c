package dev.gan4j.tensor.cpu;

import dev.gan4j.tensor.backend.BinaryOp;
import dev.gan4j.tensor.backend.UnaryOp;

/**
 * Elementwise math on one block of doubles. The common arithmetic gets its own plain loop (which C2
 * vectorizes); everything else goes through the op's scalar definition, the single source of truth.
 */
final class RowOps {

    private RowOps() {}

    static void unary(UnaryOp op, double[] x, int n) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) x[i] = -x[i]; }
            case RELU -> { for (int i = 0; i < n; i++) x[i] = x[i] < 0 ? 0 : x[i]; }
            default -> { for (int i = 0; i < n; i++) x[i] = op.apply(x[i]); }
        }
    }

    /** {@code a = op(a, b)}. */
    static void binary(BinaryOp op, double[] a, double[] b, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) a[i] += b[i]; }
            case SUB -> { for (int i = 0; i < n; i++) a[i] -= b[i]; }
            case MUL -> { for (int i = 0; i < n; i++) a[i] *= b[i]; }
            case DIV -> { for (int i = 0; i < n; i++) a[i] /= b[i]; }
            default -> { for (int i = 0; i < n; i++) a[i] = op.apply(a[i], b[i]); }
        }
    }
}
