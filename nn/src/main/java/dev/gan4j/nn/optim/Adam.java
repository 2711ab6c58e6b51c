package dev.gan4j.nn.optim;

import dev.gan4j.autograd.Variable;
import dev.gan4j.tensor.Tensor;
import dev.gan4j.tensor.backend.AdamStep;

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

    /**
     * One fused kernel ({@link Tensor#adamStep}) updates the parameter and its moments in place; a parameter
     * that is a view (not dense) is updated in a dense copy, which {@link Optimizer#step} writes back.
     */
    @Override
    protected Tensor update(Tensor view, Tensor grad, Map<String, Tensor> state, long step) {
        Tensor param = view.dense();
        Tensor expAvg = state.computeIfAbsent("exp_avg", name -> Tensor.zerosLike(param));
        Tensor expAvgSq = state.computeIfAbsent("exp_avg_sq", name -> Tensor.zerosLike(param));
        Tensor maxExpAvgSq = amsgrad ? state.computeIfAbsent("max_exp_avg_sq", name -> Tensor.zerosLike(param)) : null;
        Tensor.adamStep(param, grad, expAvg, expAvgSq, maxExpAvgSq,
                new AdamStep(lr, beta1, beta2, eps, weightDecay, amsgrad, step));
        return param;
    }

    @Override public double learningRate() { return lr; }
    @Override public void setLearningRate(double lr) { this.lr = lr; }
}
