package dev.gan4j.cuda;

import dev.gan4j.tensor.backend.BatchNormShape;
import jcuda.Pointer;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnTensorDescriptor;

import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

import static jcuda.jcudnn.cudnnBatchNormMode.CUDNN_BATCHNORM_SPATIAL;

/**
 * Batch normalisation on cuDNN's spatial mode: the engine's dense {@code [N, C, S]} is the NCHW tensor
 * {@code (N, C, S, 1)}, statistics per channel. cuDNN's running-average factor is PyTorch's momentum, and
 * like PyTorch it updates the running variance with the unbiased batch variance (cuda-notes 3.8).
 */
final class CudnnBatchNorm {

    /** PyTorch's default, for saved statistics this backend did not compute (none today). */
    private static final double DEFAULT_EPSILON = 1e-5;

    private final Cudnn cudnn;
    private final Map<BatchNormShape, Descriptors> descriptors = new HashMap<>();
    /**
     * The epsilon each forward pass saved its statistics with: cuDNN documents that backward must be given the
     * same one, and the backend interface carries no epsilon there. Weak keys: the entry goes with the storage.
     */
    private final Map<CudaStorage, Double> savedEpsilon = new WeakHashMap<>();

    CudnnBatchNorm(Cudnn cudnn) {
        this.cudnn = cudnn;
    }

    /** The input/output descriptor and the derived per-channel one. */
    private record Descriptors(cudnnTensorDescriptor data, cudnnTensorDescriptor channels) {}

    private Descriptors descriptors(BatchNormShape s) {
        return descriptors.computeIfAbsent(s, shape -> {
            cudnnTensorDescriptor data = Cudnn.tensor(s.batch(), s.channels(), s.spatial(), 1);
            cudnnTensorDescriptor channels = new cudnnTensorDescriptor();
            CudaStatus.cudnn(JCudnn.cudnnCreateTensorDescriptor(channels), "cudnnCreateTensorDescriptor");
            CudaStatus.cudnn(JCudnn.cudnnDeriveBNTensorDescriptor(channels, data, CUDNN_BATCHNORM_SPATIAL),
                    "cudnnDeriveBNTensorDescriptor");
            return new Descriptors(data, channels);
        });
    }

    void training(CudaStorage x, CudaStorage gamma, CudaStorage beta, CudaStorage runningMean, CudaStorage runningVar,
                  double momentum, double eps, CudaStorage y, CudaStorage saveMean, CudaStorage saveInvStd,
                  BatchNormShape s) {
        Descriptors d = descriptors(s);
        CudaStatus.cudnn(JCudnn.cudnnBatchNormalizationForwardTraining(cudnn.handle, CUDNN_BATCHNORM_SPATIAL,
                Cudnn.ONE, Cudnn.ZERO, d.data, x.pointer(0), d.data, y.pointer(0), d.channels, gamma.pointer(0),
                beta.pointer(0), momentum, orNull(runningMean), orNull(runningVar), eps, saveMean.pointer(0),
                saveInvStd.pointer(0)), "cudnnBatchNormalizationForwardTraining " + s);
        savedEpsilon.put(saveInvStd, eps);
    }

    void inference(CudaStorage x, CudaStorage gamma, CudaStorage beta, CudaStorage runningMean, CudaStorage runningVar,
                   double eps, CudaStorage y, BatchNormShape s) {
        if (s.batch() == 0) return;
        Descriptors d = descriptors(s);
        CudaStatus.cudnn(JCudnn.cudnnBatchNormalizationForwardInference(cudnn.handle, CUDNN_BATCHNORM_SPATIAL,
                Cudnn.ONE, Cudnn.ZERO, d.data, x.pointer(0), d.data, y.pointer(0), d.channels, gamma.pointer(0),
                beta.pointer(0), runningMean.pointer(0), runningVar.pointer(0), eps),
                "cudnnBatchNormalizationForwardInference " + s);
    }

    void backward(CudaStorage x, CudaStorage gy, CudaStorage gamma, CudaStorage saveMean, CudaStorage saveInvStd,
                  CudaStorage gx, CudaStorage gGamma, CudaStorage gBeta, BatchNormShape s) {
        Descriptors d = descriptors(s);
        CudaStatus.cudnn(JCudnn.cudnnBatchNormalizationBackward(cudnn.handle, CUDNN_BATCHNORM_SPATIAL,
                Cudnn.ONE, Cudnn.ZERO, Cudnn.ONE, Cudnn.ZERO, d.data, x.pointer(0), d.data, gy.pointer(0), d.data,
                gx.pointer(0), d.channels, gamma.pointer(0), gGamma.pointer(0), gBeta.pointer(0),
                savedEpsilon.getOrDefault(saveInvStd, DEFAULT_EPSILON),
                saveMean.pointer(0), saveInvStd.pointer(0)), "cudnnBatchNormalizationBackward " + s);
    }

    private static Pointer orNull(CudaStorage s) {
        return s == null ? null : s.pointer(0);
    }
}
