package dev.gan4j.tensor.cpu;

import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Storage;

/**
 * Storage in a Java array: exactly one of {@link #f32} and {@link #f64} is non-null until
 * {@link #release()} hands the array back to the pool and clears both, so a stale tensor can never
 * read (or write) the array's next owner.
 */
public final class CpuStorage implements Storage {

    float[] f32;
    double[] f64;
    private final DType dtype;
    private final int size;
    private final HostArrayPool pool;
    private int version;

    CpuStorage(float[] data, HostArrayPool pool) {
        this.f32 = data;
        this.dtype = DType.F32;
        this.size = data.length;
        this.pool = pool;
    }

    CpuStorage(double[] data, HostArrayPool pool) {
        this.f64 = data;
        this.dtype = DType.F64;
        this.size = data.length;
        this.pool = pool;
    }

    /** The storage as a CPU one, refusing other devices' storages and released ones. */
    static CpuStorage of(Storage storage) {
        if (!(storage instanceof CpuStorage cpu)) {
            throw new IllegalArgumentException("cpu backend: storage on " + storage.device() + " passed to a CPU kernel");
        }
        if (cpu.isReleased()) {
            throw new IllegalStateException("cpu backend: a tensor's storage (" + cpu.size + " " + cpu.dtype
                    + " elements) was used after it was released (its MemoryScope closed); keep it with "
                    + "MemoryScope.keep or persist to use it later");
        }
        return cpu;
    }

    /** The float32 array; for kernels that only exist in float32 and float64 variants. */
    public float[] floats() {
        return of(this).f32;
    }

    public double[] doubles() {
        return of(this).f64;
    }

    boolean isReleased() {
        return f32 == null && f64 == null;
    }

    @Override
    public synchronized void release() {
        if (f32 != null) pool.give(f32);
        if (f64 != null) pool.give(f64);
        f32 = null;
        f64 = null;
    }

    @Override public Device device() { return Device.CPU; }
    @Override public DType dtype() { return dtype; }
    @Override public int size() { return size; }
    @Override public int version() { return version; }
    @Override public void bumpVersion() { version++; }

    double get(int i) {
        return f32 != null ? f32[i] : f64[i];
    }

    void set(int i, double v) {
        if (f32 != null) f32[i] = (float) v;
        else f64[i] = v;
    }

    /** Reads {@code n} elements {@code offset, offset+stride, ...} into {@code row}. */
    void loadRow(int offset, int stride, int n, double[] row) {
        loadRow(offset, stride, n, row, 0);
    }

    /** Reads {@code n} elements {@code offset, offset+stride, ...} into {@code row} from {@code at} on. */
    void loadRow(int offset, int stride, int n, double[] row, int at) {
        if (f32 != null) {
            if (stride == 1) for (int i = 0; i < n; i++) row[at + i] = f32[offset + i];
            else for (int i = 0; i < n; i++) row[at + i] = f32[offset + i * stride];
        } else {
            if (stride == 1) System.arraycopy(f64, offset, row, at, n);
            else for (int i = 0; i < n; i++) row[at + i] = f64[offset + i * stride];
        }
    }

    /** Writes {@code row[0..n)} to elements {@code offset, offset+stride, ...}. */
    void storeRow(double[] row, int n, int offset, int stride) {
        storeRow(row, 0, n, offset, stride);
    }

    /** Writes {@code row[at..at+n)} to elements {@code offset, offset+stride, ...}. */
    void storeRow(double[] row, int at, int n, int offset, int stride) {
        if (f32 != null) {
            if (stride == 1) for (int i = 0; i < n; i++) f32[offset + i] = (float) row[at + i];
            else for (int i = 0; i < n; i++) f32[offset + i * stride] = (float) row[at + i];
        } else {
            if (stride == 1) System.arraycopy(row, at, f64, offset, n);
            else for (int i = 0; i < n; i++) f64[offset + i * stride] = row[at + i];
        }
    }

    /**
     * The float32 elements {@code offset, offset+stride, ...} as a unit-stride run that starts at
     * {@link #runStart}: this storage's own array when stride is 1 (no copy), else copied into
     * {@code scratch} (a broadcast, stride 0, is a fill).
     */
    float[] floatRun(int offset, int stride, int n, float[] scratch) {
        if (stride == 1) return f32;
        if (stride == 0) java.util.Arrays.fill(scratch, 0, n, f32[offset]);
        else for (int i = 0; i < n; i++) scratch[i] = f32[offset + i * stride];
        return scratch;
    }

    /** Where the run returned by {@link #floatRun} starts. */
    static int runStart(int offset, int stride) {
        return stride == 1 ? offset : 0;
    }

    /** Where a float32 kernel writes a run of stride {@code stride}: straight into this array when it is 1, else into {@code scratch} (then {@link #storeFloats}). */
    float[] floatTarget(int stride, float[] scratch) {
        return stride == 1 ? f32 : scratch;
    }

    /** Writes {@code run[0..n)} to the float32 elements {@code offset, offset+stride, ...}. */
    void storeFloats(float[] run, int n, int offset, int stride) {
        for (int i = 0; i < n; i++) f32[offset + i * stride] = run[i];
    }
}
