package dev.gan4j.tensor.backend;

/**
 * The scalars of one RMSprop update ({@link Backend#rmsPropStep}), PyTorch's {@code torch.optim.RMSprop}:
 * smoothing constant {@code alpha}, and with {@code centered} the variance estimate subtracts the squared
 * mean gradient; with {@code momentum > 0} the step goes through a momentum buffer.
 */
public record RmsPropStep(double lr, double alpha, double eps, double weightDecay, double momentum,
                          boolean centered) {}
