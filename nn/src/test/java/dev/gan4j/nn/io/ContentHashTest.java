package dev.gan4j.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gan4j.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints carry a SHA-256 of their content: a corrupted byte is refused, files without a hash still load. */
class ContentHashTest {

    @TempDir
    Path dir;

    private Path saved() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        tensors.put("b", Tensor.fromArray(new double[] {0.5, -0.5}, 2));
        Path file = dir.resolve("c.safetensors");
        Checkpoint.save(file, tensors, Map.of("step", "120"));
        return file;
    }

    private static int dataStart(byte[] file) {
        return 8 + (int) ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void anIntactCheckpointLoadsVerifiedWithItsOwnMetadataOnly() throws IOException {
        Checkpoint c = Checkpoint.load(saved());
        assertTrue(c.contentVerified());
        assertEquals(Map.of("step", "120"), c.metadata());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, c.tensors().get("w").toFloatArray());
    }

    @Test
    void aCorruptedWeightByteIsRefusedNamingTheFile() throws IOException {
        Path file = saved();
        byte[] bytes = Files.readAllBytes(file);
        bytes[dataStart(bytes) + 3] ^= 0x40; // one bit of one weight: still a well-formed file
        Files.write(file, bytes);
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> Checkpoint.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("corrupted"), e.getMessage());
    }

    @Test
    void aTamperedMetadataValueIsRefused() throws IOException {
        Path file = saved();
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        Files.write(file, text.replace("\"step\":\"120\"", "\"step\":\"920\"").getBytes(StandardCharsets.ISO_8859_1));
        assertThrows(SafeTensorsException.class, () -> Checkpoint.load(file));
    }

    @Test
    void aFileWithoutAHashLoadsUnverified() throws IOException {
        Path file = dir.resolve("plain.safetensors"); // as PyTorch or the Python library writes it
        SafeTensors.write(file, Map.of("w", StTensor.ofF32(new int[] {2}, new float[] {1, 2})), Map.of());
        Checkpoint c = Checkpoint.load(file);
        assertFalse(c.contentVerified());
        assertArrayEquals(new float[] {1, 2}, c.tensors().get("w").toFloatArray());
        assertFalse(Checkpoint.load(CheckpointInteropTest.resource("torch_mlp.safetensors")).contentVerified());
    }

    @Test
    void theHashIsAnOrdinaryMetadataStringOfTheFormat() throws IOException {
        SafeTensorsFile raw = SafeTensors.read(saved());
        assertTrue(raw.metadata().get(ContentHash.METADATA_KEY).matches("[0-9a-f]{64}"), raw.metadata().toString());
    }
}
