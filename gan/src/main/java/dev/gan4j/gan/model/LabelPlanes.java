package dev.gan4j.gan.model;

import dev.gan4j.autograd.Functional;
import dev.gan4j.autograd.Variable;
import dev.gan4j.tensor.Tensor;

import java.util.List;

/**
 * How a class-conditional discriminator is told the class: after the image's channels come one constant
 * plane per class, all ones on the label's plane and zeros on the others. The discriminator stays a plain
 * module with {@code channels + classes} input channels; its first layer learns a per-class bias map.
 */
public final class LabelPlanes {

    private LabelPlanes() {}

    /** The planes of {@code oneHot [N, K]} at {@code height x width}: {@code [N, K, H, W]}, built once per batch. */
    public static Tensor of(Tensor oneHot, int height, int width) {
        if (oneHot.rank() != 2) {
            throw new IllegalArgumentException("label planes: expected one-hot labels [N, K], got "
                    + java.util.Arrays.toString(oneHot.shape()));
        }
        int n = oneHot.size(0), classes = oneHot.size(1);
        return oneHot.reshape(n, classes, 1, 1).expand(n, classes, height, width).contiguous();
    }

    /** {@code images [N, C, H, W]} with {@code planes [N, K, H, W]} appended: {@code [N, C + K, H, W]}. */
    public static Variable append(Variable images, Tensor planes) {
        int[] s = images.shape();
        int[] p = planes.shape();
        if (s.length != 4 || p.length != 4 || p[0] != s[0] || p[2] != s[2] || p[3] != s[3]) {
            throw new IllegalArgumentException("label planes: images " + java.util.Arrays.toString(s) + " and planes "
                    + java.util.Arrays.toString(p) + " do not match");
        }
        return Functional.concat(List.of(images, Variable.constant(planes)), 1);
    }
}
