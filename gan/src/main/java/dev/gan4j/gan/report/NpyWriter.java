package dev.gan4j.gan.report;

import dev.gan4j.nn.io.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Writes float32 arrays in NumPy's .npy format, version 1.0: magic, version, a little-endian header length,
 * a Python dict literal padded so data starts on a 64-byte boundary, then the little-endian values.
 */
public final class NpyWriter {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    static final int ALIGNMENT = 64;
    /** Magic, two version bytes, two header-length bytes. */
    static final int PREAMBLE_BYTES = MAGIC.length + 4;

    private NpyWriter() {
    }

    /** Writes {@code array} to {@code file}, atomically. */
    public static void write(Path file, NpyArray array) throws IOException {
        byte[] header = header(array.shape());
        ByteBuffer bytes = ByteBuffer.allocate(PREAMBLE_BYTES + header.length + 4 * array.data().length)
                .order(ByteOrder.LITTLE_ENDIAN);
        bytes.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length).put(header);
        bytes.asFloatBuffer().put(array.data());
        AtomicFile.write(file, bytes.array());
    }

    /** Shorthand for {@code write(file, new NpyArray(shape, data))}. */
    public static void write(Path file, float[] data, int... shape) throws IOException {
        write(file, new NpyArray(shape, data));
    }

    /** The dict exactly as NumPy writes it, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }. */
    static byte[] header(int[] shape) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple(shape) + ", }";
        int unpadded = PREAMBLE_BYTES + dict.length() + 1;    // +1 for the closing newline
        String padded = dict + " ".repeat((ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT) + "\n";
        if (padded.length() > 0xFFFF) {
            throw new IllegalArgumentException("shape with " + shape.length + " dimensions is too long for .npy 1.0");
        }
        return padded.getBytes(StandardCharsets.US_ASCII);
    }

    /** Python tuple syntax: (), (5,), (2, 3). */
    private static String tuple(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        return Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", ", "(", ")"));
    }
}
