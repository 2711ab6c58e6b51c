package dev.gan4j.nn.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Writes tensor data through one reusable chunk filled by bulk buffer copies, so a large tensor is
 * never duplicated in memory. Writes the types that need no rounding from their carrier: F32, F64, I64.
 */
final class DataWriter {

    /** Moves {@code count} elements, starting at element {@code first}, into the chunk. */
    @FunctionalInterface
    private interface ChunkEncoder {
        void encode(ByteBuffer chunk, int first, int count);
    }

    private final FileChannel channel;
    private final ContentHash hash;
    private final ByteBuffer chunk = ByteBuffer.allocateDirect(DataReader.CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);

    /** @param hash receives every data byte written, or null */
    DataWriter(FileChannel channel, ContentHash hash) {
        this.channel = channel;
        this.hash = hash;
    }

    static boolean canWrite(StDType dtype) {
        return dtype == StDType.F32 || dtype == StDType.F64 || dtype == StDType.I64;
    }

    void writeFully(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    void write(StTensor tensor) throws IOException {
        switch (tensor.dtype()) {
            case F32 -> {
                float[] values = tensor.asFloats();
                writeChunks(tensor, (chunk, first, count) -> chunk.asFloatBuffer().put(values, first, count));
            }
            case F64 -> {
                double[] values = tensor.asDoubles();
                writeChunks(tensor, (chunk, first, count) -> chunk.asDoubleBuffer().put(values, first, count));
            }
            case I64 -> {
                long[] values = tensor.asLongs();
                writeChunks(tensor, (chunk, first, count) -> chunk.asLongBuffer().put(values, first, count));
            }
            default -> throw new IllegalArgumentException("writing " + tensor.dtype() + " is not supported");
        }
    }

    private void writeChunks(StTensor tensor, ChunkEncoder encoder) throws IOException {
        int size = tensor.dtype().byteSize();
        int perChunk = DataReader.CHUNK_BYTES / size;
        for (int first = 0; first < tensor.numel(); first += perChunk) {
            int count = Math.min(perChunk, tensor.numel() - first);
            chunk.clear().limit(count * size);
            encoder.encode(chunk, first, count); // view buffers leave the chunk's position at 0
            if (hash != null) hash.addData(chunk);
            writeFully(chunk);
        }
    }
}
