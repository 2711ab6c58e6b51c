package dev.gan4j.gan.report;

import dev.gan4j.gan.data.DataFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads .npy files holding little-endian float32 or uint8 arrays in C order (versions 1.0 to 3.0 of the
 * format; uint8 values come back as floats 0-255); anything else is rejected with a message naming the
 * file and the field.
 */
public final class NpyReader {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN_ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyReader() {
    }

    public static NpyArray read(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        String header = header(file, bytes);
        String descr = field(file, header, DESCR, "descr");
        boolean uint8 = descr.equals("|u1");
        if (!descr.equals("<f4") && !uint8) {
            throw new DataFormatException(file, "dtype '" + descr + "' is not supported, only little-endian float32"
                    + " ('<f4') and uint8 ('|u1')");
        }
        if (field(file, header, FORTRAN_ORDER, "fortran_order").equals("True")) {
            throw new DataFormatException(file, "Fortran-order arrays are not supported, save in C order");
        }
        int[] shape = shape(file, field(file, header, SHAPE, "shape"));

        long elements = Arrays.stream(shape).asLongStream().reduce(1, Math::multiplyExact);
        int itemBytes = uint8 ? 1 : 4;
        if (bytes.remaining() != itemBytes * elements) {
            throw new DataFormatException(file, "holds " + bytes.remaining() + " data bytes, shape "
                    + Arrays.toString(shape) + " of " + (uint8 ? "uint8" : "float32") + " needs " + itemBytes * elements);
        }
        float[] data = new float[(int) elements];
        if (uint8) {
            for (int i = 0; i < data.length; i++) data[i] = Byte.toUnsignedInt(bytes.get());
        } else {
            bytes.asFloatBuffer().get(data);
        }
        return new NpyArray(shape, data);
    }

    /** Checks magic and version and returns the header dict; leaves {@code bytes} at the first data byte. */
    private static String header(Path file, ByteBuffer bytes) {
        byte[] magic = new byte[NpyWriter.MAGIC.length];
        if (bytes.remaining() < NpyWriter.PREAMBLE_BYTES) {
            throw new DataFormatException(file, "only " + bytes.remaining() + " bytes, too short for a .npy file");
        }
        bytes.get(magic);
        if (!Arrays.equals(magic, NpyWriter.MAGIC)) {
            throw new DataFormatException(file, "does not start with the .npy magic \\x93NUMPY");
        }
        int major = bytes.get();
        bytes.get();    // minor version: no differences that matter here
        long length = switch (major) {
            case 1 -> Short.toUnsignedInt(bytes.getShort());
            case 2, 3 -> Integer.toUnsignedLong(bytes.getInt());
            default -> throw new DataFormatException(file, ".npy format version " + major + " is not supported");
        };
        if (length > bytes.remaining()) {
            throw new DataFormatException(file, "truncated: header of " + length + " bytes, only "
                    + bytes.remaining() + " left");
        }
        byte[] text = new byte[(int) length];
        bytes.get(text);
        return new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    private static String field(Path file, String header, Pattern pattern, String name) {
        Matcher matcher = pattern.matcher(header);
        if (!matcher.find()) {
            throw new DataFormatException(file, "header has no valid '" + name + "' entry: " + header.strip());
        }
        return matcher.group(1);
    }

    /** "2, 3" or "5," or "" (a scalar) into dimensions. */
    private static int[] shape(Path file, String tuple) {
        String[] items = Arrays.stream(tuple.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .toArray(String[]::new);
        int[] shape = new int[items.length];
        for (int i = 0; i < items.length; i++) {
            try {
                shape[i] = Integer.parseInt(items[i]);
            } catch (NumberFormatException e) {
                shape[i] = -1;
            }
            if (shape[i] < 0) {
                throw new DataFormatException(file, "shape (" + tuple + ") is not a tuple of non-negative integers");
            }
        }
        return shape;
    }
}
