package dev.gan4j.nn.optim;

import dev.gan4j.autograd.Variable;
import dev.gan4j.tensor.Tensor;

import java.util.List;
import java.util.Map;

/** Adam with bias correction, L2 weight decay and optional AMSGrad (PyTorch's torch.optim.Adam). */
public final class Adam extends Optimizer {

    private double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean amsgrad;

    public Adam(List<Variable> params, double lr, double beta1, double beta2) {
        this(params, lr, beta1, beta2, 1e-8, 0, false);
    }

    public Adam(List<Variable> params, double lr, double beta1, double beta2, double eps, double weightDecay,
                boolean amsgrad) {
        super(params);
        if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1) {
            throw new IllegalArgumentException("Adam: betas must be in [0, 1), got (" + beta1 + ", " + beta2 + ")");
        }
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.amsgrad = amsgrad;
    }

    @Override
    protected Tensor update(Tensor param, Tensor grad, Map<String, Tensor> state, long step) {
        Tensor g = weightDecay != 0 ? grad.add(param.mul(weightDecay)) : grad;
        Tensor m = state.getOrDefault("exp_avg", Tensor.zerosLike(param)).mul(beta1).add(g.mul(1 - beta1));
        Tensor v = state.getOrDefault("exp_avg_sq", Tensor.zerosLike(param)).mul(beta2).add(g.mul(g).mul(1 - beta2));
        state.put("exp_avg", m);
        state.put("exp_avg_sq", v);
        if (amsgrad) {
            v = state.getOrDefault("max_exp_avg_sq", Tensor.zerosLike(param)).maximum(v);
            state.put("max_exp_avg_sq", v);
        }
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        Tensor denom = v.sqrt().div(Math.sqrt(biasCorrection2)).add(eps);
        return param.sub(m.div(denom).mul(lr / biasCorrection1));
    }

    @Override public double learningRate() { return lr; }
    @Override public void setLearningRate(double lr) { this.lr = lr; }
}
