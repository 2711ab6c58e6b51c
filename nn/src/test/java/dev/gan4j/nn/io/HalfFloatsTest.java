package dev.gan4j.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every F16 and BF16 bit pattern, read through a file, against the formats' definitions. */
class HalfFloatsTest {

    private static final int PATTERNS = 1 << 16;

    @TempDir
    Path dir;

    @Test
    void everyF16PatternIsReadAsItsExactValue() throws IOException {
        // Repeated so that the tensor spans several read chunks.
        int repeats = DataReader.CHUNK_BYTES / 2 / PATTERNS + 2;
        float[] values = readAllPatterns("F16", repeats);

        for (int i = 0; i < values.length; i++) {
            int bits = i % PATTERNS;
            float expected = f16ByDefinition(bits);
            if (Float.isNaN(expected)) {
                assertTrue(Float.isNaN(values[i]), () -> "pattern " + Integer.toHexString(bits));
            } else {
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(values[i]), () -> "pattern " + Integer.toHexString(bits));
            }
        }
    }

    @Test
    void everyBf16PatternIsTheUpperHalfOfAFloat() throws IOException {
        float[] values = readAllPatterns("BF16", 1);

        for (int bits = 0; bits < PATTERNS; bits++) {
            assertEquals(bits << 16, Float.floatToRawIntBits(values[bits]));
        }
    }

    @Test
    void f16NanPayloadsAreKept() {
        assertEquals(0xFFC0_2000, Float.floatToRawIntBits(HalfFloats.f16ToFloat((short) 0xFE01)));
    }

    /** (-1)^sign * 2^(exponent - 15) * (1 + mantissa / 1024), or 2^-14 * mantissa / 1024 for subnormals. */
    private static float f16ByDefinition(int bits) {
        int exponent = (bits >> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        double magnitude;
        if (exponent == 0x1F) {
            magnitude = mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (exponent == 0) {
            magnitude = Math.scalb(mantissa / 1024.0, -14);
        } else {
            magnitude = Math.scalb(1 + mantissa / 1024.0, exponent - 15);
        }
        return (float) ((bits & 0x8000) != 0 ? -magnitude : magnitude);
    }

    /** A file with one tensor holding every 16-bit pattern in order, {@code repeats} times. */
    private float[] readAllPatterns(String dtype, int repeats) throws IOException {
        int n = PATTERNS * repeats;
        ByteBuffer data = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            data.putShort((short) i);
        }
        String header = "{\"h\":{\"dtype\":\"" + dtype + "\",\"shape\":[" + n + "],\"data_offsets\":[0," + 2 * n + "]}}";
        Path file = dir.resolve("halfs.safetensors");
        Files.write(file, Fixtures.file(header, data.array()));

        StTensor tensor = SafeTensors.read(file).tensors().get("h");
        assertEquals(dtype, tensor.dtype().name());
        return tensor.asFloats();
    }
}
