package dev.gan4j.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.Loss;
import dev.gan4j.nn.Module;
import dev.gan4j.nn.TestTensors;
import dev.gan4j.nn.layers.BatchNorm1d;
import dev.gan4j.nn.layers.Conv2d;
import dev.gan4j.nn.layers.LeakyReLU;
import dev.gan4j.nn.layers.Linear;
import dev.gan4j.nn.layers.Sequential;
import dev.gan4j.nn.optim.Adam;
import dev.gan4j.tensor.ConvParams;
import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Module and training checkpoints: bit-exact round trips, and every bad file refused with the module untouched. */
class CheckpointTest {

    @TempDir
    Path dir;

    /** A small model with batch-norm buffers, its statistics trained by two forwards. */
    static Sequential model(long seed) {
        Generator gen = new Generator(seed);
        Sequential m = new Sequential(new Linear(4, 6, true, gen), new BatchNorm1d(6), new LeakyReLU(0.2),
                new Linear(6, 3, true, gen));
        m.forward(Variable.constant(Tensor.rand(gen, 8, 4)));
        m.forward(Variable.constant(Tensor.rand(gen, 8, 4)));
        return m;
    }

    static Map<String, long[]> bits(Module m) {
        Map<String, long[]> out = new LinkedHashMap<>();
        m.stateDict().forEach((k, t) -> out.put(k, t.dtype() == DType.F32
                ? toLongs(t.toFloatArray()) : Arrays.stream(t.toDoubleArray()).mapToLong(Double::doubleToRawLongBits).toArray()));
        return out;
    }

    private static long[] toLongs(float[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) out[i] = Float.floatToRawIntBits(values[i]);
        return out;
    }

