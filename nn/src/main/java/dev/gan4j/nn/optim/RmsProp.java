package dev.gan4j.nn.optim;

import dev.gan4j.autograd.Variable;
import dev.gan4j.tensor.Tensor;
import dev.gan4j.tensor.backend.RmsPropStep;

import java.util.List;
import java.util.Map;

/** RMSprop with optional momentum and centering (PyTorch's torch.optim.RMSprop). */
public final class RmsProp extends Optimizer {

    private double lr;
    private final double alpha;
    private final double eps;
    private final double weightDecay;
    private final double momentum;
    private final boolean centered;

    public RmsProp(List<Variable> params, double lr) {
        this(params, lr, 0.99, 1e-8, 0, 0, false);
    }

    public RmsProp(List<Variable> params, double lr, double alpha, double eps, double weightDecay, double momentum,
                   boolean centered) {
        super(params);
        this.lr = lr;
        this.alpha = alpha;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.momentum = momentum;
        this.centered = centered;
    }

    /** One fused kernel ({@link Tensor#rmsPropStep}) updates the parameter and its state in place, as in {@link Adam}. */
    @Override
    protected Tensor update(Tensor view, Tensor grad, Map<String, Tensor> state, long step) {
        Tensor param = view.dense();
        Tensor squareAvg = state.computeIfAbsent("square_avg", name -> Tensor.zerosLike(param));
        Tensor gradAvg = centered ? state.computeIfAbsent("grad_avg", name -> Tensor.zerosLike(param)) : null;
        Tensor buffer = momentum > 0 ? state.computeIfAbsent("momentum_buffer", name -> Tensor.zerosLike(param)) : null;
        Tensor.rmsPropStep(param, grad, squareAvg, gradAvg, buffer,
                new RmsPropStep(lr, alpha, eps, weightDecay, momentum, centered));
        return param;
    }

    @Override public double learningRate() { return lr; }
    @Override public void setLearningRate(double lr) { this.lr = lr; }
}
