package dev.gan4j.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written by the reference Python library (safetensors 0.8.0), see make_fixtures.py. */
class PythonFixtureTest {

    private static final String NOTE =
            "quote\" backslash\\ newline\n tab\t ctl\u0001\u001f del\u007f \u00e9 \u2603 \uD83D\uDE00 \u2028";

    @TempDir
    Path dir;

    @Test
    void readsTheReferenceFileBitExactInHeaderOrder() throws IOException {
        SafeTensorsFile file = SafeTensors.read(Fixtures.path("reference.safetensors"));

        assertEquals(List.of("steps", "bias", "empty", "layer.10.w", "layer.2.w", "scalar", "specials", "weight",
                "\uFB01", "\uD83D\uDE00"), List.copyOf(file.tensors().keySet()));
        assertEquals(Map.of("note", NOTE), file.metadata());
        assertEquals(referenceTensors(), file.tensors()); // bit patterns, NaN and -0 included
    }

    @Test
    void readsEveryDtypeAndConvertsTheHalfFloatsLikeNumpyAndTorch() throws IOException {
        Map<String, StTensor> t = SafeTensors.read(Fixtures.path("dtypes.safetensors")).tensors();

        assertSameBits(t.get("f16_as_f32").asFloats(), t.get("f16").asFloats());
        assertSameBits(t.get("bf16_as_f32").asFloats(), t.get("bf16").asFloats());
        assertEquals(StDType.F16, t.get("f16").dtype());
        assertEquals(StDType.BF16, t.get("bf16").dtype());
        assertArrayEquals(new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1}, t.get("i64").asLongs());
        assertArrayEquals(new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE, -7}, t.get("i32").asLongs());
        assertArrayEquals(new long[] {Short.MIN_VALUE, Short.MAX_VALUE, -3}, t.get("i16").asLongs());
        assertArrayEquals(new long[] {-128, 127, -1}, t.get("i8").asLongs());
        assertArrayEquals(new long[] {0, 255, 128}, t.get("u8").asLongs());
        assertArrayEquals(new long[] {1, 0, 0, 1}, t.get("bool").asLongs());
        assertArrayEquals(new int[] {2, 2}, t.get("bool").shape());
        assertEquals(StDType.BOOL, t.get("bool").dtype());
    }

    @Test
    void writesTheReferenceFileByteForByte() throws IOException {
        Map<String, String> metadata = Map.of("note", NOTE);

        assertSameBytes("reference.safetensors", referenceTensors(), metadata);
    }

    @Test
    void writesAFileWithoutMetadataByteForByte() throws IOException {
        Map<String, StTensor> tensors = Map.of("x", StTensor.ofF32(new int[] {2}, new float[] {1f, -2f}));

        assertSameBytes("plain.safetensors", tensors, Map.of());
    }

    /** The tensors of make_fixtures.py's reference dict, computed as numpy computes them. */
    private static Map<String, StTensor> referenceTensors() {
        float[] weight = new float[12];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) (i * 0.1 - 0.5); // numpy: float64 arithmetic, then astype(float32)
        }
        double[] bias = new double[4];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = i / 3.0 - 1;
        }
        float[] specials = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
                (float) 1e-45, Float.MAX_VALUE, (float) (1 / 3.0)};
        Map<String, StTensor> tensors = new LinkedHashMap<>();
        tensors.put("weight", StTensor.ofF32(new int[] {3, 4}, weight));
        tensors.put("specials", StTensor.ofF32(new int[] {8}, specials));
        tensors.put("bias", StTensor.ofF64(new int[] {4}, bias));
        tensors.put("scalar", StTensor.ofF32(new int[0], new float[] {2.5f}));
        tensors.put("empty", StTensor.ofF32(new int[] {0, 3}, new float[0]));
        tensors.put("steps", StTensor.ofI64(new int[0], new long[] {12345678901234L}));
        tensors.put("\uFB01", StTensor.ofF32(new int[] {1}, new float[] {1f}));
        tensors.put("\uD83D\uDE00", StTensor.ofF32(new int[] {1}, new float[] {2f}));
        tensors.put("layer.10.w", StTensor.ofF32(new int[] {1}, new float[] {3f}));
        tensors.put("layer.2.w", StTensor.ofF32(new int[] {1}, new float[] {4f}));
        return tensors;
    }

    private void assertSameBytes(String fixture, Map<String, StTensor> tensors, Map<String, String> metadata) throws IOException {
        Path written = dir.resolve(fixture);
        SafeTensors.write(written, tensors, metadata);

        assertArrayEquals(Files.readAllBytes(Fixtures.path(fixture)), Files.readAllBytes(written));
    }

    private static void assertSameBits(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "element " + i);
        }
    }
}
