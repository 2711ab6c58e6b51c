package dev.gan4j.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gan4j.tensor.Layout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * StridedLoop walks several strided operands in row-major order of the first one's shape, whatever
 * it merges: checked against {@link LayoutReshapeTest#offsets} on random views, serially (exact
 * order) and in parallel (each element exactly once). Also: dense operands become one row, and rows
 * are cut into blocks of at most {@link StridedLoop#BLOCK}.
 */
class StridedLoopTest {

    /** Same-shaped layouts of the given shape, each a different random view (expanded, permuted, sliced). */
    static Layout[] operands(Random rng, int[] shape, int count) {
        Layout[] out = new Layout[count];
        for (int k = 0; k < count; k++) {
            int rank = shape.length;
            int mode = rng.nextInt(4);
            if (mode == 0 || rank == 0) {
                out[k] = Layout.contiguous(shape);
            } else if (mode == 1) { // permuted dense
                int[] order = new int[rank];
                List<Integer> dims = new ArrayList<>();
                for (int d = 0; d < rank; d++) dims.add(d);
                java.util.Collections.shuffle(dims, rng);
                for (int d = 0; d < rank; d++) order[d] = dims.get(d);
                int[] base = new int[rank];
                for (int d = 0; d < rank; d++) base[order[d]] = shape[d];
                // base dim order[d] has size shape[d], so permute(order) gives back `shape`
                out[k] = Layout.contiguous(base).permute(order);
            } else if (mode == 2) { // step-2 slices at an offset
                int[] base = new int[rank];
                for (int d = 0; d < rank; d++) base[d] = 2 * shape[d] + 1;
                Layout l = Layout.contiguous(base);
                for (int d = 0; d < rank; d++) l = l.slice(d, 1, Math.max(1, 2 * shape[d]), 2);
                out[k] = l;
            } else { // broadcast some dims
                int[] small = shape.clone();
                for (int d = 0; d < rank; d++) if (rng.nextBoolean()) small[d] = 1;
                out[k] = Layout.contiguous(small).expand(shape);
            }
            assertArrayEquals(shape, out[k].shape(), out[k].toString());
        }
        return out;
    }

    static int[] randomShape(Random rng) {
        int rank = rng.nextInt(5);
        int[] s = new int[rank];
        for (int d = 0; d < rank; d++) s[d] = rng.nextInt(5) == 0 ? 1 : 1 + rng.nextInt(5);
        return s;
    }

    @Test void serialRunVisitsEveryElementInRowMajorOrder() {
        Random rng = new Random(11);
        for (int trial = 0; trial < 300; trial++) {
            int[] shape = trial == 0 ? new int[] {3, 1500} : randomShape(rng);
            Layout[] ls = operands(rng, shape, 1 + rng.nextInt(4));
            int[][] expected = new int[ls.length][];
            for (int k = 0; k < ls.length; k++) expected[k] = LayoutReshapeTest.offsets(ls[k]);
            int n = Layout.numel(shape);
            int[][] seen = new int[ls.length][n];
            int[] count = {0};
            StridedLoop.over(ls).runSerial((off, st, len, scratch) -> {
                assertTrue(len > 0 && len <= StridedLoop.BLOCK);
                for (int i = 0; i < len; i++) {
                    for (int k = 0; k < ls.length; k++) seen[k][count[0]] = off[k] + i * st[k];
                    count[0]++;
                }
            });
            assertEquals(n, count[0]);
            for (int k = 0; k < ls.length; k++) {
                assertArrayEquals(expected[k], seen[k], "operand " + k + " " + ls[k]);
            }
        }
    }

    @Test void parallelRunVisitsEveryElementOnce() {
        Random rng = new Random(12);
        int[][] shapes = {{40, 1100}, {300, 7, 31}, {70000}, {2, 33000}};
        for (int[] shape : shapes) {
            Layout out = Layout.contiguous(shape);
            Layout[] ls = operands(rng, shape, 2);
            int[] expected = LayoutReshapeTest.offsets(ls[1]);
            int n = out.numel();
            AtomicIntegerArray hits = new AtomicIntegerArray(n);
            int[] source = new int[n];
            StridedLoop.over(out, ls[1]).run((off, st, len, scratch) -> {
                for (int i = 0; i < len; i++) {
                    int at = off[0] + i * st[0];
                    hits.incrementAndGet(at);
                    source[at] = off[1] + i * st[1];
                }
            });
            for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "element " + i);
            assertArrayEquals(expected, source, ls[1].toString());
        }
    }

    @Test void denseOperandsMergeIntoBlocksOfOneRow() {
        List<Integer> lengths = new ArrayList<>();
        StridedLoop.over(Layout.contiguous(4, 5, 6), Layout.contiguous(4, 5, 6))
                .runSerial((off, st, len, scratch) -> lengths.add(len));
        assertEquals(List.of(120), lengths, "a dense 4x5x6 is one row of 120");
        lengths.clear();
        StridedLoop.over(Layout.contiguous(5, 500)).runSerial((off, st, len, scratch) -> lengths.add(len));
        assertEquals(List.of(1024, 1024, 452), lengths, "2500 dense elements: blocks of 1024");
        lengths.clear();
        // a transposed operand stops the merge: one row per output row
        StridedLoop.over(Layout.contiguous(3, 4), Layout.contiguous(4, 3).permute(1, 0))
                .runSerial((off, st, len, scratch) -> lengths.add(len));
        assertEquals(List.of(4, 4, 4), lengths);
        lengths.clear();
        // size-1 dims and a broadcast inner dim
        StridedLoop.over(Layout.contiguous(1, 3, 1, 4), Layout.contiguous(1, 3, 1, 1).expand(new int[] {1, 3, 1, 4}))
                .runSerial((off, st, len, scratch) -> {
                    lengths.add(len);
                    assertEquals(0, st[1]);
                });
        assertEquals(List.of(4, 4, 4), lengths);
        lengths.clear();
        StridedLoop.over(Layout.contiguous()).runSerial((off, st, len, scratch) -> lengths.add(len));
        assertEquals(List.of(1), lengths, "a scalar is one element");
        lengths.clear();
        StridedLoop.over(Layout.contiguous(3, 0, 2)).runSerial((off, st, len, scratch) -> lengths.add(len));
        assertEquals(List.of(), lengths, "an empty shape runs nothing");
    }
}
