package dev.gan4j.cuda;

import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.backend.Backend;
import dev.gan4j.tensor.backend.BackendProvider;

import java.util.Map;

/**
 * Offers {@link CudaBackend} to {@code Backends} through {@link java.util.ServiceLoader}. Nothing here
 * touches JCuda until the probe runs, and after a failed probe nothing does.
 */
public final class CudaBackendProvider implements BackendProvider {

    @Override
    public Device.Kind kind() {
        return Device.Kind.CUDA;
    }

    @Override
    public String unavailableReason() {
        return CudaProbe.result().unavailableReason();
    }

    @Override
    public Backend backend(Device device) {
        CudaProbe.Result probe = CudaProbe.result();
        if (probe.unavailableReason() != null) {
            throw new IllegalStateException("device " + device + " is not usable: " + probe.unavailableReason());
        }
        if (device.index() >= probe.deviceCount()) {
            throw new IllegalArgumentException("device " + device + " does not exist: this machine has "
                    + probe.deviceCount() + " CUDA device(s), cuda:0 to cuda:" + (probe.deviceCount() - 1));
        }
        Map<String, String> d = probe.details();
        return new CudaBackend(device, "cuBLAS " + d.get("cuBLAS") + ", cuDNN " + d.get("cuDNN") + ", NVRTC " + d.get("NVRTC"));
    }

    @Override
    public Map<String, String> details() {
        return CudaProbe.result().details();
    }
}
