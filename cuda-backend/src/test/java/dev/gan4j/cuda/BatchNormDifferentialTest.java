package dev.gan4j.cuda;

import dev.gan4j.autograd.Functional;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Backend methods batchNormTraining, batchNormInference and batchNormBackward (cuDNN spatial batch norm)
 * against the CPU: 2-D and 1-D inputs, with and without affine parameters, the running statistics after
 * several momentum updates (PyTorch semantics, unbiased running variance), and the gradients of input,
 * gamma and beta. rtol 1e-4, atol 1e-4.
 */
class BatchNormDifferentialTest extends Differential {

    private static final double RTOL = 1e-4;
    private static final double ATOL = 1e-4;

    @Test
    void trainingForwardAndGradients2d() {
        Generator gen = new Generator(41);
        Tensor x = random(gen, 4, 3, 5, 6).mul(2).add(1);
        check("batch norm 2d", RTOL, ATOL, v -> Functional.batchNorm(v.get(0), null, null, v.get(1), v.get(2), true, 0.1, 1e-5),
                x, random(gen, 3), random(gen, 3));
        check("batch norm 1d, no affine", RTOL, ATOL, v -> Functional.batchNorm(v.get(0), null, null, null, null, true, 0.1, 1e-5),
                random(gen, 9, 7));
    }

    /**
     * The smallest batches: training with two values per channel (the running variance's n/(n-1) is 2; one value
     * is refused by the tensor layer, as in PyTorch, before any backend is called) and inference on one.
     */
    @Test
    void smallestBatchesPerChannel() {
        Generator gen = new Generator(45);
        check("batch norm training, N*H*W = 2", RTOL, ATOL,
                v -> Functional.batchNorm(v.get(0), null, null, v.get(1), v.get(2), true, 0.1, 1e-5),
                random(gen, 2, 3), random(gen, 3), random(gen, 3));
        Tensor mean = random(gen, 3);
        Tensor var = random(gen, 3).abs().add(0.5);
        Tensor x = random(gen, 1, 3, 1, 1);
        assertClose("batch norm inference, N*H*W = 1", Tensor.batchNormInference(x, null, null, mean, var, 1e-5),
                Tensor.batchNormInference(x.to(CUDA), null, null, mean.to(CUDA), var.to(CUDA), 1e-5).to(Device.CPU),
                RTOL, ATOL);
    }

    /** cuDNN wants backward to get the forward's epsilon (the emulation refuses another one). */
    @Test
    void backwardUsesTheEpsilonOfTheForwardPass() {
        Generator gen = new Generator(44);
        check("batch norm with eps 0.1", RTOL, ATOL, v -> Functional.batchNorm(v.get(0), null, null, v.get(1), v.get(2), true,
                0.1, 0.1), random(gen, 3, 2, 2, 2), random(gen, 2), random(gen, 2));
    }

    @Test
    void runningStatisticsFollowPyTorchMomentumAndInferenceUsesThem() {
        Generator gen = new Generator(42);
        Tensor cpuMean = Tensor.zeros(5);
        Tensor cpuVar = Tensor.ones(5);
        Tensor gpuMean = cpuMean.to(CUDA);
        Tensor gpuVar = cpuVar.to(CUDA);
        Tensor gamma = random(gen, 5);
        Tensor beta = random(gen, 5);
        for (int step = 0; step < 3; step++) {
            Tensor x = random(gen, 6, 5, 2, 3).mul(step + 1).add(step);
            Tensor.BatchNormResult cpu = Tensor.batchNormTraining(x, gamma, beta, cpuMean, cpuVar, 0.3, 1e-5);
            Tensor.BatchNormResult gpu = Tensor.batchNormTraining(x.to(CUDA), gamma.to(CUDA), beta.to(CUDA), gpuMean,
                    gpuVar, 0.3, 1e-5);
            assertClose("output, step " + step, cpu.output(), gpu.output().to(Device.CPU), RTOL, ATOL);
            assertClose("saved mean, step " + step, cpu.mean(), gpu.mean().to(Device.CPU), RTOL, ATOL);
            assertClose("saved inverse std, step " + step, cpu.invStd(), gpu.invStd().to(Device.CPU), RTOL, ATOL);
        }
        assertClose("running mean", cpuMean, gpuMean.to(Device.CPU), RTOL, ATOL);
        assertClose("running var", cpuVar, gpuVar.to(Device.CPU), RTOL, ATOL);
        Tensor x = random(gen, 2, 5, 3, 3);
        assertClose("inference", Tensor.batchNormInference(x, gamma, beta, cpuMean, cpuVar, 1e-5),
                Tensor.batchNormInference(x.to(CUDA), gamma.to(CUDA), beta.to(CUDA), gpuMean, gpuVar, 1e-5).to(Device.CPU),
                RTOL, ATOL);
    }

    @Test
    void inferenceGradientsThroughRunningStatistics() {
        Generator gen = new Generator(43);
        Tensor mean = random(gen, 4);
        Tensor var = random(gen, 4).abs().add(0.5);
        check("eval-mode batch norm", RTOL, ATOL, v -> Functional.batchNorm(v.get(0),
                        v.get(0).device().equals(CUDA) ? mean.to(CUDA) : mean, v.get(0).device().equals(CUDA) ? var.to(CUDA) : var,
                        v.get(1), v.get(2), false, 0.1, 1e-5),
                random(gen, 3, 4, 2, 2), random(gen, 4), random(gen, 4));
    }
}
