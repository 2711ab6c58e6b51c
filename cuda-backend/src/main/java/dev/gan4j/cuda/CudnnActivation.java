package dev.gan4j.cuda;

import dev.gan4j.tensor.backend.UnaryOp;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnActivationDescriptor;
import jcuda.jcudnn.cudnnTensorDescriptor;

import java.util.EnumMap;
import java.util.Map;

import static jcuda.jcudnn.cudnnActivationMode.CUDNN_ACTIVATION_RELU;
import static jcuda.jcudnn.cudnnActivationMode.CUDNN_ACTIVATION_SIGMOID;
import static jcuda.jcudnn.cudnnActivationMode.CUDNN_ACTIVATION_TANH;
import static jcuda.jcudnn.cudnnNanPropagation.CUDNN_PROPAGATE_NAN;

/** The activations cuDNN has (sigmoid, ReLU, tanh) on dense tensors; other ops and strided views use kernels. */
final class CudnnActivation {

    private static final Map<UnaryOp, Integer> MODES = new EnumMap<>(Map.of(
            UnaryOp.SIGMOID, CUDNN_ACTIVATION_SIGMOID, UnaryOp.RELU, CUDNN_ACTIVATION_RELU,
            UnaryOp.TANH, CUDNN_ACTIVATION_TANH));

    private final Cudnn cudnn;
    private final Map<UnaryOp, cudnnActivationDescriptor> descriptors = new EnumMap<>(UnaryOp.class);

    CudnnActivation(Cudnn cudnn) {
        this.cudnn = cudnn;
    }

    static boolean supports(UnaryOp op) {
        return MODES.containsKey(op);
    }

    /** {@code out[i] = op(x[i])} for {@code n} dense elements starting at the given element offsets. */
    void forward(UnaryOp op, CudaStorage x, int xOffset, CudaStorage out, int outOffset, int n) {
        if (n == 0) return;
        cudnnTensorDescriptor flat = Cudnn.tensor(1, 1, 1, n);
        try {
            CudaStatus.cudnn(JCudnn.cudnnActivationForward(cudnn.handle, descriptor(op), Cudnn.ONE, flat,
                    x.pointer(xOffset), Cudnn.ZERO, flat, out.pointer(outOffset)), "cudnnActivationForward(" + op + ")");
        } finally {
            JCudnn.cudnnDestroyTensorDescriptor(flat);
        }
    }

    private cudnnActivationDescriptor descriptor(UnaryOp op) {
        return descriptors.computeIfAbsent(op, o -> {
            cudnnActivationDescriptor d = new cudnnActivationDescriptor();
            CudaStatus.cudnn(JCudnn.cudnnCreateActivationDescriptor(d), "cudnnCreateActivationDescriptor");
            CudaStatus.cudnn(JCudnn.cudnnSetActivationDescriptor(d, MODES.get(o), CUDNN_PROPAGATE_NAN, 0.0),
                    "cudnnSetActivationDescriptor(" + o + ")");
            return d;
        });
    }
}
