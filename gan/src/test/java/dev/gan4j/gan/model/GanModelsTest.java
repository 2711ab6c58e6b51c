package dev.gan4j.gan.model;

import dev.gan4j.autograd.Autograd;
import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.Module;
import dev.gan4j.nn.layers.BatchNorm;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GanModelsTest {

    @ParameterizedTest
    @CsvSource({"MLP,1,28", "DCGAN,1,28", "DCGAN,3,32", "DCGAN,3,64", "UPSAMPLE,1,28", "UPSAMPLE,3,32", "UPSAMPLE,3,64"})
    void generatorsMakeImagesInRangeAndDiscriminatorsOneScorePerImage(Architecture arch, int channels, int size) {
        ModelSpec spec = new ModelSpec(arch, channels, size, 10, 8, true, false);
        GanModels.Pair pair = GanModels.build(spec, new Generator(1));
        Tensor z = Tensor.randn(new Generator(2), 3, 10);
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            Tensor images = pair.generator().forward(Variable.constant(z)).data();
            assertArrayEquals(new int[] {3, channels, size, size}, images.shape());
            assertTrue(images.abs().max().item() <= 1, "tanh output");
            Tensor scores = pair.discriminator().forward(Variable.constant(images)).data();
            assertArrayEquals(new int[] {3, 1}, scores.shape());
        }
    }

    @ParameterizedTest
    @CsvSource({"DCGAN", "UPSAMPLE"})
    void stateDictKeysFollowPyTorchsSequentialNaming(Architecture arch) {
        Module g = GanModels.build(new ModelSpec(arch, 1, 28, 10, 8, true, false), new Generator(1)).generator();
        assertTrue(g.stateDict().keySet().stream().allMatch(k -> k.startsWith("main.")), g.stateDict().keySet().toString());
        assertTrue(g.stateDict().keySet().stream().anyMatch(k -> k.endsWith(".running_mean")));
        assertTrue(g.stateDict().keySet().stream().anyMatch(k -> k.endsWith(".num_batches_tracked")));
    }

    @ParameterizedTest
    @CsvSource({"DCGAN", "UPSAMPLE"})
    void aCriticWithoutBatchNormHasNoBatchNormLayers(Architecture arch) {
        Module critic = GanModels.build(new ModelSpec(arch, 1, 28, 10, 8, false, false), new Generator(1)).discriminator();
        assertFalse(critic.modules().stream().anyMatch(m -> m instanceof BatchNorm));
    }

    @ParameterizedTest
    @CsvSource({"MLP", "DCGAN"})
    void theArticleHeadOutputsProbabilities(Architecture arch) {
        GanModels.Pair pair = GanModels.build(new ModelSpec(arch, 1, 28, 10, 8, true, true), new Generator(1));
        Tensor x = Tensor.randn(new Generator(3), 4, 1, 28, 28);
        Tensor p = pair.discriminator().forward(Variable.constant(x)).data();
        assertTrue(p.min().item() > 0 && p.max().item() < 1);
        Tensor logits = GanModels.logits(pair.discriminator(), Variable.constant(x)).data();
        assertTrue(logits.sigmoid().sub(p).abs().max().item() < 1e-6, "the probabilities are the logits' sigmoid");
    }

    @ParameterizedTest
    @CsvSource({"DCGAN", "UPSAMPLE"})
    void dcganInitDrawsConvWeightsWithStd002(Architecture arch) {
        Module g = GanModels.build(new ModelSpec(arch, 3, 64, 10, 16, true, false), new Generator(5)).generator();
        Tensor w = g.stateDict().entrySet().stream().filter(e -> e.getKey().endsWith("weight") && e.getValue().rank() == 4)
                .findFirst().orElseThrow().getValue();
        double std = w.var(w.allAxes(), false, 1).sqrt().item();
        assertEquals(0.02, std, 0.004);
    }
}
