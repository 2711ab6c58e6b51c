package dev.gan4j.gan.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PixelsTest {
    @Test
    void endpointsAndMidpoint() {
        assertEquals(-1f, Pixels.fromByte(0));
        assertEquals(1f, Pixels.fromByte(255));
        assertEquals(128 / 127.5f - 1, Pixels.fromByte((byte) 128));   // unsigned, though Java bytes are signed
    }

    @Test
    void everyByteSurvivesTheRoundTrip() {
        for (int v = 0; v < 256; v++) {
            assertEquals(v, Pixels.toByte(Pixels.fromByte(v)));
        }
    }

    @Test
    void outOfRangeValuesAreClamped() {
        assertEquals(0, Pixels.toByte(-1.7f));
        assertEquals(255, Pixels.toByte(3f));
        assertEquals(128, Pixels.toByte(0f));
    }
}
