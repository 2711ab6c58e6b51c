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

    /** {@code images [N, C, H, W]} with the planes of {@code oneHot [N, K]} appended: {@code [N, C + K, H, W]}. */
    public static Variable append(Variable images, Tensor oneHot) {
        int[] s = images.shape();
        if (s.length != 4 || oneHot.rank() != 2 || oneHot.size(0) != s[0]) {
            throw new IllegalArgumentException("label planes: images " + java.util.Arrays.toString(s) + " and one-hot labels "
                    + java.util.Arrays.toString(oneHot.shape()) + " do not match");
        }
        int classes = oneHot.size(1);
        Tensor planes = oneHot.reshape(s[0], classes, 1, 1).expand(s[0], classes, s[2], s[3]).contiguous();
        return Functional.concat(List.of(images, Variable.constant(planes)), 1);
    }
}
