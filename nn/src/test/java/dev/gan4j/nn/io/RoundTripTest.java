package dev.gan4j.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundTripTest {

    @TempDir
    Path dir;

    @Test
    void f32F64AndI64TensorsComeBackBitExact() throws IOException {
        Map<String, StTensor> tensors = new LinkedHashMap<>();
        tensors.put("w", StTensor.ofF32(new int[] {2, 3}, new float[] {1f, -0f, Float.NaN, Float.MIN_VALUE, Float.MAX_VALUE, -1e-20f}));
        tensors.put("b", StTensor.ofF64(new int[] {3}, new double[] {Math.PI, Double.NEGATIVE_INFINITY, Double.MIN_VALUE}));
        tensors.put("n", StTensor.ofI64(new int[] {2}, new long[] {Long.MIN_VALUE, Long.MAX_VALUE}));

        SafeTensorsFile read = writeAndRead(tensors, Map.of());

        assertEquals(tensors, read.tensors()); // equality compares float and double bit patterns
        assertArrayEquals(new int[] {2, 3}, read.tensors().get("w").shape());
    }

    @Test
    void scalarsHaveTheEmptyShapeAndOneElement() throws IOException {
        SafeTensorsFile read = writeAndRead(Map.of(
                "f", StTensor.ofF32(new int[0], new float[] {2.5f}),
                "d", StTensor.ofF64(new int[0], new double[] {-0.25})), Map.of());

        StTensor f = read.tensors().get("f");
        assertArrayEquals(new int[0], f.shape());
        assertEquals(1, f.numel());
        assertArrayEquals(new float[] {2.5f}, f.asFloats());
        assertArrayEquals(new double[] {-0.25}, read.tensors().get("d").asDoubles());
    }

    @Test
    void emptyTensorsKeepTheirShape() throws IOException {
        SafeTensorsFile read = writeAndRead(Map.of(
                "a", StTensor.ofF32(new int[] {0, 3}, new float[0]),
                "b", StTensor.ofF64(new int[] {4, 0}, new double[0]),
                "c", StTensor.ofF32(new int[] {1}, new float[] {7f}),
                "huge", StTensor.ofF32(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, 0}, new float[0])), Map.of());

        assertArrayEquals(new int[] {0, 3}, read.tensors().get("a").shape());
        assertArrayEquals(new int[] {4, 0}, read.tensors().get("b").shape());
        assertEquals(0, read.tensors().get("b").numel());
        assertArrayEquals(new float[] {7f}, read.tensors().get("c").asFloats());
        assertArrayEquals(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, 0}, read.tensors().get("huge").shape());
    }

    @Test
    void fileWithNoTensorsHoldsOnlyItsMetadata() throws IOException {
        SafeTensorsFile read = writeAndRead(Map.of(), Map.of("k", "v"));

        assertTrue(read.tensors().isEmpty());
        assertEquals(Map.of("k", "v"), read.metadata());
    }

    @Test
    void metadataComesBackWithEveryCharacter() throws IOException {
        Map<String, String> metadata = Map.of(
                "format", "pt",
                "quote\"back\\slash", "line\nbreak\ttab\u0001\u001f\u007f <&> \u00e9\u2028\uD83D\uDE00",
                "empty", "");

        assertEquals(metadata, writeAndRead(Map.of(), metadata).metadata());
    }

    @Test
    void tensorsAreLaidOutWidestDtypeFirstThenByName() throws IOException {
        Map<String, StTensor> tensors = new LinkedHashMap<>();
        tensors.put("z32", StTensor.ofF32(new int[] {1}, new float[] {1}));
        tensors.put("a32", StTensor.ofF32(new int[] {1}, new float[] {2}));
        tensors.put("z64", StTensor.ofF64(new int[] {1}, new double[] {3}));
        tensors.put("i64", StTensor.ofI64(new int[] {1}, new long[] {4}));

        SafeTensorsFile read = writeAndRead(tensors, Map.of());

        // The reader reports header order, which is the writer's layout order.
        assertEquals(List.of("i64", "z64", "a32", "z32"), List.copyOf(read.tensors().keySet()));
    }

    @Test
    void tensorsLargerThanOneChunkAreReadWhole() throws IOException {
        int n = DataReader.CHUNK_BYTES / 4 * 2 + 123; // two full float chunks and a partial one
        float[] floats = new float[n];
        double[] doubles = new double[n];
        for (int i = 0; i < n; i++) {
            floats[i] = i * 0.5f - 7f;
            doubles[i] = Math.sin(i);
        }
        Map<String, StTensor> tensors = Map.of(
                "f", StTensor.ofF32(new int[] {n}, floats),
                "d", StTensor.ofF64(new int[] {1, n}, doubles));

        assertEquals(tensors, writeAndRead(tensors, Map.of()).tensors());
    }

    @Test
    void readTensorsHandTheirArraysOverWithoutCopying() throws IOException {
        StTensor f = writeAndRead(Map.of("f", StTensor.ofF32(new int[] {2}, new float[] {1, 2})), Map.of()).tensors().get("f");

        assertSame(f.asFloats(), f.asFloats());
        assertArrayEquals(new double[] {1, 2}, f.asDoubles());
        assertThrows(IllegalStateException.class, f::asLongs);
    }

    @Test
    void writingReplacesAnExistingFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, Map.of("old", StTensor.ofF32(new int[] {1}, new float[] {1})), Map.of());
        SafeTensors.write(file, Map.of("new", StTensor.ofF32(new int[] {1}, new float[] {2})), Map.of());

        assertEquals(List.of("new"), List.copyOf(SafeTensors.read(file).tensors().keySet()));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void theMetadataKeyIsNotATensorName() {
        Map<String, StTensor> tensors = Map.of("__metadata__", StTensor.ofF32(new int[] {1}, new float[] {1}));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(dir.resolve("x.safetensors"), tensors, Map.of()));
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());
    }

    @Test
    void onlyF32F64AndI64CanBeWritten() throws IOException {
        Path fixture = Fixtures.path("dtypes.safetensors");
        StTensor f16 = SafeTensors.read(fixture).tensors().get("f16");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(dir.resolve("x.safetensors"), Map.of("h", f16), Map.of()));
        assertTrue(e.getMessage().contains("tensor 'h'") && e.getMessage().contains("F16"), e.getMessage());
    }

    @Test
    void unpairedSurrogatesAreRejectedRatherThanWrittenAsQuestionMarks() {
        Map<String, StTensor> tensors = Map.of("bad\uD800", StTensor.ofF32(new int[] {1}, new float[] {1}));

        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(dir.resolve("x.safetensors"), tensors, Map.of()));
    }

    @Test
    void tensorsCheckTheirShapeAgainstTheirData() {
        assertThrows(IllegalArgumentException.class, () -> StTensor.ofF32(new int[] {2, 2}, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> StTensor.ofF64(new int[] {-1}, new double[0]));
        assertThrows(IllegalArgumentException.class, () -> StTensor.ofI64(new int[0], new long[0]));
    }

    private SafeTensorsFile writeAndRead(Map<String, StTensor> tensors, Map<String, String> metadata) throws IOException {
        Path file = dir.resolve("t.safetensors");
        SafeTensors.write(file, tensors, metadata);
        return SafeTensors.read(file);
    }
}
