package dev.gan4j.nn.io;

import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Writes the JSON header byte for byte as the reference implementation (serde_json, compact) does.
 * Gson is not used here because it always escapes U+2028 and U+2029, which serde_json leaves as is.
 */
final class HeaderWriter {

    /** Byte-wise UTF-8 order: how the reference implementation (Rust strings) sorts names. */
    static final Comparator<String> UTF8_ORDER =
            Comparator.comparing((String s) -> s.getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned);

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private HeaderWriter() {}

    /**
     * The header for tensors laid out back to back in {@code order}, followed by spaces up to a
     * multiple of 8 bytes so that the data region starts aligned.
     *
     * @param metadata written in UTF-8 key order, omitted when empty
     */
    static byte[] encode(List<String> order, Map<String, StTensor> tensors, Map<String, String> metadata) {
        StringJoiner header = new StringJoiner(",", "{", "}");
        if (!metadata.isEmpty()) {
            header.add(string(HeaderParser.METADATA_KEY) + ":" + metadataObject(metadata));
        }
        long offset = 0;
        for (String name : order) {
            StTensor tensor = tensors.get(name);
            long end = offset + (long) tensor.numel() * tensor.dtype().byteSize();
            header.add(string(name) + ":" + entryObject(tensor, offset, end));
            offset = end;
        }
        return padToMultipleOf8(utf8(header.toString()));
    }

    private static String metadataObject(Map<String, String> metadata) {
        StringJoiner object = new StringJoiner(",", "{", "}");
        metadata.keySet().stream().sorted(UTF8_ORDER)
                .forEach(key -> object.add(string(key) + ":" + string(metadata.get(key))));
        return object.toString();
    }

    private static String entryObject(StTensor tensor, long begin, long end) {
        StringJoiner shape = new StringJoiner(",", "[", "]");
        for (int dim : tensor.shape()) {
            shape.add(Integer.toString(dim));
        }
        return "{\"dtype\":\"" + tensor.dtype().name() + "\",\"shape\":" + shape
                + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    /** A JSON string with serde_json's escapes: short forms where JSON has them, else lowercase \\u00xx. */
    private static String string(String text) {
        StringBuilder json = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append("\\u00").append(HEX_DIGITS[c >> 4]).append(HEX_DIGITS[c & 0xF]);
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }

    /** Strict encoding: a name with an unpaired surrogate would otherwise turn into '?' on disk. */
    private static byte[] utf8(CharSequence json) {
        try {
            var bytes = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(json));
            return Arrays.copyOfRange(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.arrayOffset() + bytes.limit());
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("a tensor name or metadata string is not valid Unicode (unpaired surrogate)", e);
        }
    }

    private static byte[] padToMultipleOf8(byte[] header) {
        int padded = (header.length + 7) & ~7;
        byte[] out = Arrays.copyOf(header, padded);
        Arrays.fill(out, header.length, padded, (byte) ' ');
        return out;
    }
}
