package dev.gan4j.nn.io;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/**
 * The SHA-256 that gan4j keeps in a checkpoint's {@code __metadata__} under {@link #METADATA_KEY}, so that
 * a corrupted file is refused instead of loading garbage. It covers the data region byte for byte, then
 * every tensor's name, dtype and shape in file order, then every other metadata entry in key order — all
 * of the file but its own value and the header's JSON spelling. Other tools ignore the key; files without
 * it (written by PyTorch, say) still load, unverified.
 */
final class ContentHash {

    static final String METADATA_KEY = "gan4j_sha256";

    /** Hex digits of a SHA-256: the value's length, fixed, so a header can be laid out before the hash is known. */
    static final int HEX_LENGTH = 64;

    private final MessageDigest digest;

    ContentHash() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    /** Adds the next bytes of the data region (all of {@code bytes}' remaining bytes; its position is kept). */
    void addData(ByteBuffer bytes) {
        digest.update(bytes.duplicate());
    }

    /** Adds one tensor's description; call in file (data offset) order, after all the data. */
    void addTensor(String name, StDType dtype, int[] shape) {
        addText("tensor\0" + name + "\0" + dtype.name() + "\0" + Arrays.toString(shape) + "\n");
    }

    /** Adds the metadata (its own key skipped) in key order and returns the hex digest. */
    String finish(Map<String, String> metadata) {
        metadata.keySet().stream().filter(key -> !key.equals(METADATA_KEY)).sorted(HeaderWriter.UTF8_ORDER)
                .forEach(key -> addText("metadata\0" + key + "\0" + metadata.get(key) + "\n"));
        return HexFormat.of().formatHex(digest.digest());
    }

    private void addText(String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
    }
}
