package dev.gan4j.nn.io;

import java.io.ByteArrayOutputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Test files: the committed fixtures, and hand-made files for the malformed cases. */
final class Fixtures {

    private Fixtures() {}

    /** A file under src/test/resources/safetensors, written by make_fixtures.py there. */
    static Path path(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/safetensors/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A file with the given JSON header (its true length as prefix, no padding) followed by {@code data}. */
    static byte[] file(String headerJson, byte[] data) {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        return concat(lengthPrefix(header.length), header, data);
    }

    static byte[] lengthPrefix(long length) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(length).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
