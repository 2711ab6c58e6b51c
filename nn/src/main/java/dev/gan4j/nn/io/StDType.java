package dev.gan4j.nn.io;

/**
 * Element types of the safetensors format, named as they appear in a file header.
 *
 * <p>The constants are declared in the relative order of the reference implementation's {@code Dtype}
 * enum. The writer lays tensors out by descending ordinal (widest alignment first), as the Python
 * library does, so this declaration order is part of the file format: do not reorder.
 */
public enum StDType {
    BOOL(1), U8(1), I8(1), I16(2), F16(2), BF16(2), I32(4), F32(4), F64(8), I64(8);

    private final int byteSize;

    StDType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element in the file. */
    public int byteSize() {
        return byteSize;
    }

    /** True for the types whose values are carried as {@code float[]}: F32, F16 and BF16. */
    boolean carriedAsFloats() {
        return this == F32 || this == F16 || this == BF16;
    }

    /** True for the integer and boolean types, whose values are carried as {@code long[]}. */
    boolean carriedAsLongs() {
        return this != F64 && !carriedAsFloats();
    }

    /** The type with this header name, or null when the name is not one of ours. */
    static StDType fromHeaderName(String name) {
        for (StDType type : values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        return null;
    }
}
