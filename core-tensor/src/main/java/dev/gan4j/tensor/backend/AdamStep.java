package dev.gan4j.tensor.backend;

/**
 * The scalars of one Adam update ({@link Backend#adamStep}), PyTorch's {@code torch.optim.Adam}: the
 * settings, and {@code step}, how many updates this parameter has had including this one (from 1),
 * which the bias corrections need.
 */
public record AdamStep(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad,
                       long step) {

    public AdamStep {
        if (step < 1) throw new IllegalArgumentException("adam_step: step counts from 1, got " + step);
    }

    /** {@code 1 - beta2^step}, under a square root: the second moment's bias correction. */
    public double biasCorrection2Sqrt() {
        return Math.sqrt(1 - Math.pow(beta2, step));
    }

    /** {@code lr / (1 - beta1^step)}: the learning rate with the first moment's bias correction. */
    public double stepSize() {
        return lr / (1 - Math.pow(beta1, step));
    }
}
