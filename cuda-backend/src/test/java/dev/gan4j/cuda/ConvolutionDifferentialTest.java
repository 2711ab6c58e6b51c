package dev.gan4j.cuda;

import dev.gan4j.autograd.Functional;
import dev.gan4j.tensor.ConvParams;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

/**
 * Backend methods conv2d, conv2dBackwardInput and conv2dBackwardWeight (cuDNN forward, backward-data,
 * backward-filter, in deterministic mode) against the CPU's lowered convolutions, through conv2d and
 * conv_transpose2d with bias on random geometries (stride, padding, dilation, output padding):
 * forward and the gradients of input, weight and bias. rtol 1e-4, atol 1e-4.
 */
class ConvolutionDifferentialTest extends Differential {

    private static final double RTOL = 1e-4;
    private static final double ATOL = 1e-4;

    @Test
    void conv2dOnRandomGeometries() {
        Random r = new Random(31);
        for (int trial = 0; trial < 5; trial++) {
            int k = 1 + r.nextInt(4);
            ConvParams p = new ConvParams(1 + r.nextInt(2), 1 + r.nextInt(3), r.nextInt(2), r.nextInt(3),
                    1 + r.nextInt(2), 1);
            int h = k * p.dilationH() + 2 + r.nextInt(5);
            int w = k + 2 + r.nextInt(5);
            int in = 1 + r.nextInt(3);
            int out = 1 + r.nextInt(4);
            Generator gen = new Generator(trial);
            check("conv2d k" + k + " " + p, RTOL, ATOL, v -> Functional.conv2d(v.get(0), v.get(1), v.get(2), p),
                    random(gen, 1 + r.nextInt(3), in, h, w), random(gen, out, in, k, k), random(gen, out));
        }
    }

    @Test
    void convTranspose2dOnRandomGeometries() {
        Random r = new Random(32);
        for (int trial = 0; trial < 5; trial++) {
            int k = 2 + r.nextInt(3);
            int stride = 1 + r.nextInt(2);
            ConvParams p = ConvParams.of(stride, r.nextInt(2));
            int outputPadding = stride > 1 ? r.nextInt(stride) : 0;
            int in = 1 + r.nextInt(4);
            int out = 1 + r.nextInt(3);
            Generator gen = new Generator(trial);
            check("conv_transpose2d k" + k + " " + p + " output padding " + outputPadding, RTOL, ATOL,
                    v -> Functional.convTranspose2d(v.get(0), v.get(1), v.get(2), p, outputPadding, outputPadding),
                    random(gen, 2, in, 2 + r.nextInt(4), 2 + r.nextInt(4)), random(gen, in, out, k, k), random(gen, out));
        }
    }

    @Test
    void dcganShapedLayers() {
        Generator gen = new Generator(33);
        check("4x4 stride-2 conv, 16 -> 8", RTOL, ATOL, v -> Functional.conv2d(v.get(0), v.get(1), null, ConvParams.of(2, 1)),
                random(gen, 4, 3, 16, 16), random(gen, 8, 3, 4, 4));
        check("4x4 stride-2 transposed conv, 7 -> 14", RTOL, ATOL,
                v -> Functional.convTranspose2d(v.get(0), v.get(1), null, ConvParams.of(2, 1), 0, 0),
                random(gen, 4, 8, 7, 7), random(gen, 8, 4, 4, 4));
    }

    @Test
    void nonContiguousInputIsMadeDense() {
        Tensor x = random(new Generator(34), 2, 5, 6, 3);
        check("conv2d of a permuted input", RTOL, ATOL,
                v -> Functional.conv2d(v.get(0).permute(0, 3, 1, 2), v.get(1), null, ConvParams.of(1, 1)),
                x, random(new Generator(35), 4, 3, 3, 3));
    }
}
