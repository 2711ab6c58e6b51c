package dev.gan4j.cuda;

import dev.gan4j.tensor.Layout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The kernels' {@code Strided} struct (see {@code common.cuh}) for same-shaped layouts: the shape with
 * size-1 dimensions dropped and neighbours merged where every operand steps over them as one run, then
 * per operand its strides and offset. Passed to a kernel by value as {@code int[STRUCT_INTS]}.
 */
final class StridedParams {

    static final int MAX_RANK = 8;
    static final int MAX_OPERANDS = 4;
    static final int STRUCT_INTS = 1 + MAX_RANK + MAX_OPERANDS * MAX_RANK + MAX_OPERANDS;

    private StridedParams() {}

    /** The struct for layouts that all have the shape of {@code layouts[0]}. */
    static int[] of(Layout... layouts) {
        int[] shape = layouts[0].shape();
        int k = layouts.length;
        List<int[]> dims = new ArrayList<>(); // {size, stride_0, ..., stride_k-1}
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            int[] next = new int[k + 1];
            next[0] = shape[d];
            for (int j = 0; j < k; j++) next[j + 1] = layouts[j].stride(d);
            int[] prev = dims.isEmpty() ? null : dims.get(dims.size() - 1);
            if (prev != null && mergeable(prev, next)) {
                next[0] *= prev[0];
                dims.set(dims.size() - 1, next);
            } else {
                dims.add(next);
            }
        }
        if (dims.size() > MAX_RANK) {
            throw new IllegalArgumentException("cuda kernels: layouts " + Arrays.toString(layouts)
                    + " need " + dims.size() + " strided dimensions; at most " + MAX_RANK + " are supported"
                    + " (make the tensor contiguous first)");
        }
        int[] params = new int[STRUCT_INTS];
        params[0] = dims.size();
        for (int d = 0; d < dims.size(); d++) {
            params[1 + d] = dims.get(d)[0];
            for (int j = 0; j < k; j++) params[1 + MAX_RANK + j * MAX_RANK + d] = dims.get(d)[j + 1];
        }
        for (int j = 0; j < k; j++) params[1 + MAX_RANK + MAX_OPERANDS * MAX_RANK + j] = layouts[j].offset();
        return params;
    }

    /** True when stepping over {@code outer} is one run of {@code inner} for every operand. */
    private static boolean mergeable(int[] outer, int[] inner) {
        for (int j = 1; j < outer.length; j++) {
            if ((long) outer[j] != (long) inner[j] * inner[0]) return false;
        }
        return true;
    }

    /**
     * The layout read with the axes marked in {@code moveLast} moved behind the others (each group in its
     * original order), so that the flat index is {@code kept * moved + r} as the reduction kernels expect.
     */
    static Layout keptAxesFirst(Layout layout, boolean[] moveLast) {
        int[] order = new int[layout.rank()];
        int at = 0;
        for (int d = 0; d < order.length; d++) if (!moveLast[d]) order[at++] = d;
        for (int d = 0; d < order.length; d++) if (moveLast[d]) order[at++] = d;
        return layout.permute(order);
    }
}
