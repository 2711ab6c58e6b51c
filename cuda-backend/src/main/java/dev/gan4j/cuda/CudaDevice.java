package dev.gan4j.cuda;

import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;
import jcuda.runtime.cudaStream_t;

/**
 * One GPU: its primary context (the one cuBLAS and cuDNN use too) and the single stream every kernel,
 * copy and library call is issued on, so work runs in issue order. The driver's current context is
 * per thread, so every entry point calls {@link #makeCurrent()} first.
 */
final class CudaDevice {

    private static final ThreadLocal<CUcontext> CURRENT = new ThreadLocal<>();

    final int index;
    final String name;
    final int computeCapability;
    final CUstream stream = new CUstream();
    private final CUcontext context = new CUcontext();

    CudaDevice(int index) {
        this.index = index;
        CUdevice device = new CUdevice();
        CudaStatus.driver(JCudaDriver.cuDeviceGet(device, index), "cuDeviceGet(" + index + ")");
        CudaStatus.driver(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
        makeCurrent();
        CudaStatus.driver(JCudaDriver.cuStreamCreate(stream, 0), "cuStreamCreate");
        this.name = CudaProbe.deviceName(device);
        this.computeCapability = CudaProbe.computeCapability(device);
    }

    /** Binds this device's primary context to the calling thread (once per thread and device switch). */
    void makeCurrent() {
        if (CURRENT.get() != context) {
            CudaStatus.driver(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
            CURRENT.set(context);
        }
    }

    /** The stream in the runtime API's type, which cuBLAS and cuDNN take. */
    cudaStream_t runtimeStream() {
        return new cudaStream_t(stream);
    }

    /** Waits until all issued work is done; errors of earlier kernels surface here. */
    void synchronize() {
        CudaStatus.driver(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    /** Host to device; synchronous, so the Java array may be reused when it returns. */
    void upload(Pointer host, CUdeviceptr device, long bytes) {
        if (bytes == 0) return;
        synchronize();
        CudaStatus.driver(JCudaDriver.cuMemcpyHtoD(device, host, bytes), "cuMemcpyHtoD");
    }

    /** Device to host, after all issued work. */
    void download(CUdeviceptr device, Pointer host, long bytes) {
        if (bytes == 0) return;
        synchronize();
        CudaStatus.driver(JCudaDriver.cuMemcpyDtoH(host, device, bytes), "cuMemcpyDtoH");
    }

    /** Sets {@code count} 32-bit words to {@code bits}, in stream order. */
    void fillWords(CUdeviceptr device, int bits, long count) {
        if (count == 0) return;
        CudaStatus.driver(JCudaDriver.cuMemsetD32Async(device, bits, count, stream), "cuMemsetD32Async");
    }
}
