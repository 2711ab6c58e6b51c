package dev.gan4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.layers.BatchNorm2d;
import dev.gan4j.nn.layers.ConvTranspose2d;
import dev.gan4j.nn.layers.Dropout;
import dev.gan4j.nn.layers.Linear;
import dev.gan4j.nn.layers.ReLU;
import dev.gan4j.nn.layers.Sequential;
import dev.gan4j.nn.layers.Tanh;
import dev.gan4j.tensor.ConvParams;
import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Module: PyTorch's state-dict names, modes, gradients, dtype moves and guarded loading. */
class ModuleTest {

    /** The same tree as this PyTorch model (its state_dict keys are pasted below):
     * <pre>
     * class G(nn.Module):
     *     def __init__(self):
     *         super().__init__()
     *         self.main = nn.Sequential(nn.ConvTranspose2d(4, 8, 4, 1, 0, bias=False), nn.BatchNorm2d(8), nn.ReLU(True),
     *                                   nn.ConvTranspose2d(8, 1, 4, 2, 1, bias=False), nn.Tanh())
     *         self.head = nn.Linear(3, 2)
     * </pre> */
    static final class G extends Module {
        final Sequential main;
        final Linear head;

        G(long seed) {
            Generator gen = new Generator(seed);
            main = registerModule("main", new Sequential(
                    new ConvTranspose2d(4, 8, 4, ConvParams.of(1, 0), 0, false, gen), new BatchNorm2d(8), new ReLU(),
                    new ConvTranspose2d(8, 1, 4, ConvParams.of(2, 1), 0, false, gen), new Tanh(), new Dropout(0.5, gen)));
            head = registerModule("head", new Linear(3, 2, true, gen));
        }

        @Override
        public Variable forward(Variable x) {
            return main.forward(x);
        }
    }

    // printed by PyTorch for the model above: list(G().state_dict().keys()) and named_parameters()/named_buffers()
    static final List<String> TORCH_STATE_KEYS = List.of("main.0.weight", "main.1.weight", "main.1.bias",
            "main.1.running_mean", "main.1.running_var", "main.1.num_batches_tracked", "main.3.weight", "head.weight",
            "head.bias");
    static final List<String> TORCH_PARAMETERS = List.of("main.0.weight", "main.1.weight", "main.1.bias", "main.3.weight",
            "head.weight", "head.bias");
    static final List<String> TORCH_BUFFERS = List.of("main.1.running_mean", "main.1.running_var",
            "main.1.num_batches_tracked");

