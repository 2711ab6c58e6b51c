package dev.gan4j.tensor.profile;

/**
 * The part of a training step a kernel call belongs to. Autograd marks its backward pass and the
 * optimisers mark their update; every other call counts as forward (including the gradient penalty's
 * inner gradient, which autograd marks as backward since it runs the backward rules).
 */
public enum Phase {
    FORWARD("forward"), BACKWARD("backward"), OPTIMIZER("optimiser");

    private final String label;

    Phase(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
