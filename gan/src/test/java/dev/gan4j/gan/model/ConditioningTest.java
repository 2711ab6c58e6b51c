package dev.gan4j.gan.model;

import dev.gan4j.autograd.Autograd;
import dev.gan4j.autograd.Variable;
import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Latent codes with a one-hot class, label planes, and the class-conditional models built on them. */
class ConditioningTest {

    @Test
    void aConditionalCodeIsTheUnconditionalNoiseFollowedByOneHotClasses() {
        LatentCode plain = new LatentCode(5, 0);
        LatentCode conditional = new LatentCode(5, 3);
        Tensor z = plain.draw(new Generator(7), new Generator(8), 400, Device.CPU);
        Tensor c = conditional.draw(new Generator(7), new Generator(8), 400, Device.CPU);
        assertArrayEquals(new int[] {400, 5}, z.shape());
        assertArrayEquals(new int[] {400, 8}, c.shape());
        assertArrayEquals(z.toFloatArray(), c.narrow(1, 0, 5).contiguous().toFloatArray(), "the same noise vectors");

        int[] expected = conditional.drawClasses(new Generator(8), 400);
        float[] hot = c.narrow(1, 5, 3).contiguous().toFloatArray();
        int[] perClass = new int[3];
        for (int i = 0; i < 400; i++) {
            for (int k = 0; k < 3; k++) assertEquals(k == expected[i] ? 1f : 0f, hot[i * 3 + k], "row " + i + " column " + k);
            perClass[expected[i]]++;
        }
        for (int count : perClass) assertTrue(count > 100, "drawn uniformly: " + java.util.Arrays.toString(perClass));
    }

    @Test
    void anUnconditionalCodeLeavesTheNoiseAsItIs() {
        Tensor z = Tensor.randn(new Generator(1), 4, 6);
        assertSame(z, new LatentCode(6, 0).withLabels(z, new int[4]));
    }

    @Test
    void wrongShapesAndClassesAreClearErrors() {
        LatentCode code = new LatentCode(6, 10);
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> code.withLabels(Tensor.zeros(DType.F32, Device.CPU, 4, 7), new int[4]));
        assertTrue(shape.getMessage().contains("[N, 6]") && shape.getMessage().contains("[4, 7]"), shape.getMessage());
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> code.oneHot(new int[] {3, 10}, Device.CPU));
        assertTrue(label.getMessage().contains("class 10") && label.getMessage().contains("0 to 9"), label.getMessage());
    }

    @Test
    void labelPlanesFollowTheImageChannelsAndPassGradientsToTheImagesOnly() {
        Tensor images = Tensor.randn(new Generator(2), 2, 1, 3, 4);
        Variable x = Variable.of(images, true);
        Tensor oneHot = new LatentCode(1, 3).oneHot(new int[] {2, 0}, Device.CPU);
        Variable packed = LabelPlanes.append(x, LabelPlanes.of(oneHot, 3, 4));
        assertArrayEquals(new int[] {2, 4, 3, 4}, packed.shape());
        Tensor p = packed.data();
        assertArrayEquals(images.toFloatArray(), p.narrow(1, 0, 1).contiguous().toFloatArray());
        for (int n = 0; n < 2; n++) {
            for (int k = 0; k < 3; k++) {
                float expected = k == (n == 0 ? 2 : 0) ? 1 : 0;
                Tensor plane = p.narrow(0, n, 1).narrow(1, 1 + k, 1);
                assertEquals(expected, plane.min().item(), 0, "sample " + n + " plane " + k);
                assertEquals(expected, plane.max().item(), 0, "sample " + n + " plane " + k);
            }
        }
        Tensor weights = Tensor.randn(new Generator(3), 2, 4, 3, 4);
        Variable grad = Autograd.grad(List.of(packed.mul(Variable.constant(weights)).sum()), List.of(x), null, false).get(0);
        assertArrayEquals(weights.narrow(1, 0, 1).contiguous().toFloatArray(), grad.data().toFloatArray());
    }

    @ParameterizedTest
    @CsvSource({"MLP,1,28", "DCGAN,1,28", "DCGAN,3,32", "UPSAMPLE,1,28"})
    void conditionalModelsReadTheClassAndScoreImagesWithTheirLabelPlanes(Architecture arch, int channels, int size) {
        ModelSpec spec = new ModelSpec(arch, channels, size, 10, 8, true, false, 4);
        GanModels.Pair pair = GanModels.build(spec, new Generator(1));
        LatentCode code = new LatentCode(10, 4);
        int[] classes = {0, 3, 1};
        Tensor z = code.withLabels(Tensor.randn(new Generator(2), 3, 10), classes);
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            Variable images = pair.generator().forward(Variable.constant(z));
            assertArrayEquals(new int[] {3, channels, size, size}, images.shape());
            Tensor scores = pair.discriminator().forward(LabelPlanes.append(images,
                    LabelPlanes.of(code.oneHot(classes, Device.CPU), size, size)))
                    .data();
            assertArrayEquals(new int[] {3, 1}, scores.shape());
        }
    }

    @Test
    void theClassChangesWhatTheGeneratorDraws() {
        GanModels.Pair pair = GanModels.build(new ModelSpec(Architecture.DCGAN, 1, 28, 10, 8, true, false, 10),
                new Generator(1));
        LatentCode code = new LatentCode(10, 10);
        Tensor noise = Tensor.randn(new Generator(2), 1, 10);
        pair.generator().eval();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            Tensor three = pair.generator().forward(Variable.constant(code.withLabels(noise, new int[] {3}))).data();
            Tensor seven = pair.generator().forward(Variable.constant(code.withLabels(noise, new int[] {7}))).data();
            assertTrue(three.sub(seven).abs().max().item() > 1e-4, "same noise, another class, another image");
        }
    }
}
