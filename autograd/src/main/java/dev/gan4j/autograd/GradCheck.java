package dev.gan4j.autograd;

import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Checks analytic gradients against central finite differences in float64, like PyTorch's
 * {@code gradcheck} and {@code gradgradcheck}. A non-scalar output {@code y} is reduced to the
 * scalar {@code sum(u * y)} with a fixed random {@code u}, so every output element takes part.
 *
 * <p>Inputs must be float64 and must not overlap in memory (no expanded views): each element is
 * perturbed in place, then restored exactly. Points where the function is not differentiable
 * (relu at 0, ties of max, clamp bounds) must be at least {@code eps} away. A mismatch throws an
 * {@link AssertionError} naming the input, the element, and both values.
 */
public final class GradCheck {

    public static final double EPS = 1e-6;
    public static final double ATOL = 1e-8;
    public static final double RTOL = 1e-6;

    private GradCheck() {}

    /** {@link #gradcheck(Function, List, double, double, double)} with eps 1e-6, atol 1e-8, rtol 1e-6. */
    public static void gradcheck(Function<List<Variable>, Variable> f, List<Tensor> inputs) {
        gradcheck(f, inputs, EPS, ATOL, RTOL);
    }

    /**
     * Compares {@code d sum(u * f(x)) / dx} from {@link Autograd#grad} with central differences on every
     * element of every input; passes when {@code |analytic - numeric| <= atol + rtol * |numeric|}.
     */
    public static void gradcheck(Function<List<Variable>, Variable> f, List<Tensor> inputs, double eps, double atol,
                                 double rtol) {
        check("gradcheck", f, inputs, eps, atol, rtol);
    }

    public static void gradgradcheck(Function<List<Variable>, Variable> f, List<Tensor> inputs) {
        gradgradcheck(f, inputs, EPS, ATOL, RTOL);
    }

    /**
     * Checks second derivatives: the first derivative {@code sum_i <v_i, d sum(u * f(x)) / dx_i>}, with
     * fixed random {@code u} and {@code v_i}, is computed with {@code createGraph} and then gradchecked.
     */
    public static void gradgradcheck(Function<List<Variable>, Variable> f, List<Tensor> inputs, double eps,
                                     double atol, double rtol) {
        Tensor u = random(f.apply(leaves(inputs)).data(), 1);
        List<Tensor> v = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) v.add(random(inputs.get(i), 2 + i));
        Function<List<Variable>, Variable> firstDerivative = xs -> {
            Variable y = f.apply(xs);
            Variable h = Variable.constant(Tensor.scalar(0, u));
            if (!y.requiresGrad()) return h;
            List<Variable> grads = Autograd.grad(List.of(y), xs, List.of(u), true, true);
            for (int i = 0; i < grads.size(); i++) {
                if (grads.get(i) != null) h = h.add(grads.get(i).mul(Variable.constant(v.get(i))).sum());
            }
            return h;
        };
        check("gradgradcheck", firstDerivative, inputs, eps, atol, rtol);
    }

    private static void check(String name, Function<List<Variable>, Variable> f, List<Tensor> inputs, double eps,
                              double atol, double rtol) {
        for (int i = 0; i < inputs.size(); i++) checkInput(name, i, inputs.get(i));
        List<Variable> xs = leaves(inputs);
        Variable y = f.apply(xs);
        if (y.dtype() != DType.F64) throw new IllegalArgumentException(name + ": the output must be float64");
        Tensor u = random(y.data(), 0);
        double[] uValues = u.toDoubleArray();
        List<double[]> analytic = new ArrayList<>(); // read out before any input is perturbed
        for (Tensor g : analytic(y, xs, u)) analytic.add(g.toDoubleArray());

        for (int i = 0; i < inputs.size(); i++) {
            Tensor x = inputs.get(i);
            double[] a = analytic.get(i);
            int failures = 0;
            String first = null;
            for (int k = 0; k < x.numel(); k++) {
                int[] index = unravel(k, x.shape());
                Tensor cell = x;
                for (int d = 0; d < index.length; d++) cell = cell.narrow(d, index[d], 1);
                double original = x.get(index);
                cell.fill(original + eps);
                double[] plus = evaluate(f, inputs);
                cell.fill(original - eps);
                double[] minus = evaluate(f, inputs);
                cell.fill(original);
                double numeric = 0;
                for (int j = 0; j < uValues.length; j++) numeric += uValues[j] * (plus[j] - minus[j]);
                numeric /= 2 * eps;
                if (!(Math.abs(a[k] - numeric) <= atol + rtol * Math.abs(numeric))) {
                    failures++;
                    if (first == null) {
                        first = String.format("element %s: analytic %.12g, numeric %.12g (difference %.3g > atol %.1g"
                                + " + rtol %.1g * |numeric|)", Arrays.toString(index), a[k], numeric,
                                Math.abs(a[k] - numeric), atol, rtol);
                    }
                }
            }
            if (failures > 0) {
                throw new AssertionError(name + ": input " + i + " of shape " + Arrays.toString(x.shape()) + ", "
                        + first + (failures > 1 ? "; " + failures + " of " + x.numel() + " elements differ" : ""));
            }
        }
    }

    private static void checkInput(String name, int i, Tensor x) {
        if (x.dtype() != DType.F64) {
            throw new IllegalArgumentException(name + ": input " + i + " is " + x.dtype() + "; finite differences need F64");
        }
        for (int d = 0; d < x.rank(); d++) {
            if (x.layout().stride(d) == 0 && x.size(d) > 1) {
                throw new IllegalArgumentException(name + ": input " + i + " is an expanded view (its elements share"
                        + " memory); pass a copy");
            }
        }
    }

    /** d sum(u * y) / dx for every input; zeros where y does not depend on it. */
    private static List<Tensor> analytic(Variable y, List<Variable> xs, Tensor u) {
        List<Tensor> result = new ArrayList<>();
        List<Variable> grads = y.requiresGrad() ? Autograd.grad(List.of(y), xs, List.of(u), false, true) : null;
        for (int i = 0; i < xs.size(); i++) {
            Variable g = grads == null ? null : grads.get(i);
            if (g != null && !Arrays.equals(g.shape(), xs.get(i).shape())) {
                throw new AssertionError("gradient of input " + i + " has shape " + Arrays.toString(g.shape())
                        + ", expected " + Arrays.toString(xs.get(i).shape()));
            }
            result.add(g == null ? Tensor.zerosLike(xs.get(i).data()) : g.data());
        }
        return result;
    }

    private static double[] evaluate(Function<List<Variable>, Variable> f, List<Tensor> inputs) {
        return f.apply(leaves(inputs)).data().toDoubleArray();
    }

    private static List<Variable> leaves(List<Tensor> inputs) {
        List<Variable> xs = new ArrayList<>();
        for (Tensor t : inputs) xs.add(Variable.of(t, true));
        return xs;
    }

    private static Tensor random(Tensor like, long seed) {
        return Tensor.normal(new Generator(0x5eed + seed), 0, 1, DType.F64, like.device(), like.shape());
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] index = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }
}
