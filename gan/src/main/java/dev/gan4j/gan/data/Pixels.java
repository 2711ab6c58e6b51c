package dev.gan4j.gan.data;

/**
 * The one place that fixes how 8-bit pixels map to network values: [0, 255] onto [-1, 1],
 * the range of a tanh generator's output.
 */
public final class Pixels {
    private Pixels() {
    }

    /** 0 maps to -1, 255 to +1. */
    public static float fromByte(int value) {
        return (value & 0xFF) / 127.5f - 1f;
    }

    /** The inverse of {@link #fromByte}, rounded and clamped so generator overshoot cannot wrap around. */
    public static int toByte(float value) {
        long scaled = Math.round((value + 1f) * 127.5f);
        return (int) Math.max(0, Math.min(255, scaled));
    }
}
