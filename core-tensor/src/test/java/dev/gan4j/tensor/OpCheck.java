package dev.gan4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * The op-test harness, in the spirit of tinygrad's {@code helper_test_op}: {@link #assertOp} draws
 * random inputs of the given shapes, runs the op on float32 and float64 tensors laid out in several
 * ways (dense, permuted, strided slices with an offset, stride-0 expansions, and a random mix), and
 * compares each result with a {@link Reference} implementation computed in double.
 *
 * <p>Tolerances: {@code |actual - expected| <= tol * max(1, |expected|)}, with one tolerance for
 * float32 and one for float64 stated by each test. NaN must match NaN and infinities must match.
 */
final class OpCheck {

    private OpCheck() {}

    /** How an input tensor is laid out over its storage. */
    enum Variant {
        /** fromArray: dense, offset 0. */
        CONTIGUOUS,
        /** A dense tensor of permuted shape, permuted back: no unit stride in the last dim. */
        PERMUTED,
        /** Every dim a step-2 slice or a narrow of a larger NaN-filled tensor: non-zero offset. */
        SLICED,
        /** Some dims (or leading dims) broadcast from size 1 with stride 0. */
        EXPANDED,
        /** Each input picks one of the above at random. */
        MIXED
    }

    static final Variant[] VARIANTS = Variant.values();
    static final DType[] DTYPES = {DType.F32, DType.F64};

    /** Per-op tolerance, relative to max(1, |expected|). */
    record Tol(double f32, double f64) {
        double of(DType dtype) { return dtype == DType.F32 ? f32 : f64; }
    }

    static Tol tol(double f32, double f64) { return new Tol(f32, f64); }

    /** Results that are integers or copies must match exactly. */
    static final Tol EXACT = new Tol(0, 0);
    /** One correctly rounded double op per element, rounded to the dtype. */
    static final Tol ELEMENTWISE = new Tol(1e-6, 1e-12);

    /** Where input values are drawn from. */
    @FunctionalInterface
    interface Domain {
        double draw(Random r);
    }

    static Domain range(double lo, double hi) { return r -> lo + (hi - lo) * r.nextDouble(); }

    static final Domain ANY = range(-2, 2);
    static final Domain POSITIVE = range(0.1, 3);
    /** Small integers, so that comparisons and ties happen. */
    static final Domain INTS = r -> r.nextInt(5) - 2;

    /** A tensor and the values it holds. */
    record Input(Tensor tensor, Nd nd, Variant variant) {}

    // ------------------------------------------------------------------ assertOp

    static void assertOp(String name, int[][] shapes, Function<Tensor[], Tensor> op, Function<Nd[], Nd> ref, Tol tol) {
        assertOp(name, shapes, ANY, op, ref, tol);
    }

    static void assertOp(String name, int[][] shapes, Domain domain, Function<Tensor[], Tensor> op,
                         Function<Nd[], Nd> ref, Tol tol) {
        Domain[] domains = new Domain[shapes.length];
        Arrays.fill(domains, domain);
        assertOp(name, shapes, domains, op, ref, tol);
    }

    static void assertOp(String name, int[][] shapes, Domain[] domains, Function<Tensor[], Tensor> op,
                         Function<Nd[], Nd> ref, Tol tol) {
        Random rng = new Random(name.hashCode() * 31L + Arrays.deepHashCode(shapes));
        for (DType dtype : DTYPES) {
            for (Variant variant : VARIANTS) {
                Input[] inputs = new Input[shapes.length];
                for (int i = 0; i < shapes.length; i++) inputs[i] = make(rng, shapes[i], domains[i], dtype, variant);
                String context = describe(name, dtype, inputs);
                Tensor[] tensors = Arrays.stream(inputs).map(Input::tensor).toArray(Tensor[]::new);
                Nd[] nds = Arrays.stream(inputs).map(Input::nd).toArray(Nd[]::new);
                Nd expected = ref.apply(nds);
                Tensor actual;
                try {
                    actual = op.apply(tensors);
                } catch (RuntimeException e) {
                    throw new AssertionError(context + ": threw " + e, e);
                }
                assertEquals(dtype, actual.dtype(), context + ": dtype");
                assertClose(context, expected, actual, tol.of(dtype));
                for (Input in : inputs) assertClose(context + ": input modified", in.nd(), in.tensor(), 0);
            }
        }
    }

