package dev.gan4j.tensor.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The data caches one core sees: L1d and L2 per core, and its share of the L3. Read from Linux's
 * {@code /sys/devices/system/cpu/cpu0/cache}; where that is missing (some virtual machines and
 * containers) from {@code getconf -a}, which glibc answers from the CPUID instruction; where both fail,
 * typical values of current x86 cores stand in, and {@link #measured} says so.
 */
record CacheSizes(long l1d, long l2, long l3Share, boolean measured) {

    static final CacheSizes TYPICAL = new CacheSizes(32 << 10, 1 << 20, 2 << 20, false);

    private static final Path SYSFS = Path.of("/sys/devices/system/cpu/cpu0/cache");

    static CacheSizes detect() {
        try {
            return read(SYSFS);
        } catch (IOException | RuntimeException noSysfs) {
            try {
                return fromGetconf(getconfOutput(), Runtime.getRuntime().availableProcessors());
            } catch (IOException | RuntimeException noGetconf) {
                return TYPICAL;
            }
        }
    }

    private static String getconfOutput() throws IOException {
        Process getconf = new ProcessBuilder("getconf", "-a").redirectErrorStream(true).start();
        try {
            String output = new String(getconf.getInputStream().readAllBytes());
            if (getconf.waitFor() != 0) throw new IOException("getconf -a failed");
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading getconf -a", e);
        } finally {
            getconf.destroy();
        }
    }

    /**
     * Parses {@code getconf -a}'s {@code LEVEL1_DCACHE_SIZE}, {@code LEVEL2_CACHE_SIZE} and
     * {@code LEVEL3_CACHE_SIZE} lines (bytes). getconf does not say how many cores share the L3, so each
     * of the {@code cpus} this process may use is given an equal share of it.
     */
    static CacheSizes fromGetconf(String output, int cpus) throws IOException {
        long l1d = 0, l2 = 0, l3 = 0;
        for (String line : output.split("\n")) {
            String[] field = line.trim().split("\\s+");
            if (field.length != 2 || !field[1].matches("\\d+")) continue;
            switch (field[0]) {
                case "LEVEL1_DCACHE_SIZE" -> l1d = Long.parseLong(field[1]);
                case "LEVEL2_CACHE_SIZE" -> l2 = Long.parseLong(field[1]);
                case "LEVEL3_CACHE_SIZE" -> l3 = Long.parseLong(field[1]);
                default -> { }
            }
        }
        if (l1d == 0 || l2 == 0) throw new IOException("getconf -a gives no L1d or L2 size");
        return new CacheSizes(l1d, l2, l3 / Math.max(1, cpus), true);
    }

    /** Reads the {@code index*} folders of a sysfs cache directory; fails when L1d or L2 is absent. */
    static CacheSizes read(Path cacheDir) throws IOException {
        long l1d = 0, l2 = 0, l3Share = 0;
        try (var indexes = Files.newDirectoryStream(cacheDir, "index*")) {
            for (Path index : indexes) {
                String type = text(index, "type");
                if (type.equals("Instruction")) continue;
                long size = bytes(text(index, "size"));
                switch (Integer.parseInt(text(index, "level"))) {
                    case 1 -> l1d = size;
                    case 2 -> l2 = size;
                    case 3 -> l3Share = size / sharers(text(index, "shared_cpu_list"));
                    default -> { }
                }
            }
        }
        if (l1d == 0 || l2 == 0) throw new IOException("no L1d or L2 entry in " + cacheDir);
        return new CacheSizes(l1d, l2, l3Share, true);
    }

    private static String text(Path index, String name) throws IOException {
        return Files.readString(index.resolve(name)).trim();
    }

    /** {@code 48K}, {@code 2048K}, {@code 32M} or plain bytes. */
    static long bytes(String size) {
        char unit = Character.toUpperCase(size.charAt(size.length() - 1));
        long scale = unit == 'K' ? 1L << 10 : unit == 'M' ? 1L << 20 : unit == 'G' ? 1L << 30 : 1;
        return Long.parseLong(scale == 1 ? size : size.substring(0, size.length() - 1)) * scale;
    }

    /** The number of CPUs in a list such as {@code 0-3,8-11}. */
    static int sharers(String cpuList) {
        int count = 0;
        for (String range : cpuList.split(",")) {
            String[] ends = range.split("-");
            count += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
        }
        return Math.max(1, count);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "L1d %d KiB, L2 %d KiB, L3 %d KiB per core%s", l1d >> 10, l2 >> 10,
                l3Share >> 10, measured ? "" : " (assumed: cache sizes unreadable)");
    }
}
