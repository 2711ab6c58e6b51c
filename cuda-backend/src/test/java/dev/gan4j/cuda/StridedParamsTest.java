package dev.gan4j.cuda;

import dev.gan4j.tensor.Layout;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernels' Strided struct: dimension merging, broadcasting, offsets, and the reduction view. */
class StridedParamsTest {

    private static final int STRIDES = 1 + StridedParams.MAX_RANK;
    private static final int OFFSETS = STRIDES + StridedParams.MAX_OPERANDS * StridedParams.MAX_RANK;

    private static int[] strides(int[] params, int operand, int rank) {
        return Arrays.copyOfRange(params, STRIDES + operand * StridedParams.MAX_RANK, STRIDES + operand * StridedParams.MAX_RANK + rank);
    }

    @Test
    void denseOperandsMergeIntoOneDimension() {
        int[] p = StridedParams.of(Layout.contiguous(2, 3, 4), new Layout(new int[] {2, 3, 4}, new int[] {12, 4, 1}, 5));
        assertEquals(StridedParams.STRUCT_INTS, p.length);
        assertEquals(1, p[0]);
        assertEquals(24, p[1]);
        assertArrayEquals(new int[] {1}, strides(p, 1, 1));
        assertEquals(5, p[OFFSETS + 1]);
    }

    @Test
    void broadcastAndTransposedOperandsKeepTheirDimensions() {
        Layout out = Layout.contiguous(3, 4);
        Layout row = Layout.contiguous(4).expand(new int[] {3, 4});
        Layout transposed = Layout.contiguous(4, 3).transpose(0, 1);
        int[] p = StridedParams.of(out, row, transposed);
        assertEquals(2, p[0]);
        assertArrayEquals(new int[] {3, 4}, Arrays.copyOfRange(p, 1, 3));
        assertArrayEquals(new int[] {4, 1}, strides(p, 0, 2));
        assertArrayEquals(new int[] {0, 1}, strides(p, 1, 2));
        assertArrayEquals(new int[] {1, 3}, strides(p, 2, 2));
    }

    @Test
    void sizeOneDimensionsAreDroppedAndScalarsHaveRankZero() {
        assertEquals(0, StridedParams.of(Layout.contiguous(1, 1))[0]);
        assertEquals(0, StridedParams.of(Layout.contiguous())[0]);
    }

    @Test
    void tooManyStridedDimensionsIsAClearError() {
        int[] shape = {2, 2, 2, 2, 2, 2, 2, 2, 2};
        Layout powersOf3 = new Layout(shape, new int[] {6561, 2187, 729, 243, 81, 27, 9, 3, 1}, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StridedParams.of(powersOf3));
        assertTrue(e.getMessage().contains("at most 8"), e.getMessage());
    }

    @Test
    void reductionViewPutsKeptAxesFirst() {
        Layout x = Layout.contiguous(2, 3, 4, 5);
        Layout view = StridedParams.keptAxesFirst(x, new boolean[] {true, false, true, false});
        assertArrayEquals(new int[] {3, 5, 2, 4}, view.shape());
        assertArrayEquals(new int[] {20, 1, 60, 5}, view.strides());
    }

    @Test
    void allocatorRoundsSizes() {
        assertEquals(512, DeviceAllocator.roundedSize(0));
        assertEquals(512, DeviceAllocator.roundedSize(4));
        assertEquals(1024, DeviceAllocator.roundedSize(513));
        assertEquals(2 << 20, DeviceAllocator.roundedSize(1 << 20));
        assertEquals(4 << 20, DeviceAllocator.roundedSize((2 << 20) + 1));
    }
}
