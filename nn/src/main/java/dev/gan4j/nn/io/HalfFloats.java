package dev.gan4j.nn.io;

/** Widening of the 16-bit float formats to float; exact, since float holds every value of both. */
final class HalfFloats {

    private HalfFloats() {}

    /** IEEE 754 binary16 (F16): 1 sign, 5 exponent, 10 mantissa bits. NaN payloads are kept. */
    static float f16ToFloat(short bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F80_0000 | mantissa << 13); // infinity or NaN
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f; // zero or subnormal: mantissa units of 2^-24, exact
            return sign == 0 ? magnitude : -magnitude;
        }
        // Rebias the exponent from 15 to 127; the mantissa just gains 13 zero bits.
        return Float.intBitsToFloat(sign | (exponent + 127 - 15) << 23 | mantissa << 13);
    }

    /** bfloat16 (BF16): the upper half of a float's bits. */
    static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }
}
