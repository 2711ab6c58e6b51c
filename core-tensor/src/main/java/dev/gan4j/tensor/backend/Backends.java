package dev.gan4j.tensor.backend;

import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.cpu.CpuBackend;
import dev.gan4j.tensor.cpu.Parallel;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** Picks the backend for a device: the built-in CPU backend, or one found with {@link ServiceLoader}. */
public final class Backends {

    private static final Map<Device, Backend> BY_DEVICE = new ConcurrentHashMap<>();
    private static volatile List<BackendProvider> providers;
    private static volatile UnaryOperator<Backend> decorator;

    private Backends() {}

    public static Backend cpu() {
        return decorated(CpuBackend.INSTANCE);
    }

    /** Worker threads of the CPU backend (from {@code -Dgan4j.threads}, else the number of cores). */
    public static int cpuThreads() {
        return Parallel.threads();
    }

    /**
     * Resizes the CPU backend's thread pool (the command line's {@code --threads}) to {@code threads}, but
     * never beyond the processors this JVM may use: the kernels are compute-bound, so threads beyond the
     * cores only take turns on them (measured: 4 threads on 2 cores made a step 7% slower).
     *
     * @return the pool size now in use; less than {@code threads} when capped
     */
    public static int setCpuThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        int used = Math.min(threads, Runtime.getRuntime().availableProcessors());
        Parallel.setThreads(used);
        return used;
    }

    public static Backend of(Device device) {
        if (device.kind() == Device.Kind.CPU) return cpu();
        return decorated(BY_DEVICE.computeIfAbsent(device, d -> {
            BackendProvider provider = provider(d.kind());
            if (provider == null) {
                throw new IllegalStateException("no backend for device " + d
                        + ": the " + d.kind().name().toLowerCase() + " backend module is not on the class path");
            }
            String reason = provider.unavailableReason();
            if (reason != null) throw new IllegalStateException("device " + d + " is not usable: " + reason);
            return provider.backend(d);
        }));
    }

    /**
     * From now on, hands out every backend wrapped by {@code decorator} (null: plain again). Tensors ask
     * for their backend at every op, so this is how the profiler ({@code dev.gan4j.tensor.profile}) puts
     * a timing decorator between the tensor layer and the kernels without either knowing.
     */
    public static void setDecorator(UnaryOperator<Backend> decorator) {
        Backends.decorator = decorator;
    }

    private static Backend decorated(Backend plain) {
        UnaryOperator<Backend> d = decorator;
        return d == null ? plain : d.apply(plain);
    }

    /** The provider for a kind of device, or null when none is on the class path. */
    public static BackendProvider provider(Device.Kind kind) {
        for (BackendProvider p : providers()) {
            if (p.kind() == kind) return p;
        }
        return null;
    }

    public static List<BackendProvider> providers() {
        List<BackendProvider> found = providers;
        if (found == null) {
            found = ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get).toList();
            providers = found;
        }
        return found;
    }

    /**
     * Resolves a device request: {@code cpu}, {@code cuda[:N]} (an error when unusable), or {@code auto}
     * (CUDA when usable, else the CPU with one line on stderr saying why).
     */
    public static Device resolve(String request) {
        if (!request.trim().equalsIgnoreCase("auto")) {
            Device device = Device.parse(request);
            of(device);
            return device;
        }
        BackendProvider cuda = provider(Device.Kind.CUDA);
        String reason = cuda == null ? "cuda-backend is not on the class path" : cuda.unavailableReason();
        if (reason == null) return Device.cuda(0);
        System.err.println("gan4j: no usable GPU (" + reason + "); running on the CPU");
        return Device.CPU;
    }
}
