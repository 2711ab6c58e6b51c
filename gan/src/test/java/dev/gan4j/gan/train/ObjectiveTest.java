package dev.gan4j.gan.train;

import dev.gan4j.autograd.Variable;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObjectiveTest {

    private static Variable scores(float... values) {
        return Variable.constant(Tensor.fromArray(values, values.length, 1));
    }

    @Test
    void theHingeLossesMatchTheirDefinitionComputedByHand() {
        Variable real = scores(2f, 0.5f);
        Variable fake = scores(-3f, 0f);
        // D: mean(max(0, 1 - real)) + mean(max(0, 1 + fake)) = mean(0, 0.5) + mean(0, 1) = 0.25 + 0.5
        assertEquals(0.75, Objective.HINGE.discriminatorLoss(real, fake).item(), 1e-7);
        // G: -mean(fake) = 1.5
        assertEquals(1.5, Objective.HINGE.generatorLoss(fake).item(), 1e-7);
        assertEquals(1.25, Objective.HINGE.meanBelief(real).item(), 1e-7, "raw scores, not probabilities");
    }

    @Test
    void hingeScoresAreRawSoASigmoidOutputIsRejected() {
        assertTrue(Objective.HINGE.rawScores());
        assertFalse(Objective.HINGE.wasserstein(), "the hinge critic keeps batch norm: no per-sample penalty");
        assertFalse(Objective.NON_SATURATING.rawScores());
    }
}
