package dev.gan4j.autograd;

import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Binary ops on random broadcast-compatible shapes (rank 0 to 4, with size-1 and dropped leading dims)
 * and reductions over random axes, each input randomly made non-contiguous. Seeded, so reproducible.
 */
class RandomShapeTest {

    private final Generator gen = new Generator(31337);
    private final TestData r = new TestData(8);

    private int[] randomShape() {
        int[] shape = new int[gen.nextInt(5)];
        for (int d = 0; d < shape.length; d++) shape[d] = 1 + gen.nextInt(3);
        return shape;
    }

    /** A shape that broadcasts against {@code shape}: some leading dims dropped, some dims set to 1. */
    private int[] partner(int[] shape) {
        int[] p = Arrays.copyOfRange(shape, gen.nextInt(shape.length + 1), shape.length);
        for (int d = 0; d < p.length; d++) if (gen.nextInt(3) == 0) p[d] = 1;
        return p;
    }

    private Tensor layoutOf(Tensor t) {
        int choice = gen.nextInt(3);
        if (choice == 1 && t.rank() >= 2) return TestData.transposed(t);
        if (choice == 2 && t.rank() >= 1) return TestData.strided(t);
        return t;
    }

    private DynamicTest check(String name, Function<List<Variable>, Variable> f, Tensor... inputs) {
        String shapes = Arrays.stream(inputs).map(t -> Arrays.toString(t.shape())).toList().toString();
        return DynamicTest.dynamicTest(name + " " + shapes, () -> {
            try {
                GradCheck.gradcheck(f, List.of(inputs));
            } catch (AssertionError e) {
                throw new AssertionError(name + " " + shapes + ": " + e.getMessage(), e);
            }
        });
    }

    @TestFactory
    List<DynamicTest> binaryOpsBroadcast() {
        List<BiFunction<Variable, Variable, Variable>> ops = List.of(Variable::add, Variable::sub, Variable::mul,
                Variable::div, Variable::maximum, Variable::minimum, Variable::pow);
        List<String> names = List.of("add", "sub", "mul", "div", "maximum", "minimum", "pow");
        List<DynamicTest> tests = new ArrayList<>();
        for (int trial = 0; trial < 6; trial++) {
            for (int k = 0; k < ops.size(); k++) {
                int[] a = randomShape();
                int[] b = partner(a);
                if (gen.nextInt(2) == 0) {
                    int[] swap = a;
                    a = b;
                    b = swap;
                }
                boolean positiveBase = names.get(k).equals("pow");
                boolean positiveDivisor = names.get(k).equals("div");
                Tensor x = layoutOf(positiveBase ? r.positive(a) : r.randn(a));
                Tensor y = layoutOf(positiveDivisor ? r.positive(b) : r.randn(b));
                BiFunction<Variable, Variable, Variable> op = ops.get(k);
                tests.add(check(names.get(k), v -> op.apply(v.get(0), v.get(1)), x, y));
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> reductionsOverRandomAxes() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int trial = 0; trial < 24; trial++) {
            int[] shape = randomShape();
            if (shape.length == 0) shape = new int[] {3};
            List<Integer> axes = new ArrayList<>();
            for (int d = 0; d < shape.length; d++) if (gen.nextInt(2) == 0) axes.add(gen.nextInt(2) == 0 ? d : d - shape.length);
            if (axes.isEmpty()) axes.add(gen.nextInt(shape.length));
            int[] ax = axes.stream().mapToInt(Integer::intValue).toArray();
            boolean keep = gen.nextInt(2) == 0;
            Tensor x = layoutOf(r.randn(shape));
            String suffix = "axes " + Arrays.toString(ax) + (keep ? " keepdim" : "");
            switch (trial % 4) {
                case 0 -> tests.add(check("sum " + suffix, v -> v.get(0).sum(ax, keep), x));
                case 1 -> tests.add(check("mean " + suffix, v -> v.get(0).mean(ax, keep), x));
                case 2 -> tests.add(check("max " + suffix, v -> v.get(0).max(ax, keep), x));
                default -> tests.add(check("min " + suffix, v -> v.get(0).min(ax, keep), x));
            }
        }
        return tests;
    }
}
