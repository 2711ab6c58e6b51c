package dev.gan4j.nn.optim;

import dev.gan4j.nn.Module;
import dev.gan4j.nn.layers.BatchNorm1d;
import dev.gan4j.nn.layers.Linear;
import dev.gan4j.nn.layers.Sequential;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WeightAverageTest {

    private static Module model() {
        return new Sequential(new Linear(3, 2), new BatchNorm1d(2));
    }

    /** Every parameter and the batch-norm statistics of {@code m} set to {@code value}, the counter to {@code count}. */
    private static void setAll(Module m, double value, double count) {
        m.stateDict().forEach((name, t) -> t.fill(name.endsWith("num_batches_tracked") ? count : value));
    }

    private static void assertAll(Module m, double value, double count, String when) {
        for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) {
            boolean counter = e.getKey().endsWith("num_batches_tracked");
            for (float v : e.getValue().toFloatArray()) {
                assertEquals(counter ? count : value, v, 1e-6, e.getKey() + " " + when);
            }
        }
    }

    @Test
    void theAverageFollowsTheRampedDecayComputedByHand() {
        Module source = model();
        setAll(source, 1, 0);
        WeightAverage average = new WeightAverage(source, model(), 0.2);
        assertAll(average.model(), 1, 0, "at the start (a copy of the source)");

        // decay d = min(0.2, (1 + n) / (10 + n)) for the n-th update: 0.1, 2/11, then 0.2 (the ramp passes 0.2)
        setAll(source, 2, 1);
        average.update();
        assertAll(average.model(), 0.1 * 1 + 0.9 * 2, 1, "after 1 update");
        setAll(source, 4, 2);
        average.update();
        double second = 2.0 / 11 * 1.9 + 9.0 / 11 * 4;
        assertAll(average.model(), second, 2, "after 2 updates");
        setAll(source, 8, 3);
        average.update();
        assertAll(average.model(), 0.2 * second + 0.8 * 8, 3, "after 3 updates (counter copied, not averaged)");
        assertEquals(3, average.updates());
        assertAll(source, 8, 3, "the source is left alone");
    }

    @Test
    void aResumedAverageContinuesWithTheSameDecayAsAnUninterruptedOne() {
        Module source = model();
        WeightAverage straight = new WeightAverage(source, model(), 0.999);
        for (int i = 0; i < 5; i++) straight.update();

        WeightAverage resumed = new WeightAverage(source, model(), 0.999);
        resumed.model().loadStateDict(straight.model().stateDict(), true);
        resumed.resumeAt(5);
        assertEquals(straight.nextDecay(), resumed.nextDecay());
        assertEquals(6.0 / 15, resumed.nextDecay());
    }

    @Test
    void aDecayOutsideTheOpenUnitIntervalIsRejected() {
        for (double bad : new double[] {0, 1, -0.5, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new WeightAverage(model(), model(), bad));
            assertEquals("weight average: decay must be in (0, 1), got " + bad, e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new WeightAverage(model(), model(), 0.9).resumeAt(-1));
    }
}
