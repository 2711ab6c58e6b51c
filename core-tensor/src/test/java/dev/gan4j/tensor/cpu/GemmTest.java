package dev.gan4j.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every GEMM entry point against a triple loop in double. Sizes straddle the micro-tile (6 x 48
 * with AVX-512, 4 x 16 for the plain-Java kernel) and the packing slice (512) so that edge
 * tiles, padded panels and several slices all run.
 *
 * <p>Tolerances: float32 results must match to {@code 1e-4 * sqrt(k)} relative to
 * {@code max(1, |expected|)} (inputs lie in [-1, 1], so the terms are at most 1); float64 to
 * {@code 1e-12} likewise.
 */
class GemmTest {

    private static final int[] SIZES = {1, 3, 17, 33, 65};

    /** The shapes of one product, with its layout choices. */
    record Case(int batch, boolean transA, boolean transB, int m, int n, int k,
                int aOffset, int extraLd, int strideAFactor, int strideBFactor, boolean accumulate) {

        int lda() { return (transA ? m : k) + extraLd; }
        int ldb() { return (transB ? k : n) + extraLd; }
        int ldc() { return n + extraLd; }
        int spanA() { return (transA ? k : m) * lda(); }
        int spanB() { return (transB ? n : k) * ldb(); }
        int spanC() { return m * ldc(); }
        /** 0 broadcasts the operand over the batch. */
        int strideA() { return strideAFactor * (spanA() + 5); }
        int strideB() { return strideBFactor * (spanB() + 7); }
        int strideC() { return spanC() + 3; }
    }

