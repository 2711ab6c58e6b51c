package dev.gan4j.benchmarks;

import dev.gan4j.tensor.ConvParams;

import java.util.Map;
import java.util.LinkedHashMap;

/**
 * The convolution layers of one training step of the two DCGAN presets and of mnist-upsample, batch 64, as built by
 * {@code gan/.../model/GanModels} (and mirrored in {@code pytorch/bench_reference.py}):
 * <pre>
 *   mnist-dcgan   (28x28x1, width 32, latent 100, base 7):
 *     G1 convT 100->64  k7 s1 p0   1 -> 7      D1 conv 1->32   k4 s2 p1  28 -> 14
 *     G2 convT  64->32  k4 s2 p1   7 -> 14     D2 conv 32->64  k4 s2 p1  14 -> 7
 *     G3 convT  32->1   k4 s2 p1  14 -> 28     D3 conv 64->1   k7 s1 p0   7 -> 1
 *   cifar10-dcgan (32x32x3, width 64, latent 100, base 4):
 *     G1 convT 100->256 k4 s1 p0   1 -> 4      D1 conv 3->64    k4 s2 p1  32 -> 16
 *     G2 convT 256->128 k4 s2 p1   4 -> 8      D2 conv 64->128  k4 s2 p1  16 -> 8
 *     G3 convT 128->64  k4 s2 p1   8 -> 16     D3 conv 128->256 k4 s2 p1   8 -> 4
 *     G4 convT  64->3   k4 s2 p1  16 -> 32     D4 conv 256->1   k4 s1 p0   4 -> 1
 *   mnist-upsample (28x28x1, width 32: each G conv follows a nearest x2 upsampling, except G3):
 *     G1 conv   64->32  k3 s1 p1  14 -> 14     D1 conv 1->16   k3 s1 p1  28 -> 28
 *     G2 conv   32->16  k3 s1 p1  28 -> 28     D2 conv 16->32  k4 s2 p1  28 -> 14
 *     G3 conv   16->1   k3 s1 p1  28 -> 28     D3 conv 32->64  k4 s2 p1  14 -> 7
 * </pre>
 * Every pass of one layer (forward, input gradient, weight gradient) costs the same number of
 * multiply-adds: {@code batch * inChannels * outChannels * k * k * pixels}, where {@code pixels} is
 * the smaller of the two feature maps (the conv's output, the transposed conv's input). FLOPs are
 * twice that; {@link #flops()} returns them.
 */
record DcganLayers(String name, boolean transposed, int inChannels, int outChannels, int kernel, int stride,
                   int pad, int inSize, int outSize, int batch) {

    static final int BATCH = 64;

    static final Map<String, DcganLayers> ALL = new LinkedHashMap<>();

    static {
        convT("mnist.G1", 100, 64, 7, 1, 0, 1, 7);
        convT("mnist.G2", 64, 32, 4, 2, 1, 7, 14);
        convT("mnist.G3", 32, 1, 4, 2, 1, 14, 28);
        conv("mnist.D1", 1, 32, 4, 2, 1, 28, 14);
        conv("mnist.D2", 32, 64, 4, 2, 1, 14, 7);
        conv("mnist.D3", 64, 1, 7, 1, 0, 7, 1);
        convT("cifar.G1", 100, 256, 4, 1, 0, 1, 4);
        convT("cifar.G2", 256, 128, 4, 2, 1, 4, 8);
        convT("cifar.G3", 128, 64, 4, 2, 1, 8, 16);
        convT("cifar.G4", 64, 3, 4, 2, 1, 16, 32);
        conv("cifar.D1", 3, 64, 4, 2, 1, 32, 16);
        conv("cifar.D2", 64, 128, 4, 2, 1, 16, 8);
        conv("cifar.D3", 128, 256, 4, 2, 1, 8, 4);
        conv("cifar.D4", 256, 1, 4, 1, 0, 4, 1);
        conv("up.G1", 64, 32, 3, 1, 1, 14, 14);
        conv("up.G2", 32, 16, 3, 1, 1, 28, 28);
        conv("up.G3", 16, 1, 3, 1, 1, 28, 28);
        conv("up.D1", 1, 16, 3, 1, 1, 28, 28);
        conv("up.D2", 16, 32, 4, 2, 1, 28, 14);
        conv("up.D3", 32, 64, 4, 2, 1, 14, 7);
    }

    private static void conv(String name, int in, int out, int k, int s, int p, int inSize, int outSize) {
        ALL.put(name, new DcganLayers(name, false, in, out, k, s, p, inSize, outSize, BATCH));
    }

    private static void convT(String name, int in, int out, int k, int s, int p, int inSize, int outSize) {
        ALL.put(name, new DcganLayers(name, true, in, out, k, s, p, inSize, outSize, BATCH));
    }

    static DcganLayers of(String name) {
        DcganLayers layer = ALL.get(name);
        if (layer == null) throw new IllegalArgumentException("unknown layer " + name + "; known: " + ALL.keySet());
        return layer;
    }

    ConvParams params() {
        return ConvParams.of(stride, pad);
    }

    int[] inputShape() {
        return new int[] {batch, inChannels, inSize, inSize};
    }

    int[] outputShape() {
        return new int[] {batch, outChannels, outSize, outSize};
    }

    /** PyTorch's layouts: conv {@code [out, in, k, k]}, transposed conv {@code [in, out, k, k]}. */
    int[] weightShape() {
        return transposed ? new int[] {inChannels, outChannels, kernel, kernel}
                          : new int[] {outChannels, inChannels, kernel, kernel};
    }

    /** Floating-point operations of any one pass. */
    double flops() {
        int small = Math.min(inSize, outSize);
        return 2.0 * batch * inChannels * outChannels * kernel * kernel * small * small;
    }
}
