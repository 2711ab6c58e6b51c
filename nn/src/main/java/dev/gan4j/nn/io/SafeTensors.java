package dev.gan4j.nn.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format (https://github.com/huggingface/safetensors): an 8-byte
 * little-endian header length N, N bytes of UTF-8 JSON describing each tensor's dtype, shape and byte
 * range, then the raw little-endian C-order data of all tensors back to back.
 */
public final class SafeTensors {

    /** The reference implementation refuses larger headers; so do we, before allocating for one. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final int LENGTH_PREFIX_BYTES = 8;

    private SafeTensors() {}

    /**
     * Writes {@code tensors} laid out as the Python library lays them out: widest dtype first, then by
     * name, the header padded with spaces to a multiple of 8. The file is byte-identical to the
     * library's for the same dict when the metadata has at most one key: the library writes several
     * keys in hash order, we write them sorted. An empty metadata map is omitted from the header, as
     * the library does for {@code metadata=None}.
     *
     * <p>The file is replaced atomically: on any failure the previous file, if there was one, is left
     * untouched and no temporary file remains.
     *
     * @throws IllegalArgumentException for the reserved name {@code __metadata__}, a dtype other than
     *                                  F32, F64 or I64, or a name or string that is not valid Unicode
     */
    public static void write(Path file, Map<String, StTensor> tensors, Map<String, String> metadata) throws IOException {
        write(file, tensors, metadata, false);
    }

    /**
     * {@link #write} plus a SHA-256 of the content in the metadata ({@code gan4j_sha256}), which
     * {@link #read} verifies. Other readers (the Python library, PyTorch) see one more metadata string.
     */
    public static void writeWithContentHash(Path file, Map<String, StTensor> tensors, Map<String, String> metadata)
            throws IOException {
        write(file, tensors, metadata, true);
    }

    /**
     * Writes the data first and the header last, so that the hash of the data can go into the header:
     * the hash's hex value has a fixed length, so a placeholder of that length fixes where the data starts.
     */
    private static void write(Path file, Map<String, StTensor> tensors, Map<String, String> metadata, boolean hashed)
            throws IOException {
        List<String> order = layoutOrder(tensors);
        Map<String, String> finalMetadata = new LinkedHashMap<>(metadata);
        if (hashed) finalMetadata.put(ContentHash.METADATA_KEY, "0".repeat(ContentHash.HEX_LENGTH));
        int headerLength = HeaderWriter.encode(order, tensors, finalMetadata).length;
        AtomicFile.write(file, channel -> {
            ContentHash hash = hashed ? new ContentHash() : null;
            DataWriter writer = new DataWriter(channel, hash);
            channel.position(LENGTH_PREFIX_BYTES + headerLength);
            for (String name : order) {
                writer.write(tensors.get(name));
            }
            if (hashed) {
                for (String name : order) hash.addTensor(name, tensors.get(name).dtype(), tensors.get(name).shape());
                finalMetadata.put(ContentHash.METADATA_KEY, hash.finish(finalMetadata));
            }
            byte[] header = HeaderWriter.encode(order, tensors, finalMetadata);
            assert header.length == headerLength : "the hash changed the header's length";
            channel.position(0);
            writer.writeFully(lengthPrefix(header.length));
            writer.writeFully(ByteBuffer.wrap(header));
        });
    }

    /**
     * Reads and checks a whole file: header syntax, every entry, that the tensors tile the data
     * region exactly, without overlaps, holes, truncation or trailing bytes, and, when the metadata
     * carries gan4j's content hash, that the content still matches it.
     *
     * @return the tensors in header order, and the metadata
     * @throws SafeTensorsException naming the file, the key at fault and the problem when the file is
     *                              malformed or its content does not match its hash
     */
    public static SafeTensorsFile read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            int headerLength = readHeaderLength(file, channel, fileSize);
            HeaderParser.Header header = HeaderParser.parse(file, readFully(file, channel, LENGTH_PREFIX_BYTES, headerLength));
            long dataStart = LENGTH_PREFIX_BYTES + headerLength;
            List<HeaderEntry> inFileOrder = checkLayout(file, header.entries(), fileSize - dataStart);
            String expectedHash = header.metadata().get(ContentHash.METADATA_KEY);
            ContentHash hash = expectedHash == null ? null : new ContentHash();
            DataReader reader = new DataReader(channel, file, dataStart, hash);
            Map<String, StTensor> byName = new LinkedHashMap<>();
            for (HeaderEntry entry : inFileOrder) {
                byName.put(entry.name(), reader.read(entry));
            }
            if (hash != null) verify(file, hash, inFileOrder, header.metadata(), expectedHash);
            Map<String, StTensor> tensors = new LinkedHashMap<>();
            for (HeaderEntry entry : header.entries()) {
                tensors.put(entry.name(), byName.get(entry.name()));
            }
            return new SafeTensorsFile(tensors, header.metadata());
        }
    }

    private static void verify(Path file, ContentHash hash, List<HeaderEntry> inFileOrder, Map<String, String> metadata,
                               String expected) throws SafeTensorsException {
        for (HeaderEntry entry : inFileOrder) hash.addTensor(entry.name(), entry.dtype(), entry.shape());
        String actual = hash.finish(metadata);
        if (!actual.equals(expected)) {
            throw new SafeTensorsException(file, "content does not match its " + ContentHash.METADATA_KEY
                    + " (the file is corrupted): recorded " + abbreviate(expected) + ", computed " + abbreviate(actual));
        }
    }

    private static String abbreviate(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) + "..." : hash;
    }

    /** The Python library's layout: descending dtype (its alignment order), then names in UTF-8 order. */
    private static List<String> layoutOrder(Map<String, StTensor> tensors) {
        for (Map.Entry<String, StTensor> entry : tensors.entrySet()) {
            if (entry.getKey().equals(HeaderParser.METADATA_KEY)) {
                throw new IllegalArgumentException("the tensor name " + HeaderParser.METADATA_KEY + " is reserved");
            }
            if (!DataWriter.canWrite(entry.getValue().dtype())) {
                throw new IllegalArgumentException(HeaderEntry.describe(entry.getKey()) + ": writing "
                        + entry.getValue().dtype() + " is not supported, only F32, F64 and I64");
            }
        }
        List<String> order = new ArrayList<>(tensors.keySet());
        Comparator<String> byDtypeDescending = Comparator.comparing((String name) -> tensors.get(name).dtype()).reversed();
        order.sort(byDtypeDescending.thenComparing(HeaderWriter.UTF8_ORDER));
        return order;
    }

    private static ByteBuffer lengthPrefix(long headerLength) {
        return ByteBuffer.allocate(LENGTH_PREFIX_BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(0, headerLength);
    }

    private static int readHeaderLength(Path file, FileChannel channel, long fileSize) throws IOException {
        if (fileSize < LENGTH_PREFIX_BYTES) {
            throw new SafeTensorsException(file, "file is " + fileSize + " bytes, shorter than the 8-byte header length");
        }
        long length = ByteBuffer.wrap(readFully(file, channel, 0, LENGTH_PREFIX_BYTES)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        // Compared as unsigned: the prefix is a u64, and a huge value must not pass as negative.
        if (Long.compareUnsigned(length, MAX_HEADER_BYTES) > 0) {
            throw new SafeTensorsException(file, "header length " + Long.toUnsignedString(length)
                    + " is larger than the " + MAX_HEADER_BYTES + "-byte limit");
        }
        if (length > fileSize - LENGTH_PREFIX_BYTES) {
            throw new SafeTensorsException(file, "header length " + length + " is larger than the file ("
                    + fileSize + " bytes) can hold after the 8-byte prefix");
        }
        return (int) length;
    }

    private static byte[] readFully(Path file, FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                // The sizes were checked against the file size, so the file shrank while we read it.
                throw new SafeTensorsException(file, "file ended while reading its header");
            }
        }
        return buffer.array();
    }

    /**
     * Checks that the tensors' byte ranges, in offset order, tile the data region exactly, as the
     * reference implementation demands, and returns the entries in that (file) order.
     */
    private static List<HeaderEntry> checkLayout(Path file, List<HeaderEntry> entries, long dataSize) throws SafeTensorsException {
        List<HeaderEntry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(HeaderEntry::begin).thenComparingLong(HeaderEntry::end));
        long covered = 0;
        HeaderEntry previous = null;
        for (HeaderEntry entry : byOffset) {
            String range = "data_offsets [" + entry.begin() + ", " + entry.end() + "]";
            if (entry.begin() < covered) {
                throw new SafeTensorsException(file, entry.key(), range + " overlap " + previous.key() + ", which ends at " + covered);
            }
            if (entry.begin() > covered) {
                throw new SafeTensorsException(file, entry.key(), range + " leave a hole of " + (entry.begin() - covered)
                        + " bytes before them, after byte " + covered);
            }
            if (entry.end() > dataSize) {
                throw new SafeTensorsException(file, entry.key(), range + " run past the end of the data region: truncated data, the file holds only "
                        + dataSize + " bytes after the header");
            }
            covered = entry.end();
            previous = entry;
        }
        if (covered < dataSize) {
            throw new SafeTensorsException(file, (dataSize - covered) + " unused bytes after the last tensor's data");
        }
        return byOffset;
    }
}
