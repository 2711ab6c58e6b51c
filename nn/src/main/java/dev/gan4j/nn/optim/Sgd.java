package dev.gan4j.nn.optim;

import dev.gan4j.autograd.Variable;
import dev.gan4j.tensor.Tensor;

import java.util.List;
import java.util.Map;

/** Stochastic gradient descent with momentum, dampening, Nesterov and weight decay (PyTorch's torch.optim.SGD). */
public final class Sgd extends Optimizer {

    private double lr;
    private final double momentum;
    private final double dampening;
    private final double weightDecay;
    private final boolean nesterov;

    public Sgd(List<Variable> params, double lr) {
        this(params, lr, 0, 0, 0, false);
    }

    public Sgd(List<Variable> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        super(params);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires a momentum and zero dampening");
        }
        this.lr = lr;
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    @Override
    protected Tensor update(Tensor param, Tensor grad, Map<String, Tensor> state, long step) {
        Tensor g = weightDecay != 0 ? grad.add(param.mul(weightDecay)) : grad;
        if (momentum != 0) {
            Tensor previous = state.get("momentum_buffer");
            // The first buffer is a copy: g may be the parameter's .grad itself, which callers may change in place.
            Tensor buffer = previous == null ? g.copy() : previous.mul(momentum).add(g.mul(1 - dampening));
            state.put("momentum_buffer", buffer);
            g = nesterov ? g.add(buffer.mul(momentum)) : buffer;
        }
        return param.sub(g.mul(lr));
    }

    @Override public double learningRate() { return lr; }
    @Override public void setLearningRate(double lr) { this.lr = lr; }
}
