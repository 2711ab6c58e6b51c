package dev.gan4j.cuda;

import dev.gan4j.autograd.Functional;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

/**
 * Backend method matmul (cuBLAS sgemm, strided-batched, with the row-major operand swap) against the
 * CPU's GEMM: every combination of transposed operands, batched with broadcast (stride-0) batches,
 * vector operands, and linear layers — forward and both gradients, which use the other transposes.
 * Summation order differs between the two GEMMs: rtol 1e-4, atol 1e-4.
 */
class MatmulDifferentialTest extends Differential {

    private static final double RTOL = 1e-4;
    private static final double ATOL = 1e-4;

    @Test
    void allTransposesOnRandomShapes() {
        Random r = new Random(21);
        for (int trial = 0; trial < 4; trial++) {
            int m = 1 + r.nextInt(9);
            int k = 1 + r.nextInt(17);
            int n = 1 + r.nextInt(11);
            Generator gen = new Generator(trial);
            Tensor a = random(gen, m, k);
            Tensor b = random(gen, k, n);
            Tensor at = random(gen, k, m);
            Tensor bt = random(gen, n, k);
            String dims = m + "x" + k + "x" + n;
            check("A·B " + dims, RTOL, ATOL, v -> v.get(0).matmul(v.get(1)), a, b);
            check("Aᵀ·B " + dims, RTOL, ATOL, v -> v.get(0).t().matmul(v.get(1)), at, b);
            check("A·Bᵀ " + dims, RTOL, ATOL, v -> v.get(0).matmul(v.get(1).t()), a, bt);
            check("Aᵀ·Bᵀ " + dims, RTOL, ATOL, v -> v.get(0).t().matmul(v.get(1).t()), at, bt);
        }
    }

    @Test
    void batchedWithBroadcastBatchesAndVectors() {
        Generator gen = new Generator(22);
        Tensor a = random(gen, 3, 2, 4, 5);
        Tensor b = random(gen, 5, 6);
        Tensor c = random(gen, 2, 6, 5);
        Tensor v = random(gen, 5);
        check("[3,2,4,5]·[5,6] (shared right operand)", RTOL, ATOL, x -> x.get(0).matmul(x.get(1)), a, b);
        check("[3,2,4,5]·[2,6,5]ᵀ (broadcast batch)", RTOL, ATOL, x -> x.get(0).matmul(x.get(1).transpose(1, 2)), a, c);
        check("matrix·vector", RTOL, ATOL, x -> x.get(0).matmul(x.get(1)), b.t().contiguous(), v);
        check("vector·matrix", RTOL, ATOL, x -> x.get(1).matmul(x.get(0)), b, v);
        check("narrowed rows (leading dimension > columns)", RTOL, ATOL,
                x -> x.get(0).narrow(1, 1, 3).matmul(x.get(1)), random(gen, 4, 8), random(gen, 3, 5));
    }

    @Test
    void linearLayerForwardAndGradients() {
        Generator gen = new Generator(23);
        check("linear [7,12] -> 9", RTOL, ATOL, v -> Functional.linear(v.get(0), v.get(1), v.get(2)),
                random(gen, 7, 12), random(gen, 9, 12), random(gen, 9));
    }
}
