package dev.gan4j.nn.io;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns the JSON header of a safetensors file into checked entries, keeping the header's key order. */
final class HeaderParser {

    static final String METADATA_KEY = "__metadata__";

    private static final TypeAdapter<JsonElement> JSON_ELEMENT = new Gson().getAdapter(JsonElement.class);

    /** The parsed header: tensor entries in header order and the metadata strings. */
    record Header(List<HeaderEntry> entries, Map<String, String> metadata) {}

    private HeaderParser() {}

    static Header parse(Path file, byte[] utf8) throws SafeTensorsException {
        List<Map.Entry<String, JsonElement>> members = readMembers(file, decodeUtf8(file, utf8));
        List<HeaderEntry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, JsonElement> member : members) {
            String name = member.getKey();
            if (!seen.add(name)) {
                throw new SafeTensorsException(file, "header lists the key '" + name + "' twice");
            }
            if (name.equals(METADATA_KEY)) {
                metadata.putAll(parseMetadata(file, member.getValue()));
            } else {
                entries.add(parseEntry(file, name, member.getValue()));
            }
        }
        return new Header(entries, metadata);
    }

    private static String decodeUtf8(Path file, byte[] utf8) throws SafeTensorsException {
        try {
            // A plain new String(...) would silently replace bad bytes; the format demands valid UTF-8.
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SafeTensorsException(file, "header is not valid UTF-8");
        }
    }

    /**
     * The top-level members in header order. Read member by member rather than into a JsonObject,
     * which would silently keep only the last of two equal keys.
     */
    private static List<Map.Entry<String, JsonElement>> readMembers(Path file, String json) throws SafeTensorsException {
        JsonReader reader = new JsonReader(new StringReader(json));
        reader.setStrictness(Strictness.STRICT);
        List<Map.Entry<String, JsonElement>> members = new ArrayList<>();
        try {
            reader.beginObject();
            while (reader.hasNext()) {
                String name = reader.nextName();
                members.add(new SimpleEntry<>(name, JSON_ELEMENT.read(reader)));
            }
            reader.endObject();
            if (reader.peek() != JsonToken.END_DOCUMENT) { // a strict reader already throws here
                throw new IllegalStateException("content after the header object");
            }
        } catch (IOException | IllegalStateException | JsonParseException e) {
            throw new SafeTensorsException(file, "header is not a valid JSON object: " + jsonProblem(e));
        }
        return members;
    }

    /**
     * Gson's message without its advice to parse leniently, which is wrong here, and without the
     * link to its troubleshooting guide on the following line.
     */
    private static String jsonProblem(Exception e) {
        String firstLine = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        return firstLine.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "malformed JSON");
    }

    private static Map<String, String> parseMetadata(Path file, JsonElement value) throws SafeTensorsException {
        if (value.isJsonNull()) {
            return Map.of(); // serde's spelling of an absent metadata map, which the reference reader accepts
        }
        if (!value.isJsonObject()) {
            throw new SafeTensorsException(file, METADATA_KEY, "must be an object of strings, got " + value);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> member : value.getAsJsonObject().entrySet()) {
            JsonElement text = member.getValue();
            if (!(text.isJsonPrimitive() && text.getAsJsonPrimitive().isString())) {
                throw new SafeTensorsException(file, "metadata key '" + member.getKey() + "'", "value must be a string, got " + text);
            }
            metadata.put(member.getKey(), text.getAsString());
        }
        return metadata;
    }

    private static HeaderEntry parseEntry(Path file, String name, JsonElement value) throws SafeTensorsException {
        EntryChecker check = new EntryChecker(file, HeaderEntry.describe(name));
        JsonObject object = check.object(value);
        StDType dtype = check.dtype(object.get("dtype"));
        int[] shape = check.shape(object.get("shape"));
        long[] offsets = check.offsets(object.get("data_offsets"));
        check.sizeMatches(dtype, shape, offsets);
        return new HeaderEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    /** The checks on one tensor entry, each failing with a message that names the tensor. */
    private record EntryChecker(Path file, String key) {

        JsonObject object(JsonElement value) throws SafeTensorsException {
            if (!value.isJsonObject()) {
                throw fail("entry must be an object with dtype, shape and data_offsets, got " + value);
            }
            return value.getAsJsonObject();
        }

        StDType dtype(JsonElement value) throws SafeTensorsException {
            if (value == null) {
                throw fail("missing dtype");
            }
            if (!(value.isJsonPrimitive() && value.getAsJsonPrimitive().isString())) {
                throw fail("dtype must be a string, got " + value);
            }
            StDType dtype = StDType.fromHeaderName(value.getAsString());
            if (dtype == null) {
                throw fail("unknown dtype '" + value.getAsString() + "'");
            }
            return dtype;
        }

        int[] shape(JsonElement value) throws SafeTensorsException {
            JsonArray array = array(value, "shape");
            int[] shape = new int[array.size()];
            for (int i = 0; i < shape.length; i++) {
                long dim = integer(array.get(i), "shape");
                if (dim < 0) {
                    throw fail("negative dimension " + dim + " in shape " + array);
                }
                if (dim > Integer.MAX_VALUE) {
                    throw fail("dimension " + dim + " in shape " + array + " is larger than a Java array allows");
                }
                shape[i] = (int) dim;
            }
            return shape;
        }

        long[] offsets(JsonElement value) throws SafeTensorsException {
            JsonArray array = array(value, "data_offsets");
            if (array.size() != 2) {
                throw fail("data_offsets must be [begin, end], got " + array);
            }
            long begin = integer(array.get(0), "data_offsets");
            long end = integer(array.get(1), "data_offsets");
            if (begin < 0 || end < begin) {
                throw fail("data_offsets [" + begin + ", " + end + "] do not form a byte range: need 0 <= begin <= end");
            }
            return new long[] {begin, end};
        }

        void sizeMatches(StDType dtype, int[] shape, long[] offsets) throws SafeTensorsException {
            long numel;
            try {
                numel = StTensor.numel(shape);
            } catch (IllegalArgumentException e) {
                throw fail(e.getMessage());
            }
            long expected = numel * dtype.byteSize();
            long actual = offsets[1] - offsets[0];
            if (actual != expected) {
                throw fail("data_offsets [" + offsets[0] + ", " + offsets[1] + "] span " + actual + " bytes but "
                        + dtype + " with shape " + Arrays.toString(shape) + " needs " + expected);
            }
        }

        private JsonArray array(JsonElement value, String field) throws SafeTensorsException {
            if (value == null) {
                throw fail("missing " + field);
            }
            if (!value.isJsonArray()) {
                throw fail(field + " must be an array, got " + value);
            }
            return value.getAsJsonArray();
        }

        /** A JSON integer; fractions, exponents and values beyond a long are rejected. */
        private long integer(JsonElement value, String field) throws SafeTensorsException {
            if (!(value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber())) {
                throw fail(field + " must hold integers, got " + value);
            }
            try {
                return Long.parseLong(value.getAsString());
            } catch (NumberFormatException e) {
                throw fail(field + " must hold integers that fit a long, got " + value);
            }
        }

        private SafeTensorsException fail(String problem) {
            return new SafeTensorsException(file, key, problem);
        }
    }
}
