package dev.gan4j.cuda.check;

import dev.gan4j.cuda.CudaBackend;
import dev.gan4j.tensor.ConvParams;
import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import dev.gan4j.tensor.backend.Backends;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Times sgemm, a DCGAN-sized convolution and batch norm on cuda:0 and on the CPU, side by side in one run,
 * for the one-shot GPU check: the median of ten runs after three warm-ups, waiting for the device after each.
 * A measurement, not a test; {@code --quick} uses small sizes (for checking the bundle without a GPU).
 */
public final class DeviceTimings {

    private DeviceTimings() {}

    /** Builds one timed operation's inputs on a device and returns the operation. */
    private interface Workload extends Function<Device, Supplier<Tensor>> {}

    public static void main(String[] args) {
        boolean quick = Arrays.asList(args).contains("--quick");
        int n = quick ? 64 : 2048;
        int batch = quick ? 2 : 64;
        Device cuda = Device.cuda(0);
        System.out.println("cpu: " + Backends.of(Device.CPU).name() + "; cuda: " + Backends.of(cuda).name());
        System.out.printf(Locale.ROOT, "%-44s %12s %12s %10s%n", "operation", "cpu ms", "cuda ms", "cpu/cuda");
        report("sgemm " + n + "x" + n + "x" + n, d -> {
            Tensor a = random(d, n, n);
            Tensor b = random(d, n, n);
            return () -> a.matmul(b);
        }, cuda);
        report("conv2d [" + batch + ",128,16,16] * [256,128,4,4] stride 2", d -> {
            Tensor x = random(d, batch, 128, 16, 16);
            Tensor w = random(d, 256, 128, 4, 4);
            return () -> Tensor.conv2d(x, w, null, ConvParams.of(2, 1));
        }, cuda);
        report("batch norm training [" + batch + ",256,8,8]", d -> {
            Tensor x = random(d, batch, 256, 8, 8);
            Tensor gamma = Tensor.full(1, DType.F32, d, 256);
            Tensor beta = Tensor.zeros(DType.F32, d, 256);
            return () -> Tensor.batchNormTraining(x, gamma, beta, null, null, 0.1, 1e-5).output();
        }, cuda);
    }

    private static void report(String name, Workload workload, Device cuda) {
        double cpu = medianMillis(workload.apply(Device.CPU), Device.CPU);
        double gpu = medianMillis(workload.apply(cuda), cuda);
        System.out.printf(Locale.ROOT, "%-44s %12.3f %12.3f %10.1f%n", name, cpu, gpu, cpu / gpu);
    }

    private static double medianMillis(Supplier<Tensor> op, Device device) {
        double[] ms = new double[10];
        for (int i = -3; i < ms.length; i++) {
            long start = System.nanoTime();
            op.get();
            if (Backends.of(device) instanceof CudaBackend gpu) gpu.synchronize();
            if (i >= 0) ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return (ms[4] + ms[5]) / 2;
    }

    private static Tensor random(Device device, int... shape) {
        return Tensor.normal(new Generator(1), 0, 1, DType.F32, Device.CPU, shape).to(device);
    }
}
