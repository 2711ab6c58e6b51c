package dev.gan4j.gan.train;

import dev.gan4j.autograd.Autograd;
import dev.gan4j.autograd.Variable;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Philox;
import dev.gan4j.tensor.Tensor;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * WGAN-GP's penalty {@code mean((||dD(x^)/dx^||_2 - 1)^2)} on random interpolates x^ between real and
 * generated images. The inner gradient is taken with {@code createGraph}, so the penalty can be
 * differentiated again with respect to the critic's weights: second-order autograd.
 */
final class GradientPenalty {

    private GradientPenalty() {}

    /** @param critic the critic's score of a batch of images (given their classes, when conditional) */
    static Variable of(UnaryOperator<Variable> critic, Tensor real, Tensor fake, Generator noise) {
        int n = real.size(0);
        Tensor alpha = Tensor.random(Philox.Distribution.UNIFORM, noise.nextLong(), 0, 0, 1, real.dtype(), real.device(),
                n, 1, 1, 1);
        Variable interpolates = Variable.of(real.mul(alpha).add(fake.mul(alpha.neg().add(1))), true);
        Variable scores = critic.apply(interpolates);
        Variable grad = Autograd.grad(List.of(scores.sum()), List.of(interpolates), null, true).get(0);
        // The tiny epsilon keeps the norm's own gradient finite where the gradient vanishes.
        Variable norm = grad.reshape(n, -1).pow(2).sum(new int[] {1}, false).add(1e-12).sqrt();
        return norm.sub(1).pow(2).mean();
    }
}
