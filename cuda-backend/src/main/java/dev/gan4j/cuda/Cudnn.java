package dev.gan4j.cuda;

import jcuda.Pointer;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnHandle;
import jcuda.jcudnn.cudnnTensorDescriptor;

import static jcuda.jcudnn.cudnnDataType.CUDNN_DATA_FLOAT;
import static jcuda.jcudnn.cudnnTensorFormat.CUDNN_TENSOR_NCHW;

/** The device's cuDNN handle (bound to its stream) and the float32 NCHW descriptors every cuDNN call needs. */
final class Cudnn {

    static final Pointer ONE = Pointer.to(new float[] {1f});
    static final Pointer ZERO = Pointer.to(new float[] {0f});

    final cudnnHandle handle = new cudnnHandle();

    Cudnn(CudaDevice device) {
        CudaStatus.cudnn(JCudnn.cudnnCreate(handle), "cudnnCreate");
        CudaStatus.cudnn(JCudnn.cudnnSetStream(handle, device.runtimeStream()), "cudnnSetStream");
    }

    static cudnnTensorDescriptor tensor(int n, int c, int h, int w) {
        cudnnTensorDescriptor d = new cudnnTensorDescriptor();
        CudaStatus.cudnn(JCudnn.cudnnCreateTensorDescriptor(d), "cudnnCreateTensorDescriptor");
        CudaStatus.cudnn(JCudnn.cudnnSetTensor4dDescriptor(d, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT, n, c, h, w),
                "cudnnSetTensor4dDescriptor(" + n + ", " + c + ", " + h + ", " + w + ")");
        return d;
    }

    /** Weights {@code [out, in, kh, kw]}; note the data type comes before the format here. */
    static cudnnFilterDescriptor filter(int out, int in, int kh, int kw) {
        cudnnFilterDescriptor d = new cudnnFilterDescriptor();
        CudaStatus.cudnn(JCudnn.cudnnCreateFilterDescriptor(d), "cudnnCreateFilterDescriptor");
        CudaStatus.cudnn(JCudnn.cudnnSetFilter4dDescriptor(d, CUDNN_DATA_FLOAT, CUDNN_TENSOR_NCHW, out, in, kh, kw),
                "cudnnSetFilter4dDescriptor(" + out + ", " + in + ", " + kh + ", " + kw + ")");
        return d;
    }
}