    static Stream<Arguments> cases() {
        Random random = new Random(42);
        Stream.Builder<Arguments> cases = Stream.builder();
        for (int m : SIZES) {
            for (int n : SIZES) {
                for (int k : SIZES) {
                    cases.add(Arguments.of(new Case(1, random.nextBoolean(), random.nextBoolean(), m, n, k,
                            random.nextInt(3), random.nextInt(3), 1, 1, random.nextBoolean())));
                }
            }
        }
        // Several packing slices, several parts per thread, tiles cut at every edge.
        cases.add(Arguments.of(new Case(1, false, false, 130, 150, 600, 0, 0, 1, 1, false)));
        cases.add(Arguments.of(new Case(1, true, false, 97, 1100, 300, 2, 1, 1, 1, true)));
        cases.add(Arguments.of(new Case(1, false, true, 301, 99, 1030, 1, 3, 1, 1, false)));
        cases.add(Arguments.of(new Case(1, true, true, 64, 2200, 70, 0, 0, 1, 1, true)));
        cases.add(Arguments.of(new Case(1, false, false, 1, 1000, 513, 0, 0, 1, 1, false)));
        cases.add(Arguments.of(new Case(1, false, false, 1000, 1, 513, 0, 0, 1, 1, false)));
        // Batches, with A or B broadcast.
        cases.add(Arguments.of(new Case(5, false, false, 33, 65, 17, 1, 2, 1, 1, false)));
        cases.add(Arguments.of(new Case(4, true, false, 70, 50, 90, 0, 0, 0, 1, true)));
        cases.add(Arguments.of(new Case(3, false, true, 65, 100, 33, 3, 1, 1, 0, false)));
        cases.add(Arguments.of(new Case(7, false, false, 3, 5, 2, 0, 0, 0, 0, true)));
        // k = 0: C becomes 0, or stays as it is.
        cases.add(Arguments.of(new Case(2, false, false, 17, 33, 0, 0, 1, 1, 1, false)));
        cases.add(Arguments.of(new Case(2, true, true, 17, 33, 0, 0, 1, 1, 1, true)));
        return cases.build();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void publicEntryPointsMatchReference(Case t) {
        checkFloat(t, (a, b, c) -> {
            if (t.batch() == 1) {
                Gemm.sgemm(t.transA(), t.transB(), t.m(), t.n(), t.k(), a, t.aOffset(), t.lda(),
                        b, t.aOffset(), t.ldb(), c, t.aOffset(), t.ldc(), t.accumulate());
            } else {
                Gemm.sgemmBatched(t.batch(), t.transA(), t.transB(), t.m(), t.n(), t.k(),
                        a, t.aOffset(), t.lda(), t.strideA(), b, t.aOffset(), t.ldb(), t.strideB(),
                        c, t.aOffset(), t.ldc(), t.strideC(), t.accumulate());
            }
        });
    }

    @ParameterizedTest
    @MethodSource("cases")
    void scalarKernelMatchesReference(Case t) {
        checkFloat(t, (a, b, c) -> packagePrivate(t, new GemmScalarKernel(), true, a, b, c));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void serialRunMatchesReference(Case t) {
        checkFloat(t, (a, b, c) -> packagePrivate(t, Gemm.KERNEL, false, a, b, c));
    }

    /**
     * The start-up selection's extremes and middle, for both micro-kernels: cache sizes that drive every
     * block size to its lower clamp, to its upper clamp, and typical and odd ones in between.
     */
    static Stream<Arguments> blockingChoices() {
        CacheSizes[] caches = {
            new CacheSizes(1 << 10, 4 << 10, 0, true),                // all at the lower clamps
            new CacheSizes(1 << 20, 256 << 20, 4L << 30, true),       // all at the upper clamps
            new CacheSizes(48 << 10, 1 << 20, 0, true),               // no L3: nc from L2
            new CacheSizes(37 << 10, 700 << 10, 3 << 20, true),       // odd sizes
            CacheSizes.TYPICAL,
            Gemm.CACHES,
        };
        GemmKernel[] kernels = {Gemm.KERNEL, new GemmScalarKernel()};
        Stream.Builder<Arguments> choices = Stream.builder();
        for (GemmKernel kernel : kernels) {
            for (CacheSizes c : caches) {
                GemmBlocking sizes = GemmBlocking.derive(c, kernel.mr(), kernel.nr());
                for (Case t : new Case[] {
                    new Case(1, false, false, 130, 150, 600, 0, 0, 1, 1, false),
                    new Case(1, true, false, 97, 1100, 300, 2, 1, 1, 1, true),
                    new Case(1, false, true, 301, 99, 1030, 1, 3, 1, 1, false),
                    new Case(3, true, true, 65, 4200, 33, 3, 1, 1, 0, true),
                    new Case(2, false, false, 7, 5, 3, 0, 0, 1, 1, false),
                }) {
                    choices.add(Arguments.of(kernel.getClass().getSimpleName(), sizes, t));
                }
            }
        }
        return choices.build();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("blockingChoices")
    void everyBlockingTheSelectionCanMakeMatchesReference(String kernelName, GemmBlocking sizes, Case t) {
        GemmKernel kernel = kernelName.equals("GemmScalarKernel") ? new GemmScalarKernel() : Gemm.KERNEL;
        checkFloat(t, (a, b, c) -> packagePrivate(t, kernel, sizes, true, a, b, c));
    }

    @Test
    void blockSizesFollowTheCachesWithinTheirClampsAndTiles() {
        // 48 KiB L1d, 1 MiB L2, 8 MiB L3, AVX-512 6 x 48: a 192 KiB B panel, a 240 KiB A block, a 4 MiB B block.
        GemmBlocking tuned = GemmBlocking.derive(new CacheSizes(48 << 10, 1 << 20, 8 << 20, true), 6, 48);
        assertEquals(new GemmBlocking(1024, 60, 1008), tuned);
        GemmBlocking small = GemmBlocking.derive(new CacheSizes(1 << 10, 4 << 10, 0, true), 6, 48);
        assertEquals(new GemmBlocking(GemmBlocking.MIN_KC, 6, 48), small);
        GemmBlocking large = GemmBlocking.derive(new CacheSizes(1 << 20, 256 << 20, 4L << 30, true), 4, 16);
        assertEquals(new GemmBlocking(GemmBlocking.MAX_KC, GemmBlocking.MAX_MC, GemmBlocking.MAX_NC), large);
        GemmBlocking odd = GemmBlocking.derive(new CacheSizes(37 << 10, 700 << 10, 3 << 20, true), 6, 48);
        assertEquals(0, odd.kc() % 8);
        assertEquals(0, odd.mc() % 6);
        assertEquals(0, odd.nc() % 48);
        assertTrue(Gemm.kernelName().contains(Gemm.BLOCKING.toString()), Gemm.kernelName());
    }

    @Test
    void cacheSizesAreReadFromSysfs(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String[][] entries = {{"1", "Data", "48K", "0"}, {"1", "Instruction", "64K", "0"},
            {"2", "Unified", "2048K", "0"}, {"3", "Unified", "480M", "0-1,4-5"}};
        for (int i = 0; i < entries.length; i++) {
            Path index = java.nio.file.Files.createDirectories(dir.resolve("index" + i));
            String[] names = {"level", "type", "size", "shared_cpu_list"};
            for (int f = 0; f < names.length; f++) java.nio.file.Files.writeString(index.resolve(names[f]), entries[i][f] + "\n");
        }
        assertEquals(new CacheSizes(48 << 10, 2 << 20, 120 << 20, true), CacheSizes.read(dir));
        assertThrows(java.io.IOException.class, () -> CacheSizes.read(dir.resolve("index1")));
    }

    @Test
    void cacheSizesAreReadFromGetconfWhereSysfsHasNone() throws Exception {
        // As printed on a 2-vCPU AMD EPYC virtual machine without /sys/devices/system/cpu/cpu0/cache.
        String getconf = """
            LEVEL1_ICACHE_SIZE                 32768
            LEVEL1_ICACHE_ASSOC                
            LEVEL1_DCACHE_SIZE                 49152
            LEVEL1_DCACHE_LINESIZE             64
            LEVEL2_CACHE_SIZE                  1048576
            LEVEL3_CACHE_SIZE                  532676608
            LEVEL4_CACHE_SIZE                  
            """;
        assertEquals(new CacheSizes(48 << 10, 1 << 20, 532676608L / 2, true), CacheSizes.fromGetconf(getconf, 2));
        assertThrows(java.io.IOException.class, () -> CacheSizes.fromGetconf("LEVEL1_DCACHE_SIZE 0\n", 2));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void doubleMatchesReference(Case t) {
        Random random = new Random(t.hashCode());
        double[] a = doubles(random, t.aOffset() + t.strideA() * (t.batch() - 1) + t.spanA());
        double[] b = doubles(random, t.aOffset() + t.strideB() * (t.batch() - 1) + t.spanB());
        double[] c = doubles(random, t.aOffset() + t.strideC() * (t.batch() - 1) + t.spanC());
        double[] expected = reference(t, a, b, c);
        if (t.batch() == 1) {
            Gemm.dgemm(t.transA(), t.transB(), t.m(), t.n(), t.k(), a, t.aOffset(), t.lda(),
                    b, t.aOffset(), t.ldb(), c, t.aOffset(), t.ldc(), t.accumulate());
        } else {
            Gemm.dgemmBatched(t.batch(), t.transA(), t.transB(), t.m(), t.n(), t.k(),
                    a, t.aOffset(), t.lda(), t.strideA(), b, t.aOffset(), t.ldb(), t.strideB(),
                    c, t.aOffset(), t.ldc(), t.strideC(), t.accumulate());
        }
        assertClose(expected, c, 1e-12 * Math.sqrt(Math.max(1, t.k())));
    }

    /**
     * An A packed once ({@link Gemm#pack}) and met by a B: every batch-1 case, with the default and the
     * plain-Java kernel, and the block sizes of every cache choice ({@link #blockingChoices}).
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("blockingChoices")
    void packedAMatchesReference(String kernelName, GemmBlocking sizes, Case t) {
        GemmKernel kernel = kernelName.equals("GemmScalarKernel") ? new GemmScalarKernel() : Gemm.KERNEL;
        Case single = new Case(1, t.transA(), t.transB(), t.m(), t.n(), t.k(), t.aOffset(), t.extraLd(), 1, 1,
                t.accumulate());
        for (boolean parallel : new boolean[] {false, true}) {
            checkFloat(single, (a, b, c) -> {
                Gemm.PackedA packed = Gemm.pack(kernel, sizes, single.transA(), single.m(), single.k(),
                        a, single.aOffset(), single.lda());
                Gemm.sgemm(parallel, packed, single.transB(), single.n(), b, single.aOffset(), single.ldb(),
                        c, single.aOffset(), single.ldc(), single.accumulate());
            });
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void packedAWithTheDefaultBlockingMatchesReference(Case t) {
        if (t.batch() != 1) return;
        checkFloat(t, (a, b, c) -> Gemm.sgemm(true, Gemm.pack(t.transA(), t.m(), t.k(), a, t.aOffset(), t.lda()),
                t.transB(), t.n(), b, t.aOffset(), t.ldb(), c, t.aOffset(), t.ldc(), t.accumulate()));
    }

    @Test
    void aPackedAOverwrittenByALaterPackIsRefused() {
        float[] a = floats(new Random(3), 25), b = floats(new Random(4), 25), c = new float[25];
        Gemm.PackedA first = Gemm.pack(false, 5, 5, a, 0, 5);
        Gemm.PackedA second = Gemm.pack(false, 5, 5, b, 0, 5);
        IllegalStateException stale = assertThrows(IllegalStateException.class,
                () -> Gemm.sgemm(false, first, false, 5, b, 0, 5, c, 0, 5, false));
        assertTrue(stale.getMessage().contains("overwritten"), stale.getMessage());
        Gemm.sgemm(false, second, false, 5, a, 0, 5, c, 0, 5, false);  // the latest one still works
    }

    @Test
    void packedARejectsOperandsOutsideTheirArrays() {
        float[] x = new float[25];
        assertThrows(IllegalArgumentException.class, () -> Gemm.pack(false, 5, 6, x, 0, 6));
        Gemm.PackedA packed = Gemm.pack(false, 5, 5, x, 0, 5);
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, packed, false, 5, x, 1, 5, new float[25], 0, 5, false));
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, packed, false, 5, x, 0, 5, new float[24], 0, 5, false));
    }

    @Test
    void subnormalOperandsCountAsZeroInPackedProducts() {
        // Column 7 of A is subnormal, row 7 of B near the float maximum: their products (about 0.03)
        // would show in C if the subnormals were multiplied; flushed (as with denormals-are-zero) they add 0.
        int m = 130, n = 150, k = 600;
        Random random = new Random(5);
        float[] a = floats(random, m * k);
        float[] b = floats(random, k * n);
        for (int i = 0; i < m; i++) a[i * k + 7] = 1e-40f * (1 + random.nextInt(9));
        for (int j = 0; j < n; j++) b[7 * n + j] = 3e38f;
        float[] c = new float[m * n];
        Gemm.sgemm(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, false);
        for (int i = 0; i < m; i++) a[i * k + 7] = 0;
        for (int j = 0; j < n; j++) b[7 * n + j] = 0;
        Case t = new Case(1, false, false, m, n, k, 0, 0, 1, 1, false);
        assertClose(reference(t, widen(a), widen(b), new double[m * n]), widen(c), 1e-4 * Math.sqrt(k));
    }

    @Test
    void leavesEverythingOutsideCAlone() {
        int m = 20, n = 50, k = 30, ldc = 60, offset = 7;
        float[] a = floats(new Random(1), m * k);
        float[] b = floats(new Random(2), k * n);
        float[] c = new float[offset + m * ldc + 10];
        Arrays.fill(c, 9f);
        Gemm.sgemm(false, false, m, n, k, a, 0, k, b, 0, n, c, offset, ldc, false);
        for (int index = 0; index < c.length; index++) {
            int rel = index - offset;
            boolean inside = rel >= 0 && rel < m * ldc && rel % ldc < n;
            if (!inside) assertEquals(9f, c[index], "index " + index);
        }
    }

    @Test
    void rejectsBadArguments() {
        float[] x = new float[100];
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 5, 5, 5, x, 0, 4, x, 0, 5, new float[25], 0, 5, false));
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 5, 5, 5, x, 80, 5, x, 0, 5, new float[25], 0, 5, false));
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, -1, 5, 5, x, 0, 5, x, 0, 5, new float[25], 0, 5, false));
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemmBatched(2, false, false, 5, 5, 5, x, 0, 5, 0, x, 0, 5, 0,
                        new float[50], 0, 5, 0, false));
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.dgemm(false, true, 5, 5, 5, new double[25], 0, 5, new double[25], 0, 4,
                        new double[25], 0, 5, false));
    }

    @Test
    void vectorKernelIsInUseWhenTheModuleIsPresent() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "tests run with --add-modules jdk.incubator.vector (see the parent POM)");
        assertEquals("GemmVectorKernel", Gemm.KERNEL.getClass().getSimpleName());
    }

    @Test
    void edgeTilesWriteTheWantedColumnsOfTheWholeTile() {
        Random random = new Random(7);
        for (GemmKernel kernel : new GemmKernel[] {Gemm.KERNEL, new GemmScalarKernel()}) {
            int mr = kernel.mr(), nr = kernel.nr();
            for (int kc : new int[] {1, 5, 70}) {
                float[] a = new float[3 + mr * kc], b = new float[2 + nr * kc];
                for (int i = 0; i < a.length; i++) a[i] = random.nextFloat() * 2 - 1;
                for (int i = 0; i < b.length; i++) b[i] = random.nextFloat() * 2 - 1;
                int ldc = nr + 3;
                float[] whole = new float[mr * ldc];
                kernel.multiply(kc, a, 3, b, 2, whole, 0, ldc);
                for (int columns = 1; columns <= nr; columns++) {
                    float[] edge = new float[mr * ldc];
                    kernel.multiplyEdge(columns, kc, a, 3, b, 2, edge, 0, ldc);
                    for (int r = 0; r < mr; r++) {
                        assertArrayEquals(Arrays.copyOfRange(whole, r * ldc, r * ldc + columns),
                                Arrays.copyOfRange(edge, r * ldc, r * ldc + columns),
                                kernel.getClass().getSimpleName() + " kc=" + kc + " columns=" + columns + " row " + r);
                    }
                }
            }
        }
    }

    /** Runs one float32 product on arrays laid out as the case says. */
    @FunctionalInterface
    interface FloatRun {
        void run(float[] a, float[] b, float[] c);
    }

    @Test
    void fallsBackToThePlainKernelWithoutTheVectorModule() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xlog:class+load=info",
                "-cp", System.getProperty("java.class.path"), WithoutVectorModule.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        assertTrue(output.contains("jdk.incubator.vector is absent"), output);
        assertTrue(output.contains("product ok"), output);
        assertTrue(output.contains("masks ok"), output);
        assertTrue(output.contains("batch norm ok"), output);
        assertFalse(output.contains("GemmVectorKernel") || output.contains("VectorMasks")
                        || output.contains("ChannelLoopsVector"),
                "the Vector API classes must stay unloaded");
    }

    /** Runs in a JVM started without {@code --add-modules jdk.incubator.vector}. */
    static final class WithoutVectorModule {
        public static void main(String[] args) {
            int n = 100;
            float[] ones = new float[n * n];
            Arrays.fill(ones, 1f);
            float[] c = new float[n * n];
            Gemm.sgemm(false, false, n, n, n, ones, 0, n, ones, 0, n, c, 0, n, false);
            for (float v : c) {
                if (v != n) throw new AssertionError("expected " + n + ", got " + v);
            }
            System.out.println("product ok");
            // The comparison and where kernels have Vector API versions too; their fallbacks must work.
            dev.gan4j.tensor.Tensor x = dev.gan4j.tensor.Tensor.fromArray(new float[] {-2, 0, 3, Float.NaN}, 4);
            float[] picked = dev.gan4j.tensor.Tensor.where(x.gt(0), x, x.mul(0.5)).toFloatArray();
            if (!Arrays.equals(picked, new float[] {-1, 0, 3, Float.NaN})) {
                throw new AssertionError("where(x > 0, x, x/2) gave " + Arrays.toString(picked));
            }
            System.out.println("masks ok");
            // So do the float32 batch-norm loops.
            dev.gan4j.tensor.Tensor bx = dev.gan4j.tensor.Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6, 7, 9}, 2, 2, 2);
            float[] y = dev.gan4j.tensor.Tensor.batchNormTraining(bx, null, null, null, null, 0.1, 0).output().toFloatArray();
            float[] gx = dev.gan4j.tensor.Tensor.batchNormBackward(bx, bx, null, dev.gan4j.tensor.Tensor.zeros(2),
                    dev.gan4j.tensor.Tensor.ones(2)).input().toFloatArray();
            // channel 0 is {1, 2, 5, 6}: mean 3.5, variance 4.25
            if (Math.abs(y[0] + 2.5 / Math.sqrt(4.25)) > 1e-6 || Float.isNaN(gx[7])) {
                throw new AssertionError("batch norm gave " + Arrays.toString(y) + " / " + Arrays.toString(gx));
            }
            System.out.println("batch norm ok");
        }
    }

    private static void checkFloat(Case t, FloatRun run) {
        Random random = new Random(t.hashCode());
        float[] a = floats(random, t.aOffset() + t.strideA() * (t.batch() - 1) + t.spanA());
        float[] b = floats(random, t.aOffset() + t.strideB() * (t.batch() - 1) + t.spanB());
        float[] c = floats(random, t.aOffset() + t.strideC() * (t.batch() - 1) + t.spanC());
        double[] expected = reference(t, widen(a), widen(b), widen(c));
        run.run(a, b, c);
        assertClose(expected, widen(c), 1e-4 * Math.sqrt(Math.max(1, t.k())));
    }

    private static void packagePrivate(Case t, GemmKernel kernel, boolean parallel,
                                       float[] a, float[] b, float[] c) {
        packagePrivate(t, kernel, Gemm.BLOCKING, parallel, a, b, c);
    }

    private static void packagePrivate(Case t, GemmKernel kernel, GemmBlocking sizes, boolean parallel,
                                       float[] a, float[] b, float[] c) {
        Gemm.sgemmBatched(kernel, sizes, parallel, t.batch(), t.transA(), t.transB(), t.m(), t.n(), t.k(),
                a, t.aOffset(), t.lda(), t.strideA(), b, t.aOffset(), t.ldb(), t.strideB(),
                c, t.aOffset(), t.ldc(), t.strideC(), t.accumulate());
    }

    /** The product in double, applied to a copy of {@code c}: elements outside C keep their value. */
    private static double[] reference(Case t, double[] a, double[] b, double[] c) {
        double[] out = c.clone();
        for (int e = 0; e < t.batch(); e++) {
            int aBase = t.aOffset() + e * t.strideA();
            int bBase = t.aOffset() + e * t.strideB();
            int cBase = t.aOffset() + e * t.strideC();
            for (int i = 0; i < t.m(); i++) {
                for (int j = 0; j < t.n(); j++) {
                    double sum = 0;
                    for (int p = 0; p < t.k(); p++) {
                        double av = t.transA() ? a[aBase + p * t.lda() + i] : a[aBase + i * t.lda() + p];
                        double bv = t.transB() ? b[bBase + j * t.ldb() + p] : b[bBase + p * t.ldb() + j];
                        sum += av * bv;
                    }
                    int index = cBase + i * t.ldc() + j;
                    out[index] = t.accumulate() ? out[index] + sum : sum;
                }
            }
        }
        return out;
    }

    private static void assertClose(double[] expected, double[] actual, double tolerance) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            double allowed = tolerance * Math.max(1, Math.abs(expected[i]));
            if (Math.abs(expected[i] - actual[i]) > allowed) {
                assertArrayEquals(expected, actual, allowed, "first difference at index " + i);
            }
        }
    }

    private static float[] floats(Random random, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = random.nextFloat() * 2 - 1;
        return x;
    }

    private static double[] doubles(Random random, int size) {
        double[] x = new double[size];
        for (int i = 0; i < size; i++) x[i] = random.nextDouble() * 2 - 1;
        return x;
    }

    private static double[] widen(float[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i];
        return y;
    }
}
