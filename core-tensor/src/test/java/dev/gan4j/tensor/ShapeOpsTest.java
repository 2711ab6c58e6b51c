package dev.gan4j.tensor;

import static dev.gan4j.tensor.ConvTest.assertMessage;
import static dev.gan4j.tensor.OpCheck.ELEMENTWISE;
import static dev.gan4j.tensor.OpCheck.EXACT;
import static dev.gan4j.tensor.OpCheck.assertOp;
import static dev.gan4j.tensor.OpCheck.randomShape;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** pad, concat, index_select and index_add: data movement, so exact (index_add sums: 1e-6 / 1e-12). */
class ShapeOpsTest {

    @Test void pad() {
        Random rng = new Random(2);
        for (int i = 0; i < 10; i++) {
            int rank = 1 + rng.nextInt(4);
            int[] shape = randomShape(rng, rank, 4);
            int[] pads = new int[2 * (1 + rng.nextInt(rank))];
            for (int j = 0; j < pads.length; j++) pads[j] = rng.nextInt(3);
            double value = rng.nextBoolean() ? 0 : -1.5;
            assertOp("pad " + Arrays.toString(pads), new int[][] {shape}, t -> t[0].pad(pads, value),
                    n -> Reference.pad(n[0], pads, value), EXACT);
        }
        assertOp("pad none", new int[][] {{2, 3}}, t -> t[0].pad(new int[0], 7), n -> n[0], EXACT);
    }

    @Test void concat() {
        Random rng = new Random(3);
        for (int i = 0; i < 10; i++) {
            int rank = 1 + rng.nextInt(4);
            int[] base = randomShape(rng, rank, 4);
            int dim = rng.nextInt(rank);
            int parts = 1 + rng.nextInt(4);
            int[][] shapes = new int[parts][];
            for (int p = 0; p < parts; p++) {
                shapes[p] = base.clone();
                shapes[p][dim] = p == 1 ? 0 : 1 + rng.nextInt(3); // a zero-size part joins too
            }
            int d = rng.nextBoolean() ? dim : dim - rank;
            assertOp("concat dim " + d, shapes, t -> Tensor.concat(List.of(t), d),
                    n -> Reference.concat(List.of(n), dim), EXACT);
        }
    }

    @Test void indexSelect() {
        Random rng = new Random(5);
        for (int i = 0; i < 10; i++) {
            int rank = 1 + rng.nextInt(4);
            int[] shape = randomShape(rng, rank, 5);
            int dim = rng.nextInt(rank);
            int[] index = new int[rng.nextInt(7)]; // repeats and the empty index included
            for (int j = 0; j < index.length; j++) index[j] = rng.nextInt(shape[dim]);
            int d = rng.nextBoolean() ? dim : dim - rank;
            assertOp("index_select " + Arrays.toString(index), new int[][] {shape}, t -> t[0].indexSelect(d, index),
                    n -> Reference.indexSelect(n[0], dim, index), EXACT);
        }
    }

    @Test void indexAddAccumulatesRepeats() {
        Random rng = new Random(6);
        for (int i = 0; i < 10; i++) {
            int rank = 1 + rng.nextInt(4);
            int[] shape = randomShape(rng, rank, 5);
            int dim = rng.nextInt(rank);
            int[] index = new int[1 + rng.nextInt(7)];
            for (int j = 0; j < index.length; j++) index[j] = rng.nextInt(shape[dim]);
            int[] srcShape = shape.clone();
            srcShape[dim] = index.length;
            assertOp("index_add " + Arrays.toString(index), new int[][] {shape, srcShape},
                    t -> t[0].indexAdd(dim, index, t[1]), n -> Reference.indexAdd(n[0], dim, index, n[1]), ELEMENTWISE);
        }
    }

    @Test void badArgumentsAreNamed() {
        Tensor x = Tensor.zeros(2, 3);
        assertMessage("concat: shape [2, 4] does not match [2, 3] outside dimension 0",
                () -> Tensor.concat(List.of(x, Tensor.zeros(2, 4)), 0));
        assertMessage("concat: no tensors given", () -> Tensor.concat(List.of(), 0));
        assertMessage("concat: dimension 2 out of range for rank 2", () -> Tensor.concat(List.of(x), 2));
        assertMessage("concat: tensors have different dtypes (float32 and float64)",
                () -> Tensor.concat(List.of(x, x.to(DType.F64)), 0));
        assertMessage("index_select: index 3 out of range for dimension of size 3", () -> x.indexSelect(1, new int[] {0, 3}));
        assertMessage("index_select: index -1 out of range", () -> x.indexSelect(0, new int[] {-1}));
        assertMessage("index_add: source shape [2, 2] should be [2, 3]", () -> x.indexAdd(1, new int[] {0, 1, 2}, Tensor.zeros(2, 2)));
        assertMessage("pad: 6 padding values do not fit rank 2", () -> x.pad(new int[6], 0));
        assertMessage("pad: negative padding [1, -1]", () -> x.pad(new int[] {1, -1}, 0));
    }
}
