package dev.gan4j.tensor;

/** Element types. float32 is the working type; float64 exists on the CPU so gradients can be checked precisely. */
public enum DType {
    F32(4), F64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return this == F32 ? "float32" : "float64";
    }
}