    static String describe(String name, DType dtype, Input[] inputs) {
        StringBuilder sb = new StringBuilder(name).append(" [").append(dtype);
        for (Input in : inputs) {
            sb.append(", ").append(Arrays.toString(in.nd().shape())).append(' ').append(in.variant())
                    .append(' ').append(Arrays.toString(in.tensor().layout().strides()))
                    .append("@").append(in.tensor().layout().offset());
        }
        return sb.append(']').toString();
    }

    // ------------------------------------------------------------------ comparisons

    static boolean close(double expected, double actual, double tol) {
        if (Double.isNaN(expected)) return Double.isNaN(actual);
        if (Double.isInfinite(expected)) return expected == actual;
        return Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));
    }

    static void assertClose(String context, Nd expected, Tensor actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), context + ": shape");
        double[] got = actual.toDoubleArray();
        for (int i = 0; i < got.length; i++) {
            if (!close(expected.data()[i], got[i], tol)) {
                fail(context + ": at " + Arrays.toString(Nd.unravel(i, expected.shape())) + " expected "
                        + expected.data()[i] + " but got " + got[i] + " (tol " + tol + ")");
            }
        }
    }

    static void assertClose(String context, Nd expected, Tensor actual, Tol tol) {
        assertClose(context, expected, actual, tol.of(actual.dtype()));
    }

    // ------------------------------------------------------------------ inputs

    /** Values representable in {@code dtype} (float32 inputs are rounded before the reference sees them). */
    static double[] draw(Random rng, int count, Domain domain, DType dtype) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            double x = domain.draw(rng);
            v[i] = dtype == DType.F32 ? (float) x : x;
        }
        return v;
    }

    static Tensor tensor(double[] data, DType dtype, int... shape) {
        if (dtype == DType.F64) return Tensor.fromArray(data.clone(), shape);
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
        return Tensor.fromArray(f, shape);
    }

    static Tensor tensor(Nd nd, DType dtype) {
        return tensor(nd.data(), dtype, nd.shape());
    }

    /** A random dense input. */
    static Input dense(Random rng, int[] shape, Domain domain, DType dtype) {
        Nd nd = new Nd(shape, draw(rng, Nd.numel(shape), domain, dtype));
        return new Input(tensor(nd, dtype), nd, Variant.CONTIGUOUS);
    }

    static Input make(Random rng, int[] shape, Domain domain, DType dtype, Variant variant) {
        if (variant == Variant.MIXED) variant = VARIANTS[rng.nextInt(VARIANTS.length - 1)];
        return switch (variant) {
            case CONTIGUOUS -> dense(rng, shape, domain, dtype);
            case PERMUTED -> shape.length < 2 ? sliced(rng, shape, domain, dtype) : permuted(rng, shape, domain, dtype);
            case SLICED -> sliced(rng, shape, domain, dtype);
            case EXPANDED -> expanded(rng, shape, domain, dtype);
            case MIXED -> throw new AssertionError();
        };
    }

    /** The same values as a permuted view of a dense tensor of permuted shape. */
    static Input permuted(Random rng, int[] shape, Domain domain, DType dtype) {
        Nd nd = new Nd(shape, draw(rng, Nd.numel(shape), domain, dtype));
        int rank = shape.length;
        int[] p = randomPermutation(rng, rank);
        int[] baseShape = new int[rank];
        for (int j = 0; j < rank; j++) baseShape[j] = shape[p[j]];
        double[] base = new double[nd.numel()];
        for (int i = 0; i < base.length; i++) {
            int[] b = Nd.unravel(i, baseShape);
            int[] s = new int[rank];
            for (int j = 0; j < rank; j++) s[p[j]] = b[j];
            base[i] = nd.at(s);
        }
        int[] inverse = new int[rank];
        for (int j = 0; j < rank; j++) inverse[p[j]] = j;
        return new Input(tensor(base, dtype, baseShape).permute(inverse), nd, Variant.PERMUTED);
    }

    /** A non-identity permutation (for rank >= 2). */
    static int[] randomPermutation(Random rng, int rank) {
        int[] p = new int[rank];
        for (int i = 0; i < rank; i++) p[i] = i;
        do {
            for (int i = rank - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
        } while (rank >= 2 && isIdentity(p));
        return p;
    }

    private static boolean isIdentity(int[] p) {
        for (int i = 0; i < p.length; i++) if (p[i] != i) return false;
        return true;
    }

    /** The values sit at odd positions (step 2) or in the middle (narrow) of a larger NaN-filled tensor. */
    static Input sliced(Random rng, int[] shape, Domain domain, DType dtype) {
        Nd nd = new Nd(shape, draw(rng, Nd.numel(shape), domain, dtype));
        int rank = shape.length;
        if (rank == 0) {
            Tensor base = tensor(new double[] {Double.NaN, nd.data()[0], Double.NaN}, dtype, 3);
            return new Input(base.select(0, 1), nd, Variant.SLICED);
        }
        boolean[] stepped = new boolean[rank];
        int[] baseShape = new int[rank];
        for (int d = 0; d < rank; d++) {
            stepped[d] = shape[d] > 0 && rng.nextBoolean();
            baseShape[d] = stepped[d] ? 2 * shape[d] + 1 : shape[d] + 2;
        }
        Nd base = Nd.full(Double.NaN, baseShape);
        for (int i = 0; i < nd.numel(); i++) {
            int[] at = Nd.unravel(i, shape);
            for (int d = 0; d < rank; d++) at[d] = stepped[d] ? 2 * at[d] + 1 : at[d] + 1;
            base.set(nd.data()[i], at);
        }
        Tensor t = tensor(base, dtype);
        for (int d = 0; d < rank; d++) {
            t = stepped[d] ? t.slice(d, 1, 2 * shape[d], 2) : t.narrow(d, 1, shape[d]);
        }
        return new Input(t, nd, Variant.SLICED);
    }

    /** Some dims of size > 1 come from size 1 by expand (stride 0); leading dims may be new. */
    static Input expanded(Random rng, int[] shape, Domain domain, DType dtype) {
        int rank = shape.length;
        List<Integer> candidates = new ArrayList<>();
        for (int d = 0; d < rank; d++) if (shape[d] > 1) candidates.add(d);
        if (candidates.isEmpty()) return sliced(rng, shape, domain, dtype);
        int[] source = shape.clone();
        for (int d : candidates) if (rng.nextBoolean()) source[d] = 1;
        source[candidates.get(rng.nextInt(candidates.size()))] = 1;
        int drop = 0;
        while (drop < rank && source[drop] == 1 && rng.nextBoolean()) drop++;
        int[] stored = Arrays.copyOfRange(source, drop, rank);
        Nd small = new Nd(stored, draw(rng, Nd.numel(stored), domain, dtype));
        Nd nd = Reference.zip(small, Nd.zeros(shape), (a, b) -> a);
        return new Input(tensor(small, dtype).expand(shape), nd, Variant.EXPANDED);
    }

    // ------------------------------------------------------------------ shapes

    static int[] randomShape(Random rng, int rank, int maxDim) {
        int[] s = new int[rank];
        for (int d = 0; d < rank; d++) s[d] = 1 + rng.nextInt(maxDim);
        return s;
    }

    /** {@code shape} with some dims set to 1 and maybe some leading dims dropped: broadcastable to it. */
    static int[] broadcastableTo(Random rng, int[] shape) {
        int[] s = shape.clone();
        for (int d = 0; d < s.length; d++) if (rng.nextInt(3) == 0) s[d] = 1;
        int drop = s.length == 0 ? 0 : rng.nextInt(s.length + 1);
        return Arrays.copyOfRange(s, drop, s.length);
    }

    /** Shapes for unary ops: scalars, vectors, random ranks up to 4, an empty one and a large one. */
    static List<int[]> unaryShapes(long seed) {
        Random rng = new Random(seed);
        List<int[]> out = new ArrayList<>();
        out.add(new int[0]);
        out.add(new int[] {1});
        out.add(new int[] {0, 3});
        for (int rank = 1; rank <= 4; rank++) out.add(randomShape(rng, rank, 6));
        out.add(new int[] {37, 1100}); // more than one 1024-element block per row, and enough to go parallel
        return out;
    }

    /** Shape pairs for binary ops: equal, one side broadcast, both sides broadcast, scalar, empty, large. */
    static List<int[][]> binaryShapes(long seed) {
        Random rng = new Random(seed);
        List<int[][]> out = new ArrayList<>();
        out.add(new int[][] {{}, {}});
        out.add(new int[][] {{}, {3, 4}});
        out.add(new int[][] {{2, 3}, {}});
        out.add(new int[][] {{0, 3}, {1, 3}});
        out.add(new int[][] {{3, 1, 5}, {4, 1}});
        for (int i = 0; i < 6; i++) {
            int[] s = randomShape(rng, 1 + rng.nextInt(4), 5);
            if (i < 2) out.add(new int[][] {s, s.clone()});
            else if (i % 2 == 0) out.add(new int[][] {s, broadcastableTo(rng, s)});
            else out.add(new int[][] {broadcastableTo(rng, s), s});
        }
        out.add(new int[][] {{37, 1100}, {1100}});
        return out;
    }
}
