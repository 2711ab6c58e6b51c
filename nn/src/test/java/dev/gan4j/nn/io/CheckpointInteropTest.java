package dev.gan4j.nn.io;

import static dev.gan4j.nn.TestTensors.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.Init;
import dev.gan4j.nn.Module;
import dev.gan4j.nn.layers.BatchNorm1d;
import dev.gan4j.nn.layers.LeakyReLU;
import dev.gan4j.nn.layers.Linear;
import dev.gan4j.nn.layers.Sequential;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * State dicts exchanged with PyTorch through safetensors, both ways, for the same architecture:
 * {@code Sequential(Linear(4, 6), BatchNorm1d(6), LeakyReLU(0.2), Linear(6, 3))}.
 * <ul>
 * <li>checkpoints/torch_mlp.safetensors was written by PyTorch (resources/pytorch/checkpoints.py
 *     torch-fixture); gan4j loads it and must compute PyTorch's outputs, printed by the same script.</li>
 * <li>checkpoints/gan4j_mlp.safetensors was written by gan4j ({@link #gan4jModel()}); the script's
 *     check-gan4j mode loaded it into PyTorch with load_state_dict(strict=True), checked keys, shapes and
 *     dtypes against PyTorch's own state dict, and printed the output below. This test re-creates the file
 *     and requires it to be identical byte for byte, so that PyTorch check stays valid. To regenerate it
 *     after an intended change, run this test with -Dgan4j.writeFixtures=DIR and rerun the script. The file
 *     carries gan4j's content hash in its metadata, which PyTorch ignores (checked with torch 1.13, safetensors 0.8.0).</li>
 * </ul>
 */
class CheckpointInteropTest {

    @TempDir
    Path dir;

    static final String[] TORCH_KEYS = {"0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked", "3.weight", "3.bias"};
    static final double[] X = {0.5, -1.0, 2.0, 0.25, 1.5, 0.75, -0.5, -2.0, -1.25, 0.0, 1.0, 3.0, 2.5, -0.25, -1.5, 0.5, 0.0, 1.0, 0.125, -1.0};
    static final double[] TORCH_EVAL_Y = {1.0493922233581543, -0.33865585923194885, -0.46877455711364746, 0.292266845703125, -0.18974018096923828, -0.32162168622016907, 0.740388035774231, -0.8862053155899048, 0.2990467846393585, 0.35625553131103516, -0.4748435616493225, -0.3064212501049042, 0.2775268852710724, -0.3905014395713806, -0.008418649435043335};
    static final double[] TORCH_TRAIN_Y = {1.5115771293640137, -0.6688637733459473, -0.6726699471473694, 0.136000394821167, -0.15203435719013214, -0.3921247124671936, 1.178299903869629, -1.3926255702972412, 0.8597780466079712, 0.5123478770256042, -0.6109486818313599, -0.280162513256073, 0.15117397904396057, -0.46916043758392334, 0.09075045585632324};
    static final double[] TORCH_RUNNING_MEAN_AFTER = {0.02500530704855919, -0.07352767884731293, 0.2415713667869568, -0.11802391707897186, 0.047393735498189926, 0.048449963331222534};
    static final double[] TORCH_RUNNING_VAR_AFTER = {0.7606076002120972, 0.768887996673584, 0.8521498441696167, 0.7619019746780396, 1.1366068124771118, 0.8521553874015808};
    // loaded by torch 1.13.0a0 with load_state_dict(strict=True); num_batches_tracked = 7 (torch.int64)
    static final double[] GAN4J_EVAL_Y_BY_TORCH = {-0.21386423707008362, 0.28667256236076355, -0.052273690700531006, -0.3218843340873718, 0.26004451513290405, -0.3575572669506073, 0.0172816663980484, -0.03516267240047455, -0.3893955647945404, -1.2627184391021729, 0.4402289390563965, -0.08519251644611359, -0.014457270503044128, 0.08138388395309448, -0.3384730815887451};

    static Path resource(String name) {
        try {
            return Path.of(CheckpointInteropTest.class.getResource("/checkpoints/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Sequential mlp(Generator gen) {
        return new Sequential(new Linear(4, 6, true, gen), new BatchNorm1d(6), new LeakyReLU(0.2), new Linear(6, 3, true, gen));
    }

    /**
     * The gan4j model of the fixture: seeded weights, and running statistics set directly (not trained,
     * so the file does not depend on how a CPU rounds a matrix product).
     */
    static Sequential gan4jModel() {
        Generator gen = new Generator(2024);
        Sequential m = mlp(gen);
        Map<String, Tensor> s = m.stateDict();
        Init.uniform(s.get("1.weight"), 0.5, 1.5, gen);
        Init.uniform(s.get("1.bias"), -0.5, 0.5, gen);
        s.get("1.running_mean").assign(Tensor.fromArray(new float[] {0.25f, -0.5f, 0.125f, 1f, -0.75f, 0}, 6));
        s.get("1.running_var").assign(Tensor.fromArray(new float[] {0.5f, 1.5f, 2f, 0.25f, 1f, 3f}, 6));
        s.get("1.num_batches_tracked").fill(7);
        return m;
    }

    static Variable input() {
        return Variable.constant(Tensor.fromArray(X.clone(), 5, 4).to(dev.gan4j.tensor.DType.F32));
    }

    @Test
    void aPyTorchStateDictLoadsAndComputesPyTorchsOutputs() throws IOException {
        Sequential m = mlp(new Generator(1));
        assertEquals(List.of(TORCH_KEYS), List.copyOf(m.stateDict().keySet()), "same names as PyTorch");
        Checkpoint.loadModule(resource("torch_mlp.safetensors"), m, true);
        assertEquals(3, m.stateDict().get("1.num_batches_tracked").item());

        m.eval();
        assertClose(TORCH_EVAL_Y, m.forward(input()).data().toDoubleArray(), 2e-6, "eval output");
        m.train();
        assertClose(TORCH_TRAIN_Y, m.forward(input()).data().toDoubleArray(), 2e-6, "train output");
        assertClose(TORCH_RUNNING_MEAN_AFTER, m.stateDict().get("1.running_mean").toDoubleArray(), 2e-6, "running_mean");
        assertClose(TORCH_RUNNING_VAR_AFTER, m.stateDict().get("1.running_var").toDoubleArray(), 2e-6, "running_var");
        assertEquals(4, m.stateDict().get("1.num_batches_tracked").item());
    }

    @Test
    void aGan4jStateDictIsTheFilePyTorchLoaded() throws IOException {
        Path written = dir.resolve("gan4j_mlp.safetensors");
        Checkpoint.saveModule(written, gan4jModel(), Map.of());
        String out = System.getProperty("gan4j.writeFixtures");
        if (out != null) Files.copy(written, Path.of(out).resolve("gan4j_mlp.safetensors"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertArrayEquals(Files.readAllBytes(resource("gan4j_mlp.safetensors")), Files.readAllBytes(written),
                "gan4j no longer writes the file PyTorch was shown to load (see the class comment)");
    }

    @Test
    void aGan4jModelComputesWhatPyTorchComputedFromItsFile() {
        Module m = gan4jModel();
        m.eval();
        assertClose(GAN4J_EVAL_Y_BY_TORCH, m.forward(input()).data().toDoubleArray(), 2e-6, "eval output");
    }

    @Test
    void numBatchesTrackedIsWrittenAsInt64LikePyTorchs() throws IOException {
        SafeTensorsFile torch = SafeTensors.read(resource("torch_mlp.safetensors"));
        SafeTensorsFile ours = SafeTensors.read(resource("gan4j_mlp.safetensors"));
        assertEquals(StDType.I64, torch.tensors().get("1.num_batches_tracked").dtype());
        torch.tensors().forEach((k, t) -> {
            assertEquals(t.dtype(), ours.tensors().get(k).dtype(), k);
            assertArrayEquals(t.shape(), ours.tensors().get(k).shape(), k);
        });
        assertEquals(torch.tensors().keySet(), ours.tensors().keySet());
        assertTrue(ours.tensors().get("1.num_batches_tracked").asLongs()[0] == 7);
    }
}
