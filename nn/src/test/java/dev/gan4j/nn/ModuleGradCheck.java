package dev.gan4j.nn;

import dev.gan4j.autograd.GradCheck;
import dev.gan4j.autograd.Variable;
import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Tensor;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@link GradCheck} for a whole module: the input and every parameter are checked. GradCheck hands
 * its function fresh leaves over the tensors it perturbs, so for each evaluation the module's parameter
 * Variables are swapped (through reflection, test-only) for leaves over the same tensors, and put back.
 */
public final class ModuleGradCheck {

    private ModuleGradCheck() {}

    public static void gradcheck(Module module, Tensor input) {
        gradcheck(module, input, UnaryOperator.identity());
    }

    /** {@code after} is applied to the module's output (e.g. to reduce it), inside the checked function. */
    public static void gradcheck(Module module, Tensor input, UnaryOperator<Variable> after) {
        GradCheck.gradcheck(bound(module, after), inputs(module, input));
    }

    public static void gradgradcheck(Module module, Tensor input) {
        GradCheck.gradgradcheck(bound(module, UnaryOperator.identity()), inputs(module, input));
    }

    private static List<Tensor> inputs(Module module, Tensor input) {
        if (input.dtype() != DType.F64) throw new IllegalArgumentException("gradcheck needs float64 input");
        List<Tensor> tensors = new ArrayList<>();
        tensors.add(input);
        module.namedParameters().values().forEach(p -> tensors.add(p.data()));
        return tensors;
    }

    private static java.util.function.Function<List<Variable>, Variable> bound(Module module, UnaryOperator<Variable> after) {
        List<String> names = new ArrayList<>(module.namedParameters().keySet());
        return xs -> {
            List<Variable> saved = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) saved.add(swap(module, names.get(i), xs.get(i + 1)));
            try {
                return after.apply(module.forward(xs.get(0)));
            } finally {
                for (int i = 0; i < names.size(); i++) swap(module, names.get(i), saved.get(i));
            }
        };
    }

    /** Replaces the parameter at a dotted name, returning the one it replaced. */
    @SuppressWarnings("unchecked")
    private static Variable swap(Module root, String dotted, Variable replacement) {
        String[] parts = dotted.split("\\.");
        Module owner = root;
        for (int i = 0; i < parts.length - 1; i++) owner = owner.children().get(parts[i]);
        try {
            Field field = Module.class.getDeclaredField("parameters");
            field.setAccessible(true);
            return ((Map<String, Variable>) field.get(owner)).put(parts[parts.length - 1], replacement);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
