package dev.gan4j.gan.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gan4j.gan.data.DataFormatException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    /** The values make_fixtures.py writes: 0.5 k - 3 for k = 0..23. */
    private static float[] fixtureValues() {
        float[] values = new float[24];
        for (int k = 0; k < 24; k++) {
            values[k] = 0.5f * k - 3;
        }
        return values;
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(NpyTest.class.getResource("/npy/" + name).toURI());
    }

    @Test
    void roundTripKeepsShapeAndValues() throws IOException {
        Path file = dir.resolve("a.npy");
        float[] data = {1.5f, -0f, Float.NaN, Float.MIN_VALUE, 3e38f, -7f};

        NpyWriter.write(file, data, 2, 3);
        NpyArray read = NpyReader.read(file);

        assertArrayEquals(new int[] {2, 3}, read.shape());
        assertArrayEquals(data, read.data());
    }

    @Test
    void headerIsExactlyWhatNumpyWrites() throws IOException, URISyntaxException {
        Path mine = dir.resolve("mine.npy");
        NpyWriter.write(mine, fixtureValues(), 2, 3, 4);
        assertArrayEquals(Files.readAllBytes(resource("numpy_f4_2x3x4.npy")), Files.readAllBytes(mine));
        assertEquals(0, (NpyWriter.header(new int[] {5}).length + NpyWriter.PREAMBLE_BYTES) % 64);
    }

    @Test
    void readsFilesWrittenByNumpy() throws IOException, URISyntaxException {
        NpyArray cube = NpyReader.read(resource("numpy_f4_2x3x4.npy"));
        NpyArray vector = NpyReader.read(resource("numpy_f4_vector.npy"));

        assertArrayEquals(new int[] {2, 3, 4}, cube.shape());
        assertArrayEquals(fixtureValues(), cube.data());
        assertArrayEquals(new int[] {3}, vector.shape());
        assertArrayEquals(new float[] {1.5f, -2.25f, 3.0e-8f}, vector.data());
    }

    @Test
    void scalarsAndEmptyArrays() throws IOException {
        NpyWriter.write(dir.resolve("scalar.npy"), new float[] {4f});
        NpyWriter.write(dir.resolve("empty.npy"), new float[0], 0, 5);

        assertEquals(0, NpyReader.read(dir.resolve("scalar.npy")).shape().length);
        assertArrayEquals(new int[] {0, 5}, NpyReader.read(dir.resolve("empty.npy")).shape());
    }

    @Test
    void otherDtypesAndOrdersAreRejectedByName() throws URISyntaxException {
        assertRejected(resource("numpy_f8.npy"), "dtype '<f8' is not supported");
        assertRejected(resource("numpy_big_endian.npy"), "dtype '>f4' is not supported");
        assertRejected(resource("numpy_f4_fortran.npy"), "Fortran-order arrays are not supported");
    }

    @Test
    void damagedFilesAreRejectedByName() throws IOException, URISyntaxException {
        byte[] good = Files.readAllBytes(resource("numpy_f4_2x3x4.npy"));
        Path truncated = Files.write(dir.resolve("truncated.npy"), Arrays.copyOf(good, good.length - 4));
        Path notNpy = Files.writeString(dir.resolve("text.npy"), "hello, this is not numpy at all");
        Path tiny = Files.write(dir.resolve("tiny.npy"), new byte[] {(byte) 0x93, 'N'});

        assertRejected(truncated, "holds 92 data bytes, shape [2, 3, 4] of float32 needs 96");
        assertRejected(notNpy, "does not start with the .npy magic");
        assertRejected(tiny, "too short for a .npy file");
    }

    private static void assertRejected(Path file, String problem) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> NpyReader.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void numpyReadsWhatWeWrite() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
        Path file = dir.resolve("for_numpy.npy");
        NpyWriter.write(file, fixtureValues(), 4, 6);

        Process process = new ProcessBuilder(python.toString(), "-c",
                "import sys, numpy as np; a = np.load(sys.argv[1]); print(a.dtype, a.shape, a[3, 5], a.sum())",
                file.toString()).redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assumeTrue(process.exitValue() == 0 || !output.contains("No module named"), "numpy not installed");

        assertEquals("float32 (4, 6) 8.5 66.0", output);
    }
}
