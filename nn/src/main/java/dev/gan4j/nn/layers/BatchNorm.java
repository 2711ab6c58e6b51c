package dev.gan4j.nn.layers;

import dev.gan4j.autograd.Functional;
import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.Module;
import dev.gan4j.tensor.Tensor;

import java.util.Arrays;

/**
 * Batch normalisation over channel dim 1, with PyTorch's parameters and buffers: {@code weight},
 * {@code bias} (when affine), {@code running_mean}, {@code running_var}, {@code num_batches_tracked}
 * (when tracking). Training mode uses batch statistics and updates the running ones with
 * {@code running = (1 - momentum) * running + momentum * batch}; eval mode uses the running ones.
 */
public abstract class BatchNorm extends Module {

    private final int expectedRank;
    private final double eps;
    private final double momentum;

    protected BatchNorm(int expectedRank, int features, double eps, double momentum, boolean affine,
                        boolean trackRunningStats) {
        this.expectedRank = expectedRank;
        this.eps = eps;
        this.momentum = momentum;
        if (affine) {
            registerParameter("weight", Tensor.ones(features));
            registerParameter("bias", Tensor.zeros(features));
        }
        if (trackRunningStats) {
            registerBuffer("running_mean", Tensor.zeros(features));
            registerBuffer("running_var", Tensor.ones(features));
            registerBuffer("num_batches_tracked", Tensor.zeros());
        }
    }

    @Override
    public Variable forward(Variable x) {
        if (x.rank() != expectedRank && !(expectedRank == 2 && x.rank() == 3)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected a " + expectedRank
                    + "-D input, got shape " + Arrays.toString(x.shape()));
        }
        boolean useBatchStats = isTraining() || buffer("running_mean") == null;
        Variable y = Functional.batchNorm(x, buffer("running_mean"),
                buffer("running_var"), parameter("weight"), parameter("bias"), useBatchStats, momentum, eps);
        // Counted after the batch norm succeeded, so a rejected batch (one value per channel) changes nothing
        // (PyTorch counts it before checking).
        if (isTraining() && buffer("num_batches_tracked") != null) {
            Tensor count = buffer("num_batches_tracked");
            count.assign(count.add(1));
        }
        return y;
    }

    @Override
    protected String describe() {
        return "eps=" + eps + ", momentum=" + momentum + ", affine=" + (parameter("weight") != null);
    }
}
