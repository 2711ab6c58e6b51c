package dev.gan4j.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a file can break the format fails with a message naming the file, the key and the problem. */
class MalformedFileTest {

    private static final String F32_W = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    @TempDir
    Path dir;

    @Test
    void fileShorterThanTheLengthPrefix() throws IOException {
        assertFails(new byte[5], "5 bytes, shorter than the 8-byte header length");
    }

    @Test
    void headerLengthAboveTheLimit() throws IOException {
        byte[] file = Fixtures.concat(Fixtures.lengthPrefix(100_000_001L), new byte[16]);

        assertFails(file, "header length 100000001 is larger than the 100000000-byte limit");
    }

    @Test
    void headerLengthReadAsUnsigned() throws IOException {
        byte[] file = Fixtures.concat(Fixtures.lengthPrefix(-1L), new byte[16]);

        assertFails(file, "header length 18446744073709551615 is larger than the 100000000-byte limit");
    }

    @Test
    void headerLengthLargerThanTheFile() throws IOException {
        byte[] file = Fixtures.concat(Fixtures.lengthPrefix(1000), "{}".getBytes(StandardCharsets.US_ASCII));

        assertFails(file, "header length 1000 is larger than the file (10 bytes)");
    }

    @Test
    void headerNotUtf8() throws IOException {
        byte[] header = {'{', '"', (byte) 0xFF, '"', ':', '1', '}'};

        assertFails(Fixtures.concat(Fixtures.lengthPrefix(header.length), header), "header is not valid UTF-8");
    }

    @Test
    void headerNotJson() throws IOException {
        assertFails(Fixtures.file("{\"w\":{\"dtype\":", new byte[0]), "header is not a valid JSON object");
    }

    @Test
    void headerUsingLenientJsonSyntax() throws IOException {
        assertFails(Fixtures.file("{'w':{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]),
                "header is not a valid JSON object: malformed JSON at line 1 column 3");
    }

    @Test
    void headerNotAnObject() throws IOException {
        assertFails(Fixtures.file("[1, 2]", new byte[0]), "header is not a valid JSON object");
    }

    @Test
    void headerWithContentAfterTheObject() throws IOException {
        assertFails(Fixtures.file("{} {}", new byte[0]), "header is not a valid JSON object: malformed JSON at line 1 column 5");
    }

    @Test
    void tensorListedTwice() throws IOException {
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";

        assertFails(Fixtures.file(header, new byte[8]), "header lists the key 'w' twice");
    }

    @Test
    void entryNotAnObject() throws IOException {
        assertFails(Fixtures.file("{\"w\":[1]}", new byte[0]), "tensor 'w': entry must be an object");
    }

    @Test
    void missingDtype() throws IOException {
        assertFails(Fixtures.file("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]), "tensor 'w': missing dtype");
    }

    @Test
    void unknownDtype() throws IOException {
        assertFails(Fixtures.file(F32_W.replace("F32", "F8_E4M3"), new byte[8]), "tensor 'w': unknown dtype 'F8_E4M3'");
    }

    @Test
    void missingShape() throws IOException {
        assertFails(Fixtures.file("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", new byte[8]), "tensor 'w': missing shape");
    }

    @Test
    void negativeDimension() throws IOException {
        assertFails(Fixtures.file(F32_W.replace("[2]", "[-2]"), new byte[8]), "tensor 'w': negative dimension -2");
    }

    @Test
    void fractionalDimension() throws IOException {
        assertFails(Fixtures.file(F32_W.replace("[2]", "[2.5]"), new byte[8]), "tensor 'w': shape must hold integers");
    }

    @Test
    void dimensionBeyondAJavaArray() throws IOException {
        assertFails(Fixtures.file(F32_W.replace("[2]", "[4294967296]"), new byte[8]),
                "tensor 'w': dimension 4294967296 in shape [4294967296] is larger than a Java array allows");
    }

    @Test
    void moreElementsThanAJavaArrayHolds() throws IOException {
        assertFails(Fixtures.file(F32_W.replace("[2]", "[2147483647,2147483647]"), new byte[8]),
                "tensor 'w': shape [2147483647, 2147483647] has more elements than a Java array holds");
    }

    @Test
    void offsetsNotAPair() throws IOException {
        assertFails(Fixtures.file(F32_W.replace("[0,8]", "[0,4,8]"), new byte[8]), "tensor 'w': data_offsets must be [begin, end]");
    }

    @Test
    void offsetsEndingBeforeTheyBegin() throws IOException {
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}";

        assertFails(Fixtures.file(header, new byte[8]), "tensor 'w': data_offsets [8, 0] do not form a byte range");
    }

    @Test
    void offsetsNotMatchingTheShape() throws IOException {
        assertFails(Fixtures.file(F32_W.replace("[2]", "[3]"), new byte[8]),
                "tensor 'w': data_offsets [0, 8] span 8 bytes but F32 with shape [3] needs 12");
    }

    @Test
    void overlappingTensors() throws IOException {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";

        assertFails(Fixtures.file(header, new byte[8]), "tensor 'b': data_offsets [4, 8] overlap tensor 'a', which ends at 8");
    }

    @Test
    void holeBetweenTensors() throws IOException {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";

        assertFails(Fixtures.file(header, new byte[12]), "tensor 'b': data_offsets [8, 12] leave a hole of 4 bytes");
    }

    @Test
    void offsetsBeyondTheDataRegion() throws IOException {
        String header = "{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}";

        assertFails(Fixtures.file(header, new byte[0]),
                "tensor 'w': data_offsets [0, 8] run past the end of the data region: truncated data, the file holds only 0 bytes");
    }

    @Test
    void truncatedFile() throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.path("reference.safetensors"));

        // The last tensor in the data region is the one named by the emoji, at bytes [136, 140).
        assertFails(Arrays.copyOf(whole, whole.length - 3), "tensor '\uD83D\uDE00': data_offsets [136, 140] run past the end"
                + " of the data region: truncated data, the file holds only 137 bytes after the header");
    }

    @Test
    void bytesAfterTheLastTensor() throws IOException {
        assertFails(Fixtures.file(F32_W, new byte[11]), "3 unused bytes after the last tensor's data");
    }

    @Test
    void metadataNotAnObject() throws IOException {
        assertFails(Fixtures.file("{\"__metadata__\":[\"a\"]}", new byte[0]), "__metadata__: must be an object of strings");
    }

    @Test
    void metadataValueNotAString() throws IOException {
        assertFails(Fixtures.file("{\"__metadata__\":{\"epoch\":3}}", new byte[0]), "metadata key 'epoch': value must be a string, got 3");
    }

    @Test
    void missingFileIsAnIoErrorNotAFormatError() {
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(dir.resolve("absent.safetensors")));

        assertFalse(e instanceof SafeTensorsException, e.toString());
    }

    /** Reads {@code content} from a file and expects a format error whose message contains {@code problem}. */
    private void assertFails(byte[] content, String problem) throws IOException {
        Path file = dir.resolve("bad.safetensors");
        Files.write(file, content);

        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.read(file));

        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), () -> "expected '" + problem + "' in: " + e.getMessage());
        assertEquals(file, e.file());
    }
}