    @Test
    void namesAreExactlyPyTorchs() {
        G g = new G(1);
        assertEquals(TORCH_STATE_KEYS, List.copyOf(g.stateDict().keySet()));
        assertEquals(TORCH_PARAMETERS, List.copyOf(g.namedParameters().keySet()));
        assertEquals(TORCH_BUFFERS, List.copyOf(g.namedBuffers().keySet()));
        assertArrayEquals(new int[] {4, 8, 4, 4}, g.stateDict().get("main.0.weight").shape());
        assertArrayEquals(new int[0], g.stateDict().get("main.1.num_batches_tracked").shape());
        assertEquals(List.of("main", "head"), List.copyOf(g.children().keySet()));
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), List.copyOf(g.main.children().keySet()));
    }

    @Test
    void parametersAreTheLiveLeavesInOrder() {
        G g = new G(1);
        List<Variable> ps = g.parameters();
        assertEquals(6, ps.size());
        assertSame(g.namedParameters().get("main.1.weight"), ps.get(1));
        assertTrue(ps.stream().allMatch(p -> p.requiresGrad() && p.isLeaf()));
        assertSame(ps.get(0).data(), g.stateDict().get("main.0.weight"));
        assertEquals(4 * 8 * 16 + 8 + 8 + 8 * 16 + 3 * 2 + 2, g.parameterCount());
        assertEquals(9, g.modules().size()); // g, main, its six layers, head
        assertSame(g, g.modules().get(0));
    }

    @Test
    void aSharedModuleIsOneSetOfParametersButKeepsBothStateKeys() {
        Linear shared = new Linear(2, 2, true, new Generator(3));
        Sequential tied = new Sequential(shared, new ReLU(), shared);
        assertEquals(2, tied.parameters().size(), "an optimiser must see a tied weight once");
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(tied.namedParameters().keySet()));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(tied.stateDict().keySet()));
        assertEquals(6, tied.parameterCount());
    }

    @Test
    void trainAndEvalReachEveryDescendant() {
        G g = new G(1);
        assertTrue(g.modules().stream().allMatch(Module::isTraining));
        assertSame(g, g.eval());
        assertTrue(g.modules().stream().noneMatch(Module::isTraining));
        g.train();
        assertTrue(g.modules().stream().allMatch(Module::isTraining));
        g.main.get(1).eval();
        assertFalse(g.main.get(1).isTraining());
        assertTrue(g.main.get(0).isTraining() && g.isTraining());
    }

    @Test
    void evalModeChangesBehaviourDeepInTheTree() {
        G g = new G(1);
        Variable z = Variable.constant(TestTensors.random(4, 2, 4, 1, 1).to(DType.F32));
        g.eval();
        double[] a = g.forward(z).data().toDoubleArray();
        double[] b = g.forward(z).data().toDoubleArray();
        assertArrayEquals(a, b, "eval: no dropout, running statistics");
        assertEquals(0, g.stateDict().get("main.1.num_batches_tracked").item());
        g.train();
        g.forward(z);
        assertEquals(1, g.stateDict().get("main.1.num_batches_tracked").item());
    }

    @Test
    void zeroGradClearsEveryParameter() {
        G g = new G(1);
        Variable z = Variable.constant(TestTensors.random(5, 2, 4, 1, 1).to(DType.F32));
        g.forward(z).sum().add(g.head.forward(Variable.constant(Tensor.ones(1, 3))).sum()).backward();
        assertTrue(g.parameters().stream().allMatch(p -> p.grad() != null));
        g.zeroGrad();
        assertTrue(g.parameters().stream().allMatch(p -> p.grad() == null));
    }

    @Test
    void toDtypeConvertsParametersBuffersAndGradients() {
        G g = new G(1);
        g.head.forward(Variable.constant(Tensor.ones(1, 3))).sum().backward();
        Map<String, double[]> before = values(g);
        assertSame(g, g.to(DType.F64));
        g.stateDict().forEach((k, t) -> assertEquals(DType.F64, t.dtype(), k));
        assertEquals(DType.F64, g.head.namedParameters().get("weight").grad().dtype());
        Map<String, double[]> after = values(g);
        before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k));
        Variable z = Variable.constant(TestTensors.random(6, 2, 4, 1, 1));
        assertEquals(DType.F64, g.forward(z).dtype());
        g.forward(z).sum().backward(); // also after a training forward with float64 running statistics
        g.to(DType.F32);
        g.stateDict().forEach((k, t) -> assertEquals(DType.F32, t.dtype(), k));
    }

    @Test
    void registrationRejectsDuplicateAndDottedNames() {
        class Bad extends Module {
            Bad(String first, String second) {
                registerParameter(first, Tensor.zeros(1));
                registerBuffer(second, Tensor.zeros(1));
            }

            @Override
            public Variable forward(Variable x) {
                return x;
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new Bad("w", "w"));
        assertThrows(IllegalArgumentException.class, () -> new Bad("a.b", "c"));
        assertThrows(IllegalArgumentException.class, () -> new Bad("", "c"));
        assertNotNull(new Bad("w", "v"));
    }

    @Test
    void toStringShowsTheTree() {
        String s = new G(1).toString();
        assertTrue(s.startsWith("G("), s);
        assertTrue(s.contains("(main): Sequential(") && s.contains("(1): BatchNorm2d(") && s.contains("(head): Linear(in=3, out=2"), s);
    }

    // ---- loadStateDict ----

    private static Map<String, double[]> values(Module m) {
        Map<String, double[]> out = new LinkedHashMap<>();
        m.stateDict().forEach((k, t) -> out.put(k, t.toDoubleArray()));
        return out;
    }

    /** The state of another instance (different weights, trained statistics), as copies. */
    private static Map<String, Tensor> otherState() {
        G other = new G(99);
        other.forward(Variable.constant(TestTensors.random(7, 3, 4, 1, 1).to(DType.F32)));
        Map<String, Tensor> state = new LinkedHashMap<>();
        other.stateDict().forEach((k, t) -> state.put(k, t.copy()));
        return state;
    }

    @Test
    void loadingCopiesEveryValue() {
        G g = new G(1);
        Map<String, Tensor> state = otherState();
        Map<String, Tensor> live = g.stateDict();
        g.loadStateDict(state, true);
        state.forEach((k, t) -> assertArrayEquals(t.toDoubleArray(), g.stateDict().get(k).toDoubleArray(), k));
        live.forEach((k, t) -> assertSame(t, g.stateDict().get(k), "loaded in place: " + k));
        assertEquals(1, g.stateDict().get("main.1.num_batches_tracked").item());
        state.get("head.bias").fill(42);
        assertFalse(g.stateDict().get("head.bias").get(0) == 42, "the module must not alias the source");
    }

    @Test
    void loadingMakesTheSameFunction() {
        G a = new G(1);
        G b = new G(2);
        a.forward(Variable.constant(TestTensors.random(8, 3, 4, 1, 1).to(DType.F32)));
        b.loadStateDict(a.stateDict(), true);
        a.eval();
        b.eval();
        Variable z = Variable.constant(TestTensors.random(9, 2, 4, 1, 1).to(DType.F32));
        assertArrayEquals(a.forward(z).data().toDoubleArray(), b.forward(z).data().toDoubleArray());
    }

    /** Loading {@code state} must fail with a message containing every part, and leave the module as it was. */
    private static void assertRejected(Map<String, Tensor> state, boolean strict, String... parts) {
        G g = new G(1);
        Map<String, Tensor> live = g.stateDict();
        Map<String, double[]> before = values(g);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.loadStateDict(state, strict));
        for (String part : parts) assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' lacks '" + part + "'");
        Map<String, double[]> after = values(g);
        before.forEach((k, v) -> assertArrayEquals(v, after.get(k), "changed by a failed load: " + k));
        live.forEach((k, t) -> assertSame(t, g.stateDict().get(k), k));
    }

    @Test
    void missingKeyFailsInStrictAndNonStrictMode() {
        Map<String, Tensor> state = otherState();
        state.remove("main.1.running_var");
        state.remove("head.bias");
        assertRejected(state, true, "missing", "main.1.running_var", "head.bias");
        assertRejected(state, false, "missing", "main.1.running_var", "head.bias");
    }

    @Test
    void unexpectedKeyFailsOnlyInStrictMode() {
        Map<String, Tensor> state = otherState();
        state.put("main.9.weight", Tensor.zeros(2));
        assertRejected(state, true, "unexpected", "main.9.weight");
        G g = new G(1);
        g.loadStateDict(state, false);
        assertArrayEquals(state.get("head.weight").toDoubleArray(), g.stateDict().get("head.weight").toDoubleArray());
        assertNull(g.stateDict().get("main.9.weight"));
    }

    @Test
    void missingAndUnexpectedKeysAreReportedTogether() {
        Map<String, Tensor> state = otherState();
        state.put("tail.weight", state.remove("head.weight")); // a renamed layer
        assertRejected(state, true, "missing keys [head.weight]", "unexpected keys [tail.weight]");
        assertRejected(state, false, "missing keys [head.weight]");
    }

    @Test
    void shapeMismatchNamesTheKeyAndBothShapes() {
        Map<String, Tensor> state = otherState();
        state.put("main.3.weight", Tensor.zeros(8, 1, 3, 3));
        assertRejected(state, true, "main.3.weight", "[8, 1, 3, 3]", "[8, 1, 4, 4]");
        state = otherState();
        state.put("main.1.num_batches_tracked", Tensor.zeros(1)); // [1] is not a scalar []
        assertRejected(state, false, "main.1.num_batches_tracked", "[1]", "[]");
    }

    @Test
    void dtypeMismatchNamesTheKeyAndBothDtypes() {
        Map<String, Tensor> state = otherState();
        state.put("head.weight", state.get("head.weight").to(DType.F64));
        assertRejected(state, true, "head.weight", "float64", "float32");
    }

    @Test
    void aLateFailureStillChangesNothing() {
        // The bad key is the last one: every earlier key was valid and must not have been written.
        Map<String, Tensor> state = otherState();
        state.put("head.bias", Tensor.zeros(3));
        assertRejected(state, true, "head.bias", "[3]", "[2]");
    }
}
