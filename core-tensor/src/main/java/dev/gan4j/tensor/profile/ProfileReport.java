package dev.gan4j.tensor.profile;

import dev.gan4j.tensor.backend.AllocatorStats;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@link Profiler} recorded: per phase and op kind, the calls, the time inside the kernels and their
 * FLOPs; and the wall-clock time of the recorded code, which the kernel time is a share of. The rest of the
 * wall-clock time went to the Java around the kernels (shape checks, the autograd graph, the trainer).
 */
public final class ProfileReport {

    /** One op kind on one device in one phase. */
    public record Row(Phase phase, String device, String op, long calls, long nanos, long flops) {

        /** Billions of floating-point operations per second, or NaN for ops that count none. */
        public double gflopsPerSecond() {
            return flops == 0 || nanos == 0 ? Double.NaN : (double) flops / nanos;
        }
    }

    private static final Comparator<Row> ORDER = Comparator.comparing(Row::phase)
            .thenComparing(Comparator.comparingLong(Row::nanos).reversed()).thenComparing(Row::op)
            .thenComparing(Row::device);

    private final List<Row> rows;
    private final long wallNanos;
    private final int recordings;
    private final String unit;
    private final List<String> backends;
    private final Map<String, AllocatorStats> memory;
    private final Map<String, Long> scopePeakBytes;

    ProfileReport(List<Row> rows, long wallNanos, int recordings, String unit, List<String> backends,
                  Map<String, AllocatorStats> memory, Map<String, Long> scopePeakBytes) {
        this.rows = rows.stream().sorted(ORDER).toList();
        this.wallNanos = wallNanos;
        this.recordings = recordings;
        this.unit = unit;
        this.backends = List.copyOf(backends);
        this.memory = new TreeMap<>(memory);
        this.scopePeakBytes = new TreeMap<>(scopePeakBytes);
    }

    /** Per device: the allocator's cache hits and misses during the recordings, and the bytes it caches now. */
    public Map<String, AllocatorStats> memory() { return memory; }

    /** Per device: the most bytes open memory scopes held at once (a step's working set, see MemoryScope). */
    public Map<String, Long> scopePeakBytes() { return scopePeakBytes; }

    /** Rows by phase, slowest op first. */
    public List<Row> rows() { return rows; }

    /** Wall-clock time of all recordings together. */
    public long wallNanos() { return wallNanos; }

    /** How many recordings (e.g. training steps) were made. */
    public int recordings() { return recordings; }

    /** Names of the backends whose kernels were timed. */
    public List<String> backends() { return backends; }

    /** Time inside kernels, all phases. */
    public long kernelNanos() {
        return rows.stream().mapToLong(Row::nanos).sum();
    }

    public long kernelNanos(Phase phase) {
        return rows.stream().filter(r -> r.phase() == phase).mapToLong(Row::nanos).sum();
    }

    /** The row of one op kind on one device in one phase, or null when it was never called there. */
    public Row row(Phase phase, String device, String op) {
        return rows.stream().filter(r -> r.phase() == phase && r.device().equals(device) && r.op().equals(op))
                .findFirst().orElse(null);
    }

    /** A fixed-width table: ops by phase with subtotals, then the kernels' total against the wall clock. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "profile of %d %s(s) on %s: %s wall-clock, %s per %s%n",
                recordings, unit, String.join(", ", backends), millis(wallNanos), millis(perRecording(wallNanos)), unit));
        String format = "%-10s %-7s %-24s %8s %11s %11s %7s %9s %9s%n";
        out.append(String.format(Locale.ROOT, format, "phase", "device", "op", "calls", "total ms", "ms/" + unit,
                "share", "GFLOP", "GFLOP/s"));
        for (Phase phase : Phase.values()) {
            long calls = 0;
            long nanos = 0;
            long flops = 0;
            for (Row r : rows) {
                if (r.phase() != phase) continue;
                line(out, format, phase.label(), r.device(), r.op(), r.calls(), r.nanos(), r.flops());
                calls += r.calls();
                nanos += r.nanos();
                flops += r.flops();
            }
            if (calls > 0) line(out, format, phase.label(), "", "(all " + phase.label() + ")", calls, nanos, flops);
        }
        long kernels = kernelNanos();
        line(out, format, "total", "", "kernels", rows.stream().mapToLong(Row::calls).sum(), kernels,
                rows.stream().mapToLong(Row::flops).sum());
        line(out, format, "total", "", "outside kernels", 0, wallNanos - kernels, 0);
        line(out, format, "total", "", "wall-clock", 0, wallNanos, 0);
        memory.forEach((device, stats) -> out.append(String.format(Locale.ROOT,
                "memory %s: %s; memory scopes held at most %.1f MiB%n", device, stats,
                scopePeakBytes.getOrDefault(device, 0L) / 1048576.0)));
        return out.toString();
    }

    /** One line per row: {@code phase,device,op,calls,total_ms,share,flops,gflops_per_s}. */
    public String csv() {
        StringBuilder out = new StringBuilder("phase,device,op,calls,total_ms,share,flops,gflops_per_s\n");
        for (Row r : rows) {
            double gflops = r.gflopsPerSecond();
            String rate = Double.isNaN(gflops) ? "" : String.format(Locale.ROOT, "%.3f", gflops);
            out.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%.4f,%.5f,%d,%s%n", r.phase().label(), r.device(), r.op(),
                    r.calls(), r.nanos() / 1e6, share(r.nanos()), r.flops(), rate));
        }
        return out.toString();
    }

    private void line(StringBuilder out, String format, String phase, String device, String op, long calls, long nanos,
                      long flops) {
        out.append(String.format(Locale.ROOT, format, phase, device, op, calls == 0 ? "" : Long.toString(calls),
                String.format(Locale.ROOT, "%.2f", nanos / 1e6),
                String.format(Locale.ROOT, "%.3f", perRecording(nanos) / 1e6),
                String.format(Locale.ROOT, "%.1f%%", 100 * share(nanos)),
                flops == 0 ? "" : String.format(Locale.ROOT, "%.3f", flops / 1e9),
                flops == 0 || nanos <= 0 ? "" : String.format(Locale.ROOT, "%.1f", (double) flops / nanos)));
    }

    private double share(long nanos) {
        return wallNanos == 0 ? 0 : (double) nanos / wallNanos;
    }

    private double perRecording(long nanos) {
        return recordings == 0 ? 0 : (double) nanos / recordings;
    }

    private static String millis(double nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
