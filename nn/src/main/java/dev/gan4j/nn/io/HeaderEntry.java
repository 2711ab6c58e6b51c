package dev.gan4j.nn.io;

/**
 * One tensor's header entry, already checked on its own: known dtype, valid shape, and a byte range
 * {@code [begin, end)} relative to the data region whose length fits the dtype and shape.
 */
record HeaderEntry(String name, StDType dtype, int[] shape, long begin, long end) {

    int numel() {
        return (int) StTensor.numel(shape);
    }

    /** How the entry is named in error messages. */
    String key() {
        return describe(name);
    }

    static String describe(String tensorName) {
        return "tensor '" + tensorName + "'";
    }
}
