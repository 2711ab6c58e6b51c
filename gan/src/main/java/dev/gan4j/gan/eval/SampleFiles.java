package dev.gan4j.gan.eval;

import dev.gan4j.gan.data.ColorMode;
import dev.gan4j.gan.data.DataFiles;
import dev.gan4j.gan.data.DataFormatException;
import dev.gan4j.gan.data.Dataset;
import dev.gan4j.gan.data.ImageFolder;
import dev.gan4j.gan.data.Mnist;
import dev.gan4j.gan.report.NpyArray;
import dev.gan4j.gan.report.NpyReader;
import dev.gan4j.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads samples to judge, as {@code [N, C, S, S]} in [-1, 1], for a dataset whose images are C x S x S:
 * <ul>
 *   <li>a {@code .npy} array {@code [N, C, S, S]}, {@code [N, S, S]} (one channel) or {@code [N, C*S*S]},
 *       float32 in [-1, 1] or [0, 1], or uint8 (0-255);</li>
 *   <li>an IDX image file (MNIST's format, magic 2051, gzipped or not);</li>
 *   <li>a folder of PNG/JPEG images (resized and centre-cropped to S).</li>
 * </ul>
 * The value range of a .npy array is read from its values: any below 0 means [-1, 1], else a maximum up
 * to 1 means [0, 1], else up to 255 means 0-255 (uint8 or not). Samples in [-1, 1] without a single
 * pixel below 0 would be mistaken for [0, 1]; samples of digits or photos always have dark pixels.
 */
public final class SampleFiles {

    private SampleFiles() {}

    public static Tensor read(Path path, int channels, int side) throws IOException {
        if (Files.isDirectory(path)) return folder(path, channels, side);
        if (!Files.isRegularFile(path)) throw new NoSuchFileException(path.toString());
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) return npy(path, channels, side);
        return idx(path, channels, side);
    }

    private static Tensor npy(Path file, int channels, int side) throws IOException {
        NpyArray a = NpyReader.read(file);
        int[] s = a.shape();
        boolean fits = s.length == 4 && s[1] == channels && s[2] == side && s[3] == side
                || s.length == 3 && channels == 1 && s[1] == side && s[2] == side
                || s.length == 2 && s[1] == channels * side * side;
        if (!fits || s[0] == 0) {
            String flat = "[N, " + channels * side * side + "]";
            throw new DataFormatException(file, "shape " + Arrays.toString(s) + " is not [N, " + channels + ", " + side
                    + ", " + side + "]" + (channels == 1 ? ", [N, " + side + ", " + side + "]" : "") + " or " + flat);
        }
        return Tensor.fromArray(toUnitRange(file, a.data(), false), s[0], channels, side, side);
    }

    private static Tensor idx(Path file, int channels, int side) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(DataFiles.readAll(file));
        if (bytes.remaining() < 16 || bytes.getInt(0) != Mnist.IMAGE_MAGIC) {
            throw new DataFormatException(file, "is neither a .npy file, nor an IDX image file (magic "
                    + Mnist.IMAGE_MAGIC + "), nor a folder of images");
        }
        int count = bytes.getInt(4);
        int rows = bytes.getInt(8);
        int cols = bytes.getInt(12);
        if (channels != 1 || rows != side || cols != side) {
            throw new DataFormatException(file, "holds " + rows + "x" + cols + " grey images; expected " + channels
                    + "x" + side + "x" + side);
        }
        if (count <= 0 || bytes.capacity() != 16L + (long) count * rows * cols) {
            throw new DataFormatException(file, "IDX header says " + count + " images of " + rows + "x" + cols
                    + ", the file has " + (bytes.capacity() - 16) + " pixel bytes");
        }
        float[] pixels = new float[count * rows * cols];
        for (int i = 0; i < pixels.length; i++) pixels[i] = Byte.toUnsignedInt(bytes.get(16 + i));
        return Tensor.fromArray(toUnitRange(file, pixels, true), count, 1, side, side);
    }

    private static Tensor folder(Path dir, int channels, int side) throws IOException {
        Dataset images = ImageFolder.load(dir, side, channels == 1 ? ColorMode.GRAYSCALE : ColorMode.RGB);
        return Images.of(images, images.size());
    }

    /** Maps [-1, 1], [0, 1] or 0-255 values to [-1, 1] (bytes: always 0-255), refusing anything else. */
    static float[] toUnitRange(Path file, float[] values, boolean bytes) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            if (Float.isNaN(v)) throw new DataFormatException(file, "holds NaN values");
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        boolean unitRange = !bytes && min >= 0 && max <= 1;
        if (!bytes && min >= -1 && min < 0 && max <= 1) return values;
        if (!unitRange && !(min >= 0 && max <= 255)) {
            throw new DataFormatException(file, String.format(Locale.ROOT, "values run from %g to %g; expected"
                    + " [-1, 1], [0, 1] or uint8 0-255", min, max));
        }
        float[] out = new float[values.length];
        // 0-255 as the data loaders map bytes (Pixels.fromByte), so a dataset saved as uint8 reads back exactly.
        for (int i = 0; i < values.length; i++) out[i] = unitRange ? values[i] * 2f - 1f : values[i] / 127.5f - 1f;
        return out;
    }
}