    static void assertSameBits(Module expected, Module actual) {
        Map<String, long[]> a = bits(expected), b = bits(actual);
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, v) -> assertArrayEquals(v, b.get(k), k));
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    // ---- round trips ----

    @Test
    void moduleRoundTripIsBitExact() throws IOException {
        Sequential saved = model(1);
        // Awkward values must survive too: NaN payloads, -0, denormals, infinities.
        saved.stateDict().get("3.bias").assign(Tensor.fromArray(new float[] {Float.intBitsToFloat(0x7fc00123), -0f,
                Float.MIN_VALUE}, 3));
        saved.stateDict().get("0.bias").assign(Tensor.fromArray(new float[] {Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MIN_NORMAL, 1e-40f, 1 / 3f}, 6));
        Path file = dir.resolve("model.safetensors");
        Checkpoint.saveModule(file, saved, Map.of("epoch", "3"));

        Sequential loaded = model(2);
        Checkpoint.loadModule(file, loaded, true);

        assertSameBits(saved, loaded);
        assertEquals(2, loaded.stateDict().get("1.num_batches_tracked").item());
        assertEquals(Map.of("epoch", "3"), Checkpoint.load(file).metadata());
        assertEquals(List.of(file), files(), "no temporary file left");
    }

    @Test
    void float64ModuleRoundTripIsBitExact() throws IOException {
        Sequential saved = model(3);
        saved.to(DType.F64);
        Path file = dir.resolve("f64.safetensors");
        Checkpoint.saveModule(file, saved, Map.of());
        assertEquals(StDType.F64, SafeTensors.read(file).tensors().get("0.weight").dtype());
        Sequential loaded = model(4);
        loaded.to(DType.F64);
        Checkpoint.loadModule(file, loaded, true);
        assertSameBits(saved, loaded);
    }

    @Test
    void overwritingACheckpointLeavesOnlyTheNewFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Checkpoint.saveModule(file, model(5), Map.of());
        Sequential second = model(6);
        Checkpoint.saveModule(file, second, Map.of());
        Sequential loaded = model(7);
        Checkpoint.loadModule(file, loaded, true);
        assertSameBits(second, loaded);
        assertEquals(List.of(file), files());
    }

    @Test
    void aFailedSaveLeavesNothingBehind() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Checkpoint.saveModule(file, model(8), Map.of());
        byte[] before = Files.readAllBytes(file);
        assertThrows(IOException.class, () -> Checkpoint.saveModule(dir.resolve("no/such/dir/m.safetensors"), model(9), Map.of()));
        Map<String, Tensor> reserved = new LinkedHashMap<>(model(9).stateDict());
        reserved.put("__metadata__", Tensor.zeros(1));
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.save(file, reserved, Map.of()));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), files());
    }

    @Test
    void trainingCheckpointResumesIdentically() throws IOException {
        Sequential g = model(10);
        Module d = new Sequential(new Conv2d(1, 2, 3, ConvParams.of(1, 1), true, new Generator(11)));
        Adam opt = new Adam(g.parameters(), 0.01, 0.5, 0.999);
        Generator noise = new Generator(12);
        Variable x = Variable.constant(TestTensors.random(13, 8, 4).to(DType.F32));
        Variable target = Variable.constant(TestTensors.random(14, 8, 3).to(DType.F32));
        for (int i = 0; i < 3; i++) {
            opt.zeroGrad();
            Loss.mse(g.forward(x), target, Loss.Reduction.MEAN).backward();
            opt.step();
        }
        Tensor.rand(noise, 5);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.putAll(Checkpoint.prefixed("generator", g.stateDict()));
        tensors.putAll(Checkpoint.prefixed("discriminator", d.stateDict()));
        tensors.putAll(Checkpoint.prefixed("optimizer_g", opt.stateDict()));
        Path file = dir.resolve("train.safetensors");
        Checkpoint.save(file, tensors, Map.of("step", "3", "epoch", "1", "noise_state", Long.toString(noise.state())));

        Checkpoint c = Checkpoint.load(file);
        Sequential g2 = model(20);
        Module d2 = new Sequential(new Conv2d(1, 2, 3, ConvParams.of(1, 1), true, new Generator(21)));
        Adam opt2 = new Adam(g2.parameters(), 0.01, 0.5, 0.999);
        g2.loadStateDict(c.section("generator"), true);
        d2.loadStateDict(c.section("discriminator"), true);
        opt2.loadStateDict(c.section("optimizer_g"));
        Generator noise2 = new Generator(0);
        noise2.setState(Long.parseLong(c.metadata().get("noise_state")));
        assertEquals("3", c.metadata().get("step"));
        assertSameBits(d, d2);

        for (Sequential m : List.of(g, g2)) {
            Adam o = m == g ? opt : opt2;
            o.zeroGrad();
            Loss.mse(m.forward(x), target, Loss.Reduction.MEAN).backward();
            o.step();
        }
        assertSameBits(g, g2);
        assertArrayEquals(Tensor.rand(noise, 4).toFloatArray(), Tensor.rand(noise2, 4).toFloatArray());
    }

    @Test
    void sectionsAndPrefixes() {
        Map<String, Tensor> state = Map.of("a", Tensor.zeros(1));
        Map<String, Tensor> p = Checkpoint.prefixed("generator", state);
        assertEquals(List.of("generator.a"), List.copyOf(p.keySet()));
        Checkpoint c = new Checkpoint(new LinkedHashMap<>(Map.of("generator.a", Tensor.zeros(1), "generator_b.x",
                Tensor.zeros(1), "gen.c", Tensor.zeros(1))), Map.of(), false);
        assertEquals(List.of("a"), List.copyOf(c.section("generator").keySet()));
    }

    // ---- bad files: a clear error, and the module as it was ----

    /** Loads {@code file} into a fresh model, expecting the failure; the model must be unchanged. */
    private static <E extends Exception> E assertRejected(Class<E> type, Path file, boolean strict, String... parts) {
        Sequential m = model(30);
        Map<String, long[]> before = bits(m);
        Map<String, Tensor> live = m.stateDict();
        E e = assertThrows(type, () -> Checkpoint.loadModule(file, m, strict));
        for (String part : parts) assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' lacks '" + part + "'");
        Map<String, long[]> after = bits(m);
        before.forEach((k, v) -> assertArrayEquals(v, after.get(k), "changed by a failed load: " + k));
        live.forEach((k, t) -> assertSame(t, m.stateDict().get(k), k));
        return e;
    }

    private Path saved(Module m) throws IOException {
        Path file = dir.resolve("m" + System.nanoTime() + ".safetensors");
        Checkpoint.saveModule(file, m, Map.of());
        return file;
    }

    @Test
    void truncatedFilesAreRefused() throws IOException {
        byte[] whole = Files.readAllBytes(saved(model(31)));
        long headerLength = java.nio.ByteBuffer.wrap(whole, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        for (int length : new int[] {0, 5, 8, 8 + (int) headerLength / 2, 8 + (int) headerLength, 8 + (int) headerLength + 10,
                whole.length - 1}) {
            Path cut = dir.resolve("cut" + length + ".safetensors");
            Files.write(cut, Arrays.copyOf(whole, length));
            IOException e = assertRejected(IOException.class, cut, true);
            assertTrue(e.getMessage().contains(cut.toString()), "names the file: " + e.getMessage());
        }
    }

    @Test
    void corruptFilesAreRefused() throws IOException {
        byte[] whole = Files.readAllBytes(saved(model(32)));
        byte[] header = whole.clone();
        header[8] = '['; // the JSON header's opening brace
        Path bad = dir.resolve("header.safetensors");
        Files.write(bad, header);
        assertRejected(SafeTensorsException.class, bad, true, bad.toString());
        byte[] length = whole.clone();
        length[3] = 0x7f; // an absurd header length
        Files.write(bad, length);
        assertRejected(SafeTensorsException.class, bad, true, bad.toString());
        Path notSafetensors = dir.resolve("text.safetensors");
        Files.writeString(notSafetensors, "PK\u0003\u0004 this is a zip file, not a checkpoint");
        assertRejected(SafeTensorsException.class, notSafetensors, true);
        assertRejected(IOException.class, dir.resolve("absent.safetensors"), true, "absent.safetensors");
    }

    @Test
    void missingKeyIsRefusedEvenWhenNotStrict() throws IOException {
        Sequential smaller = new Sequential(new Linear(4, 6, true, new Generator(33)), new BatchNorm1d(6));
        Path file = saved(smaller);
        assertRejected(IllegalArgumentException.class, file, true, "missing", "3.weight", "3.bias");
        assertRejected(IllegalArgumentException.class, file, false, "missing", "3.weight", "3.bias");
    }

    @Test
    void unexpectedKeyIsRefusedOnlyInStrictMode() throws IOException {
        Map<String, Tensor> state = new LinkedHashMap<>(model(34).stateDict());
        state.put("4.weight", Tensor.zeros(2, 2));
        Path file = dir.resolve("extra.safetensors");
        Checkpoint.save(file, state, Map.of());
        assertRejected(IllegalArgumentException.class, file, true, "unexpected", "4.weight");
        Sequential m = model(35);
        Checkpoint.loadModule(file, m, false);
        assertArrayEquals(state.get("3.weight").toFloatArray(), m.stateDict().get("3.weight").toFloatArray());
    }

    @Test
    void shapeMismatchNamesTheKeyAndBothShapes() throws IOException {
        Generator gen = new Generator(36);
        Sequential wider = new Sequential(new Linear(4, 6, true, gen), new BatchNorm1d(6), new LeakyReLU(0.2),
                new Linear(6, 5, true, gen));
        Path file = saved(wider);
        assertRejected(IllegalArgumentException.class, file, true, file.toString(), "3.weight", "[5, 6]", "[3, 6]");
    }

    @Test
    void dtypeMismatchNamesTheKeyAndBothDtypes() throws IOException {
        Sequential f64 = model(37);
        f64.to(DType.F64);
        assertRejected(IllegalArgumentException.class, saved(f64), true, "float64", "float32", "0.weight");
    }
}
