package dev.gan4j.gan.data.fetch;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A minimal reader for (uncompressed) tar streams: ustar, old GNU and pax archives. It hands each regular
 * file to a handler as it streams past; links, folders and special files are skipped.
 */
final class TarReader {
    private static final int BLOCK = 512;

    /** Receives one regular file; {@code content} ends at the end of the entry. */
    @FunctionalInterface
    interface EntryHandler {
        void file(String name, long size, InputStream content) throws IOException;
    }

    private TarReader() {
    }

    static void forEachFile(InputStream tar, EntryHandler handler) throws IOException {
        byte[] header = new byte[BLOCK];
        String longName = null;
        while (readBlock(tar, header) && !isZeroBlock(header)) {
            checkChecksum(header);
            long size = number(header, 124, 12);
            char type = (char) header[156];
            EntryStream content = new EntryStream(tar, size);
            switch (type) {
                case 'L' -> longName = cString(content.readAllBytes(), 0, (int) size);   // GNU long name
                case 'x' -> longName = paxPath(content.readAllBytes(), longName);        // pax extended header
                case '0', '\0' -> {
                    handler.file(longName != null ? longName : ustarName(header), size, content);
                    longName = null;
                }
                default -> longName = null;    // folders, links, devices, global pax headers
            }
            content.skipRest();
            tar.skipNBytes((BLOCK - size % BLOCK) % BLOCK);
        }
    }

    /** Reads a full block; false at a clean end of stream (some writers omit the two zero blocks). */
    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new EOFException("tar stream truncated inside a header block");
        }
        return true;
    }

    private static boolean isZeroBlock(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** The header checksum is the byte sum of the header with its own field read as spaces. */
    private static void checkChecksum(byte[] header) throws IOException {
        long stored = number(header, 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : header[i] & 0xFF;
        }
        if (sum != stored) {
            throw new IOException("not a tar archive, or a corrupt one: header checksum " + stored
                    + " does not match " + sum);
        }
    }

    /** Octal ASCII, or GNU base-256 when the top bit of the first byte is set (sizes of 8 GiB and more). */
    private static long number(byte[] header, int offset, int length) throws IOException {
        if ((header[offset] & 0x80) != 0) {
            long value = header[offset] & 0x7F;
            for (int i = 1; i < length; i++) {
                value = (value << 8) | (header[offset + i] & 0xFF);
            }
            return value;
        }
        String text = cString(header, offset, length).trim();
        try {
            return text.isEmpty() ? 0 : Long.parseLong(text, 8);
        } catch (NumberFormatException e) {
            throw new IOException("not a tar archive: header field '" + text + "' is not an octal number", e);
        }
    }

    /** ustar splits long names into a prefix (offset 345) and a name (offset 0). */
    private static String ustarName(byte[] header) {
        String name = cString(header, 0, 100);
        boolean ustar = cString(header, 257, 5).equals("ustar");
        String prefix = ustar ? cString(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** Pax records are "LENGTH key=value\n"; only "path" matters here. */
    private static String paxPath(byte[] records, String fallback) throws IOException {
        String path = fallback;
        int pos = 0;
        while (pos < records.length) {
            int space = pos;
            while (space < records.length && records[space] != ' ') {
                space++;
            }
            int length = paxLength(new String(records, pos, space - pos, StandardCharsets.US_ASCII));
            if (length <= space - pos + 1 || pos + length > records.length) {
                throw new IOException("corrupt pax header: record length " + length + " at byte " + pos);
            }
            String record = new String(records, space + 1, pos + length - space - 2, StandardCharsets.UTF_8);
            if (record.startsWith("path=")) {
                path = record.substring("path=".length());
            }
            pos += length;
        }
        return path;
    }

    private static int paxLength(String digits) throws IOException {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IOException("corrupt pax header: '" + digits + "' is not a record length", e);
        }
    }

    private static String cString(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }

    /** The bytes of one entry; closing it leaves the archive stream open. */
    private static final class EntryStream extends InputStream {
        private final InputStream archive;
        private long remaining;

        EntryStream(InputStream archive, long size) {
            this.archive = archive;
            this.remaining = size;
        }

        @Override
        public int read() throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int b = archive.read();
            if (b < 0) {
                throw new EOFException("tar stream truncated inside an entry");
            }
            remaining--;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int n = archive.read(buffer, offset, (int) Math.min(length, remaining));
            if (n < 0) {
                throw new EOFException("tar stream truncated inside an entry");
            }
            remaining -= n;
            return n;
        }

        void skipRest() throws IOException {
            archive.skipNBytes(remaining);
            remaining = 0;
        }

        @Override
        public void close() {
            // The archive stream belongs to the caller of forEachFile.
        }
    }
}
