package dev.gan4j.nn.optim;

import dev.gan4j.autograd.Variable;
import dev.gan4j.tensor.Tensor;

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

    @Override
    protected Tensor update(Tensor param, Tensor grad, Map<String, Tensor> state, long step) {
        Tensor g = weightDecay != 0 ? grad.add(param.mul(weightDecay)) : grad;
        Tensor squareAvg = state.getOrDefault("square_avg", Tensor.zerosLike(param)).mul(alpha).add(g.mul(g).mul(1 - alpha));
        state.put("square_avg", squareAvg);
        Tensor meanSquare = squareAvg;
        if (centered) {
            Tensor gradAvg = state.getOrDefault("grad_avg", Tensor.zerosLike(param)).mul(alpha).add(g.mul(1 - alpha));
            state.put("grad_avg", gradAvg);
            meanSquare = squareAvg.sub(gradAvg.mul(gradAvg));
        }
        Tensor avg = meanSquare.sqrt().add(eps);
        if (momentum > 0) {
            Tensor buffer = state.getOrDefault("momentum_buffer", Tensor.zerosLike(param)).mul(momentum).add(g.div(avg));
            state.put("momentum_buffer", buffer);
            return param.sub(buffer.mul(lr));
        }
        return param.sub(g.div(avg).mul(lr));
    }

    @Override public double learningRate() { return lr; }
    @Override public void setLearningRate(double lr) { this.lr = lr; }
}
