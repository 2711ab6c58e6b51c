package dev.gan4j.tensor.cpu;

import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Storage;

/** Storage in a Java array: exactly one of {@link #f32} and {@link #f64} is non-null. */
public final class CpuStorage implements Storage {

    final float[] f32;
    final double[] f64;
    private int version;

    CpuStorage(float[] data) {
        this.f32 = data;
        this.f64 = null;
    }

    CpuStorage(double[] data) {
        this.f32 = null;
        this.f64 = data;
    }

    static CpuStorage of(Storage storage) {
        if (storage instanceof CpuStorage cpu) return cpu;
        throw new IllegalArgumentException("cpu backend: storage on " + storage.device() + " passed to a CPU kernel");
    }

    /** The float32 array; for kernels that only exist in float32 and float64 variants. */
    public float[] floats() {
        return f32;
    }

    public double[] doubles() {
        return f64;
    }

    @Override public Device device() { return Device.CPU; }
    @Override public DType dtype() { return f32 != null ? DType.F32 : DType.F64; }
    @Override public int size() { return f32 != null ? f32.length : f64.length; }
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
        if (f32 != null) {
            if (stride == 1) for (int i = 0; i < n; i++) row[i] = f32[offset + i];
            else for (int i = 0; i < n; i++) row[i] = f32[offset + i * stride];
        } else {
            if (stride == 1) System.arraycopy(f64, offset, row, 0, n);
            else for (int i = 0; i < n; i++) row[i] = f64[offset + i * stride];
        }
    }

    /** Writes {@code row[0..n)} to elements {@code offset, offset+stride, ...}. */
    void storeRow(double[] row, int n, int offset, int stride) {
        if (f32 != null) {
            if (stride == 1) for (int i = 0; i < n; i++) f32[offset + i] = (float) row[i];
            else for (int i = 0; i < n; i++) f32[offset + i * stride] = (float) row[i];
        } else {
            if (stride == 1) System.arraycopy(row, 0, f64, offset, n);
            else for (int i = 0; i < n; i++) f64[offset + i * stride] = row[i];
        }
    }
}
