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
import static jcuda.jcudnn.cudnnDataType.CUDNN_DATA_FLOAT;
import static jcuda.jcudnn.cudnnNanPropagation.CUDNN_PROPAGATE_NAN;
import static jcuda.jcudnn.cudnnTensorFormat.CUDNN_TENSOR_NCHW;

/** The activations cuDNN has (sigmoid, ReLU, tanh) on dense tensors; other ops and strided views use kernels. */
final class CudnnActivation {

    private static final Map<UnaryOp, Integer> MODES = new EnumMap<>(Map.of(
            UnaryOp.SIGMOID, CUDNN_ACTIVATION_SIGMOID, UnaryOp.RELU, CUDNN_ACTIVATION_RELU,
            UnaryOp.TANH, CUDNN_ACTIVATION_TANH));

    private final Cudnn cudnn;
    private final Map<UnaryOp, cudnnActivationDescriptor> descriptors = new EnumMap<>(UnaryOp.class);
    /** The flat {@code (1, 1, 1, n)} descriptor, created once and reset when {@code n} changes. */
    private final cudnnTensorDescriptor flat = new cudnnTensorDescriptor();
    private int flatSize;

    CudnnActivation(Cudnn cudnn) {
        this.cudnn = cudnn;
        CudaStatus.cudnn(JCudnn.cudnnCreateTensorDescriptor(flat), "cudnnCreateTensorDescriptor");
    }

    static boolean supports(UnaryOp op) {
        return MODES.containsKey(op);
    }

    /** {@code out[i] = op(x[i])} for {@code n} dense elements starting at the given element offsets. */
    void forward(UnaryOp op, CudaStorage x, int xOffset, CudaStorage out, int outOffset, int n) {
        if (n == 0) return;
        if (n != flatSize) {
            CudaStatus.cudnn(JCudnn.cudnnSetTensor4dDescriptor(flat, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT, 1, 1, 1, n),
                    "cudnnSetTensor4dDescriptor(1, 1, 1, " + n + ")");
            flatSize = n;
        }
        CudaStatus.cudnn(JCudnn.cudnnActivationForward(cudnn.handle, descriptor(op), Cudnn.ONE, flat,
                x.pointer(xOffset), Cudnn.ZERO, flat, out.pointer(outOffset)), "cudnnActivationForward(" + op + ")");
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
