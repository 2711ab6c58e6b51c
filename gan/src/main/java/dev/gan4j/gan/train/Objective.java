package dev.gan4j.gan.train;

import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.Loss;
import dev.gan4j.nn.Loss.Reduction;
import dev.gan4j.tensor.Tensor;

/**
 * The GAN games, as losses of the discriminator's outputs on real and generated images.
 * Scores are logits for the BCE games (or probabilities when the discriminator ends in a sigmoid,
 * the "article" preset) and unbounded values for the Wasserstein and hinge ones.
 */
public enum Objective {
    /** Goodfellow et al.'s original: G minimises log(1 - D(G(z))). Saturates early in training. */
    MINIMAX,
    /** G maximises log D(G(z)) instead: same fixed point, strong gradients early (the default). */
    NON_SATURATING,
    /** Wasserstein critic with weight clipping (Arjovsky et al.). */
    WGAN,
    /** Wasserstein critic with a gradient penalty on interpolates (Gulrajani et al.). */
    WGAN_GP,
    /**
     * The hinge game (Lim and Ye; SAGAN, BigGAN): D is pushed to score reals above +1 and fakes below -1,
     * and stops being pushed once it does; G raises D's score of its samples.
     */
    HINGE;

    public boolean wasserstein() {
        return this == WGAN || this == WGAN_GP;
    }

    /** Scores are unbounded values, not logits of a probability (so a sigmoid output makes no sense). */
    public boolean rawScores() {
        return wasserstein() || this == HINGE;
    }

    /** The discriminator's (critic's) loss; the gradient penalty is added by the trainer. */
    public Variable discriminatorLoss(Variable realScores, Variable fakeScores, boolean probabilities) {
        if (wasserstein()) return fakeScores.mean().sub(realScores.mean());
        if (this == HINGE) return realScores.rsub(1).relu().mean().add(fakeScores.add(1).relu().mean());
        return bce(realScores, 1, probabilities).add(bce(fakeScores, 0, probabilities));
    }

    public Variable generatorLoss(Variable fakeScores, boolean probabilities) {
        return switch (this) {
            case MINIMAX -> bce(fakeScores, 0, probabilities).neg();
            case NON_SATURATING -> bce(fakeScores, 1, probabilities);
            case WGAN, WGAN_GP, HINGE -> fakeScores.mean().neg();
        };
    }

    /** What the discriminator "believes" on average: a probability for BCE games, the raw score otherwise. */
    public double meanBelief(Variable scores, boolean probabilities) {
        Tensor s = scores.data();
        return (rawScores() || probabilities ? s : s.sigmoid()).mean().item();
    }

    private static Variable bce(Variable scores, double label, boolean probabilities) {
        Variable targets = Variable.constant(Tensor.full(label, scores.dtype(), scores.device(), scores.shape()));
        return probabilities ? Loss.bce(scores, targets, Reduction.MEAN)
                : Loss.bceWithLogits(scores, targets, Reduction.MEAN);
    }
}
