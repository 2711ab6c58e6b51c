package dev.gan4j.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gan4j.tensor.Layout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Layout.tryReshape against brute force: for random strided views and every way of writing their
 * element count as a shape of rank 1-4, a returned layout must address exactly the same storage
 * elements in row-major order, and a layout must be returned whenever one exists.
 */
class LayoutReshapeTest {

    /** Storage index of every element, in row-major order. */
    static int[] offsets(Layout l) {
        int[] shape = l.shape();
        int n = Layout.numel(shape);
        int[] out = new int[n];
        int[] idx = new int[shape.length];
        for (int i = 0; i < n; i++) {
            int at = l.offset();
            for (int d = 0; d < shape.length; d++) at += idx[d] * l.stride(d);
            out[i] = at;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
        return out;
    }

    /** Whether some strides make {@code shape} address {@code offs} in row-major order (brute force). */
    static boolean viewExists(int[] offs, int[] shape) {
        if (offs.length == 0) return true;
        int rank = shape.length;
        int[] strides = new int[rank];
        int unit = 1;
        for (int d = rank - 1; d >= 0; d--) {
            // the element one step along d (row-major position `unit`) fixes d's stride
            if (shape[d] > 1) strides[d] = offs[unit] - offs[0];
            unit *= shape[d];
        }
        int[] idx = new int[rank];
        for (int i = 0; i < offs.length; i++) {
            int at = offs[0];
            for (int d = 0; d < rank; d++) at += idx[d] * strides[d];
            if (at != offs[i]) return false;
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
        return true;
    }

    /** A random view: a dense shape put through permutes, slices, selects, unsqueezes and expands. */
    static Layout randomView(Random rng) {
        int rank = 1 + rng.nextInt(4);
        int[] shape = new int[rank];
        for (int d = 0; d < rank; d++) shape[d] = 1 + rng.nextInt(4);
        Layout l = Layout.contiguous(shape);
        for (int step = rng.nextInt(4); step > 0; step--) {
            int r = l.rank();
            switch (rng.nextInt(6)) {
                case 0 -> {
                    int[] order = new int[r];
                    List<Integer> dims = new ArrayList<>();
                    for (int d = 0; d < r; d++) dims.add(d);
                    java.util.Collections.shuffle(dims, rng);
                    for (int d = 0; d < r; d++) order[d] = dims.get(d);
                    l = l.permute(order);
                }
                case 1 -> {
                    int d = rng.nextInt(r);
                    int size = l.size(d);
                    if (size == 0) break;
                    int start = rng.nextInt(size);
                    int end = start + 1 + rng.nextInt(size - start);
                    l = l.slice(d, start, end, 1 + rng.nextInt(2));
                }
                case 2 -> { if (r > 1) l = l.select(rng.nextInt(r), 0); }
                case 3 -> l = l.unsqueeze(rng.nextInt(r + 1));
                case 4 -> {
                    int[] target = l.shape();
                    for (int d = 0; d < r; d++) if (target[d] == 1 && rng.nextBoolean()) target[d] = 2 + rng.nextInt(2);
                    l = l.expand(target);
                }
                default -> l = l.transpose(0, r - 1);
            }
        }
        return l;
    }

    /** Every shape of rank 1..4 with the given element count (dims >= 1). */
    static List<int[]> factorisations(int n, int maxRank) {
        List<int[]> out = new ArrayList<>();
        factor(n, new int[0], maxRank, out);
        return out;
    }

    private static void factor(int remaining, int[] prefix, int maxRank, List<int[]> out) {
        if (prefix.length > 0 && remaining == 1) out.add(prefix);
        if (prefix.length == maxRank) return;
        for (int d = 1; d <= remaining; d++) {
            if (remaining % d != 0) continue;
            int[] next = Arrays.copyOf(prefix, prefix.length + 1);
            next[prefix.length] = d;
            factor(remaining / d, next, maxRank, out);
        }
    }

    @Test void tryReshapeIsCorrectAndComplete() {
        Random rng = new Random(2024);
        int views = 0;
        for (int trial = 0; trial < 400; trial++) {
            Layout l = randomView(rng);
            int[] offs = offsets(l);
            if (offs.length == 0 || offs.length > 48) continue;
            for (int[] target : factorisations(offs.length, 4)) {
                Layout r = l.tryReshape(target);
                boolean exists = viewExists(offs, target);
                String ctx = l + " -> " + Arrays.toString(target);
                if (r != null) {
                    assertTrue(Arrays.equals(offs, offsets(r)), ctx + " gave " + r);
                    views++;
                }
                if (exists) assertNotNull(r, ctx + ": a view exists but none was returned");
            }
        }
        assertTrue(views > 500, "the random views should often be reshapeable: " + views);
    }

    @Test void emptyAndScalarLayouts() {
        Layout empty = Layout.contiguous(0, 3).permute(1, 0);
        Layout r = empty.tryReshape(new int[] {3, 0, 2, 0});
        assertNotNull(r);
        assertEquals(0, r.numel());
        Layout scalar = Layout.contiguous(2, 3).select(0, 1).select(0, 2);
        assertEquals(5, scalar.tryReshape(new int[] {1, 1}).indexOf(0, 0));
        assertEquals(5, scalar.tryReshape(new int[0]).offset());
    }
}
