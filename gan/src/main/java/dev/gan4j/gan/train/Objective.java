package dev.gan4j.gan.train;

import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.Loss;
import dev.gan4j.nn.Loss.Reduction;
import dev.gan4j.tensor.Tensor;

/**
 * The GAN games, as losses of the discriminator's scores on real and generated images.
 * Scores are logits for the BCE games and unbounded values for the Wasserstein and hinge ones. A
 * discriminator that ends in a sigmoid (the "article" preset) is scored by its logit before the sigmoid
 * ({@link dev.gan4j.gan.model.GanModels#logits}): sigmoid + BCE fused into one {@link Loss#bceWithLogits},
 * the same loss, with the true gradient where the sigmoid saturates.
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
    public Variable discriminatorLoss(Variable realScores, Variable fakeScores) {
        if (wasserstein()) return fakeScores.mean().sub(realScores.mean());
        if (this == HINGE) return realScores.rsub(1).relu().mean().add(fakeScores.add(1).relu().mean());
        return bce(realScores, 1).add(bce(fakeScores, 0));
    }

    public Variable generatorLoss(Variable fakeScores) {
        return switch (this) {
            case MINIMAX -> bce(fakeScores, 0).neg();
            case NON_SATURATING -> bce(fakeScores, 1);
            case WGAN, WGAN_GP, HINGE -> fakeScores.mean().neg();
        };
    }

    /** What the discriminator "believes" on average: a probability for BCE games, the raw score otherwise. */
    public Tensor meanBelief(Variable scores) {
        Tensor s = scores.data();
        return (rawScores() ? s : s.sigmoid()).mean();
    }

    private static Variable bce(Variable logits, double label) {
        Variable targets = Variable.constant(Tensor.full(label, logits.dtype(), logits.device(), logits.shape()));
        return Loss.bceWithLogits(logits, targets, Reduction.MEAN);
    }
}
