package dev.gan4j.nn.optim;

import static dev.gan4j.nn.optim.OptimizerParityTest.GRADS_A;
import static dev.gan4j.nn.optim.OptimizerParityTest.params;
import static dev.gan4j.nn.optim.OptimizerParityTest.setGrads;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.io.Checkpoint;
import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Optimiser state: saved, restored (in memory and through a checkpoint file), and the next step is identical. */
class OptimizerStateTest {

    @TempDir
    Path dir;

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("sgd", (Function<List<Variable>, Optimizer>) ps -> new Sgd(ps, 0.1, 0.9, 0.1, 0.01, false)),
                Arguments.of("sgd-nesterov", (Function<List<Variable>, Optimizer>) ps -> new Sgd(ps, 0.1, 0.9, 0, 0, true)),
                Arguments.of("adam", (Function<List<Variable>, Optimizer>) ps -> new Adam(ps, 0.01, 0.5, 0.999, 1e-8, 0.01, false)),
                Arguments.of("adam-amsgrad", (Function<List<Variable>, Optimizer>) ps -> new Adam(ps, 0.01, 0.9, 0.99, 1e-8, 0, true)),
                Arguments.of("rmsprop", (Function<List<Variable>, Optimizer>) ps -> new RmsProp(ps, 0.01)),
                Arguments.of("rmsprop-centered-momentum",
                        (Function<List<Variable>, Optimizer>) ps -> new RmsProp(ps, 0.01, 0.9, 1e-6, 0.1, 0.5, true)));
    }

    /** A parameter that is a transposed view is updated exactly as the same values stored densely. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void aParameterThatIsAViewIsUpdatedLikeADenseOne(String name, Function<List<Variable>, Optimizer> make) {
        Tensor values = Tensor.fromArray(new double[] {0.5, -1.25, 2.0, 0.0, 0.3, -0.7}, 2, 3);
        Variable dense = Variable.of(values.copy(), true);
        Variable view = Variable.of(values.t().contiguous().t(), true);
        Optimizer onDense = make.apply(List.of(dense));
        Optimizer onView = make.apply(List.of(view));
        for (int step = 0; step < 3; step++) {
            Tensor grad = Tensor.fromArray(new double[] {0.3, -0.8, 1.2, 0.05, -0.1 * step, 0.4}, 2, 3);
            dense.setGrad(grad);
            view.setGrad(grad);
            onDense.step();
            onView.step();
        }
        assertArrayEquals(dense.data().toDoubleArray(), view.data().toDoubleArray());
        assertEquals(1, view.data().layout().strides()[0], "the view is still a view");
    }

    private static List<Variable> copies(List<Variable> ps) {
        return ps.stream().map(p -> Variable.of(p.data().copy(), true)).toList();
    }

    private static void assertSameParams(List<Variable> expected, List<Variable> actual) {
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).data().toDoubleArray(), actual.get(i).data().toDoubleArray(),
                    "parameter " + i);
        }
    }

    /** Runs 3 steps (B without a gradient on the first), then a second optimiser resumes from the state. */
    private static void checkResume(Function<List<Variable>, Optimizer> make,
                                    Function<Map<String, Tensor>, Map<String, Tensor>> transport) {
        List<Variable> original = params();
        Optimizer first = make.apply(original);
        for (int step = 0; step < 3; step++) {
            setGrads(original, step, true);
            first.step();
        }
        List<Variable> resumed = copies(original);
        Optimizer second = make.apply(resumed);
        second.loadStateDict(transport.apply(first.stateDict()));
        assertEquals(first.steps(), second.steps());
        for (int step = 3; step < GRADS_A.length; step++) {
            setGrads(original, step, false);
            setGrads(resumed, step, false);
            first.step();
            second.step();
            assertSameParams(original, resumed);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void stateDictRestoresTheExactNextSteps(String name, Function<List<Variable>, Optimizer> make) {
        checkResume(make, state -> state);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void stateSurvivesACheckpointFileBitExactly(String name, Function<List<Variable>, Optimizer> make) {
        checkResume(make, state -> {
            try {
                Path file = dir.resolve(name + ".safetensors");
                Checkpoint.save(file, Checkpoint.prefixed("optimizer", state), Map.of());
                return Checkpoint.load(file).section("optimizer");
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void stateDictNamesTensorsByParameterIndexAndHoldsTheStepCounts() {
        List<Variable> ps = params();
        Adam adam = new Adam(ps, 0.01, 0.9, 0.999, 1e-8, 0, true);
        setGrads(ps, 0, true);
        adam.step();
        setGrads(ps, 1, false);
        adam.step();
        Map<String, Tensor> state = adam.stateDict();
        assertEquals(List.of("state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq", "state.0.max_exp_avg_sq",
                "state.1.step", "state.1.exp_avg", "state.1.exp_avg_sq", "state.1.max_exp_avg_sq", "step"),
                List.copyOf(state.keySet()));
        assertEquals(2, state.get("state.0.step").item());
        assertEquals(1, state.get("state.1.step").item());
        assertEquals(2, state.get("step").item());
        assertArrayEquals(new int[] {2, 3}, state.get("state.1.exp_avg").shape());
    }

    @Test
    void aFileWithoutPerParameterStepsFallsBackToTheGlobalStep() {
        List<Variable> original = params();
        Adam first = new Adam(original, 0.01, 0.9, 0.99);
        for (int step = 0; step < 2; step++) {
            setGrads(original, step, false);
            first.step();
        }
        Map<String, Tensor> old = new LinkedHashMap<>(first.stateDict());
        old.keySet().removeIf(k -> k.endsWith(".step") && k.startsWith("state."));
        List<Variable> resumed = copies(original);
        Adam second = new Adam(resumed, 0.01, 0.9, 0.99);
        second.loadStateDict(old);
        setGrads(original, 2, false);
        setGrads(resumed, 2, false);
        first.step();
        second.step();
        assertSameParams(original, resumed);
    }

    @Test
    void momentumBufferDoesNotAliasTheGradient() {
        List<Variable> ps = params();
        Sgd sgd = new Sgd(ps, 0.1, 0.9, 0, 0, false);
        setGrads(ps, 0, false);
        sgd.step();
        double[] buffer = sgd.stateDict().get("state.0.momentum_buffer").toDoubleArray();
        ps.get(0).grad().fill(123); // e.g. in-place gradient clipping before the next backward
        assertArrayEquals(buffer, sgd.stateDict().get("state.0.momentum_buffer").toDoubleArray());
    }

    @Test
    void stateInAnotherDtypeIsConvertedToTheParameters() {
        List<Variable> original = params();
        Adam first = new Adam(original, 0.01, 0.9, 0.99);
        setGrads(original, 0, false);
        first.step();
        Map<String, Tensor> f32 = new LinkedHashMap<>();
        first.stateDict().forEach((k, v) -> f32.put(k, v.to(DType.F32)));
        Adam second = new Adam(copies(original), 0.01, 0.9, 0.99);
        second.loadStateDict(f32);
        assertEquals(DType.F64, second.stateDict().get("state.1.exp_avg").dtype());
    }

    /** After a failed load, the optimiser steps exactly like one that was never asked to load. */
    private static void assertUntouchedAfter(Map<String, Tensor> bad, String... messageParts) {
        List<Variable> reference = params();
        Adam untouchedReference = new Adam(reference, 0.01, 0.9, 0.99);
        List<Variable> ps = params();
        Adam adam = new Adam(ps, 0.01, 0.9, 0.99);
        for (int step = 0; step < 2; step++) {
            setGrads(reference, step, false);
            untouchedReference.step();
            setGrads(ps, step, false);
            adam.step();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam.loadStateDict(bad));
        for (String part : messageParts) {
            assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
        }
        assertEquals(2, adam.steps());
        setGrads(reference, 2, false);
        untouchedReference.step();
        setGrads(ps, 2, false);
        adam.step();
        assertSameParams(reference, ps);
    }

    private static Map<String, Tensor> savedAdamState() {
        List<Variable> ps = params();
        Adam adam = new Adam(ps, 0.5, 0.1, 0.2);
        for (int step = 0; step < 4; step++) {
            setGrads(ps, step, false);
            adam.step();
        }
        return new LinkedHashMap<>(adam.stateDict());
    }

    @Test
    void wrongShapeFailsNamingTheKeyAndBothShapesAndChangesNothing() {
        Map<String, Tensor> bad = savedAdamState();
        bad.put("state.1.exp_avg", Tensor.zeros(DType.F64, dev.gan4j.tensor.Device.CPU, 3, 2));
        assertUntouchedAfter(bad, "state.1.exp_avg", "[3, 2]", "[2, 3]");
    }

    @Test
    void unexpectedKeyFailsAndChangesNothing() {
        Map<String, Tensor> bad = savedAdamState();
        bad.put("state.7.exp_avg", Tensor.zeros(4));
        bad.put("lr", Tensor.zeros(1));
        assertUntouchedAfter(bad, "state.7.exp_avg", "lr");
    }

    @Test
    void missingGlobalStepFailsAndChangesNothing() {
        Map<String, Tensor> bad = savedAdamState();
        bad.remove("step");
        assertUntouchedAfter(bad, "'step'");
    }

    @Test
    void setLearningRateChangesTheNextStep() {
        List<Variable> ps = params();
        Sgd sgd = new Sgd(ps, 0.1);
        sgd.setLearningRate(0.5);
        assertEquals(0.5, sgd.learningRate());
        setGrads(ps, 0, false);
        sgd.step();
        assertEquals(0.5 - 0.5 * 0.3, ps.get(0).data().get(0), 1e-15);
    }

    @Test
    void zeroGradClearsEveryGradient() {
        List<Variable> ps = params();
        Optimizer opt = new Sgd(ps, 0.1);
        setGrads(ps, 0, false);
        opt.zeroGrad();
        assertTrue(ps.stream().allMatch(p -> p.grad() == null));
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Sgd(params(), 0.1, 0, 0, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(params(), 0.1, 0.9, 0.5, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(), 0.1));
        List<Variable> ps = params();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Adam(List.of(ps.get(0), ps.get(1), ps.get(0)), 0.1, 0.9, 0.999));
        assertTrue(e.getMessage().contains("parameter 2") && e.getMessage().contains("more than once"), e.getMessage());
    }
}
