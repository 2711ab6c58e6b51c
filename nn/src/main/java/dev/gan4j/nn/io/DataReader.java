package dev.gan4j.nn.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads tensor data from the data region through one reusable chunk, so memory use beyond the result
 * arrays stays at {@link #CHUNK_BYTES} however large the file. Each chunk is converted with bulk
 * buffer copies into the result array, or into a scratch array and then by a plain loop.
 */
final class DataReader {

    /** A multiple of every element size, so that no element straddles two chunks. */
    static final int CHUNK_BYTES = 1 << 20;

    /** Moves {@code count} elements from the chunk into the result, starting at element {@code first}. */
    @FunctionalInterface
    private interface ChunkDecoder {
        void decode(ByteBuffer chunk, int first, int count);
    }

    private final FileChannel channel;
    private final Path file;
    private final long dataStart;
    private final ContentHash hash;
    // Direct, so the channel fills it without an intermediate copy; little-endian as the format mandates.
    private final ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);

    /** @param hash receives every data byte read, or null; read the entries in file order then */
    DataReader(FileChannel channel, Path file, long dataStart, ContentHash hash) {
        this.channel = channel;
        this.file = file;
        this.dataStart = dataStart;
        this.hash = hash;
    }

    StTensor read(HeaderEntry entry) throws IOException {
        int[] shape = entry.shape();
        return switch (entry.dtype()) {
            case F32, F16, BF16 -> StTensor.floats(entry.dtype(), shape, readFloats(entry));
            case F64 -> StTensor.ofF64(shape, readDoubles(entry));
            case BOOL, U8, I8, I16, I32, I64 -> StTensor.longs(entry.dtype(), shape, readLongs(entry));
        };
    }

    private float[] readFloats(HeaderEntry entry) throws IOException {
        float[] out = new float[entry.numel()];
        if (entry.dtype() == StDType.F32) {
            readChunks(entry, (chunk, first, count) -> chunk.asFloatBuffer().get(out, first, count));
            return out;
        }
        short[] bits = new short[scratchLength(entry)];
        boolean brain = entry.dtype() == StDType.BF16;
        readChunks(entry, (chunk, first, count) -> {
            chunk.asShortBuffer().get(bits, 0, count);
            for (int i = 0; i < count; i++) {
                out[first + i] = brain ? HalfFloats.bf16ToFloat(bits[i]) : HalfFloats.f16ToFloat(bits[i]);
            }
        });
        return out;
    }

    private double[] readDoubles(HeaderEntry entry) throws IOException {
        double[] out = new double[entry.numel()];
        readChunks(entry, (chunk, first, count) -> chunk.asDoubleBuffer().get(out, first, count));
        return out;
    }

    private long[] readLongs(HeaderEntry entry) throws IOException {
        long[] out = new long[entry.numel()];
        switch (entry.dtype()) {
            case I64 -> readChunks(entry, (chunk, first, count) -> chunk.asLongBuffer().get(out, first, count));
            case I32 -> {
                int[] values = new int[scratchLength(entry)];
                readChunks(entry, (chunk, first, count) -> {
                    chunk.asIntBuffer().get(values, 0, count);
                    for (int i = 0; i < count; i++) {
                        out[first + i] = values[i];
                    }
                });
            }
            case I16 -> {
                short[] values = new short[scratchLength(entry)];
                readChunks(entry, (chunk, first, count) -> {
                    chunk.asShortBuffer().get(values, 0, count);
                    for (int i = 0; i < count; i++) {
                        out[first + i] = values[i];
                    }
                });
            }
            case I8, U8, BOOL -> readBytesAsLongs(entry, out);
            default -> throw new IllegalArgumentException(entry.dtype() + " is not carried as longs");
        }
        return out;
    }

    private void readBytesAsLongs(HeaderEntry entry, long[] out) throws IOException {
        byte[] values = new byte[scratchLength(entry)];
        StDType dtype = entry.dtype();
        readChunks(entry, (chunk, first, count) -> {
            chunk.get(values, 0, count);
            for (int i = 0; i < count; i++) {
                out[first + i] = switch (dtype) {
                    case U8 -> values[i] & 0xFF;
                    case BOOL -> values[i] != 0 ? 1 : 0;
                    default -> values[i];
                };
            }
        });
    }

    /** Scratch arrays hold one chunk's elements, or the whole tensor when it is smaller. */
    private static int scratchLength(HeaderEntry entry) {
        return Math.min(entry.numel(), CHUNK_BYTES / entry.dtype().byteSize());
    }

    private void readChunks(HeaderEntry entry, ChunkDecoder decoder) throws IOException {
        int size = entry.dtype().byteSize();
        int perChunk = CHUNK_BYTES / size;
        long position = dataStart + entry.begin();
        for (int first = 0; first < entry.numel(); first += perChunk) {
            int count = Math.min(perChunk, entry.numel() - first);
            chunk.clear().limit(count * size);
            fill(position, entry);
            chunk.flip();
            if (hash != null) hash.addData(chunk);
            decoder.decode(chunk, first, count);
            position += (long) count * size;
        }
    }

    private void fill(long position, HeaderEntry entry) throws IOException {
        while (chunk.hasRemaining()) {
            int read = channel.read(chunk, position + chunk.position());
            if (read < 0) {
                // The layout was checked against the file size, so the file shrank while we read it.
                throw new SafeTensorsException(file, entry.key(), "file ended while reading its data");
            }
        }
    }
}
