package dev.gan4j.tensor;

import static dev.gan4j.tensor.OpCheck.assertOp;
import static dev.gan4j.tensor.OpCheck.tol;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.gan4j.tensor.OpCheck.Tol;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * matmul against a naive triple loop in double. Inputs are in [-2, 2] and inner sizes up
 * to 70, so a float32 GEMM accumulating in float stays well within 2e-4 relative to max(1, |c|);
 * float64 within 1e-10.
 */
class MatmulTest {

    static final Tol GEMM = tol(2e-4, 1e-10);

    static void matmul(int[] a, int[] b) {
        assertOp("matmul", new int[][] {a, b}, t -> t[0].matmul(t[1]), n -> Reference.matmul(n[0], n[1]), GEMM);
    }

    @Test void matrices() {
        Random rng = new Random(1);
        for (int i = 0; i < 8; i++) {
            int m = 1 + rng.nextInt(9), k = 1 + rng.nextInt(9), n = 1 + rng.nextInt(9);
            matmul(new int[] {m, k}, new int[] {k, n});
        }
        matmul(new int[] {1, 1}, new int[] {1, 1});
        matmul(new int[] {33, 70}, new int[] {70, 41});
        matmul(new int[] {67, 130}, new int[] {130, 45}); // past the packed GEMM's register tiles and edges
    }

    @Test void batched() {
        matmul(new int[] {3, 4, 5}, new int[] {3, 5, 2});
        matmul(new int[] {2, 3, 1, 4}, new int[] {2, 3, 4, 6});
        matmul(new int[] {5, 1, 7}, new int[] {5, 7, 1});
    }

    @Test void broadcastBatch() {
        matmul(new int[] {4, 5}, new int[] {3, 5, 2});
        matmul(new int[] {3, 4, 5}, new int[] {5, 2});
        matmul(new int[] {2, 1, 4, 5}, new int[] {3, 5, 2});
        matmul(new int[] {1, 3, 4, 5}, new int[] {2, 1, 5, 6});
    }

    @Test void emptyDimensions() {
        matmul(new int[] {3, 0}, new int[] {0, 4});
        matmul(new int[] {0, 3}, new int[] {3, 4});
        matmul(new int[] {2, 0, 3}, new int[] {3, 4});
    }

    /** Transposed operands read in place (a.t(), b.t()) in every combination, plus batched transposes. */
    @Test void transposedViews() {
        int[][] ab = {{4, 6}, {6, 3}};
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                int[] a = ta ? new int[] {6, 4} : ab[0];
                int[] b = tb ? new int[] {3, 6} : ab[1];
                assertOp("matmul_t" + ta + tb, new int[][] {a, b},
                        t -> (ta ? t[0].t() : t[0]).matmul(tb ? t[1].t() : t[1]),
                        n -> Reference.matmul(ta ? Reference.permute(n[0], 1, 0) : n[0],
                                tb ? Reference.permute(n[1], 1, 0) : n[1]), GEMM);
            }
        }
        assertOp("matmul_bt", new int[][] {{2, 5, 4}, {2, 3, 5}},
                t -> t[0].transpose(1, 2).matmul(t[1].transpose(-1, -2)),
                n -> Reference.matmul(Reference.permute(n[0], 0, 2, 1), Reference.permute(n[1], 0, 2, 1)), GEMM);
        // A single row of a transposed matrix, and a column slice.
        assertOp("matmul_row", new int[][] {{5, 4}, {5, 3}},
                t -> t[0].t().narrow(0, 2, 1).matmul(t[1]),
                n -> Reference.matmul(Reference.narrow(Reference.permute(n[0], 1, 0), 0, 2, 1), n[1]), GEMM);
        assertOp("matmul_col", new int[][] {{4, 7}, {3, 2}},
                t -> t[0].narrow(1, 1, 3).matmul(t[1].slice(1, 0, 2, 2)),
                n -> Reference.matmul(Reference.narrow(n[0], 1, 1, 3), Reference.narrow(n[1], 1, 0, 1)), GEMM);
    }

    @Test void resultShapes() {
        assertArrayEquals(new int[] {2, 4, 1}, Tensor.zeros(2, 4, 5).matmul(Tensor.zeros(5, 1)).shape());
        assertArrayEquals(new int[] {2, 3, 4, 6}, Tensor.zeros(2, 1, 4, 5).matmul(Tensor.zeros(3, 5, 6)).shape());
    }
}
