package dev.gan4j.tensor.cpu;

import dev.gan4j.tensor.backend.BinaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Masks on float32 runs with the Vector API. Only touched when {@link VectorSupport#PRESENT}: the
 * class cannot even load without the {@code jdk.incubator.vector} module.
 */
final class VectorMasks {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorMasks() {}

    /**
     * {@code out[oo + i] = a[ao + i] OP b[bo + i] ? 1 : 0}. Activations' signs are random, so a branch
     * per element would be mispredicted half the time; a vector compare yields the mask directly.
     * The IEEE rules match Java's operators (NaN compares false, except NE; -0 equals 0).
     */
    static void compare(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        VectorOperators.Comparison test = switch (op) {
            case EQ -> VectorOperators.EQ;
            case NE -> VectorOperators.NE;
            case LT -> VectorOperators.LT;
            case LE -> VectorOperators.LE;
            case GT -> VectorOperators.GT;
            case GE -> VectorOperators.GE;
            default -> throw new IllegalArgumentException(op + " is not a comparison");
        };
        FloatVector zero = FloatVector.zero(F), one = FloatVector.broadcast(F, 1f);
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            VectorMask<Float> m = FloatVector.fromArray(F, a, ao + i).compare(test, FloatVector.fromArray(F, b, bo + i));
            zero.blend(one, m).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = (float) op.apply(a[ao + i], b[bo + i]);
    }

    /** {@code out[oo + i] = cond[co + i] != 0 ? a[ao + i] : b[bo + i]}, branch-free as above. */
    static void where(float[] cond, int co, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            VectorMask<Float> pick = FloatVector.fromArray(F, cond, co + i).compare(VectorOperators.NE, 0f);
            FloatVector.fromArray(F, b, bo + i).blend(FloatVector.fromArray(F, a, ao + i), pick).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = cond[co + i] != 0 ? a[ao + i] : b[bo + i];
    }

    /**
     * {@code out[oo + i] = x[xo + i] < 0 ? 0 : x[xo + i]} (ReLU), branch-free as above: C2 has no
     * conditional move for floats on x86, so the scalar loop branches on every activation's sign.
     */
    static void relu(float[] x, int xo, float[] out, int oo, int n) {
        FloatVector zero = FloatVector.zero(F);
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i);
            v.blend(zero, v.compare(VectorOperators.LT, 0f)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = x[xo + i] < 0 ? 0 : x[xo + i];
    }

    /** {@code a[from..to)} with every subnormal value (|x| < 2^-126, zero's sign kept) set to zero. */
    static void flushSubnormals(float[] a, int from, int to) {
        FloatVector zero = FloatVector.zero(F);
        int i = from;
        for (int end = from + F.loopBound(to - from); i < end; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, a, i);
            VectorMask<Float> tiny = v.abs().compare(VectorOperators.LT, Float.MIN_NORMAL);
            if (tiny.anyTrue()) v.blend(zero, tiny).intoArray(a, i);
        }
        for (; i < to; i++) if (Math.abs(a[i]) < Float.MIN_NORMAL) a[i] = 0f;
    }
}
