package dev.gan4j.cuda;

import dev.gan4j.autograd.Autograd;
import dev.gan4j.autograd.Variable;
import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import dev.gan4j.tensor.backend.Backends;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * GPU-versus-CPU checks, and the base class of the tests made of them: tagged {@code cuda}, with the backend
 * in deterministic mode. The tests tagged {@code cuda} run against whatever CUDA libraries the JVM finds on
 * LD_LIBRARY_PATH: in CI these are the CPU emulations of libcuda, cuBLAS, cuDNN and NVRTC (so the "GPU"
 * results there are emulated), on a GPU machine the real ones — the tests do not change.
 */
@Tag("cuda")
abstract class Differential {

    static final Device CUDA = Device.cuda(0);

    @BeforeAll
    static void deterministicBackend() {
        backend();
    }

    /** The backend under test, in deterministic mode (no TF32, deterministic cuDNN algorithms). */
    static CudaBackend backend() {
        CudaBackend backend = (CudaBackend) Backends.of(CUDA);
        backend.setDeterministic(true);
        return backend;
    }

    static Tensor random(Generator gen, int... shape) {
        return Tensor.normal(gen, 0, 1, DType.F32, Device.CPU, shape);
    }

    /**
     * Runs {@code f} on copies of {@code inputs} on the device, then backpropagates a fixed random weighting
     * of its output; returns the output and the gradient of every input, on the CPU.
     */
    static List<Tensor> forwardBackward(Device device, Function<List<Variable>, Variable> f, Tensor... inputs) {
        List<Variable> leaves = new ArrayList<>();
        for (Tensor t : inputs) leaves.add(Variable.of(t.to(device), true));
        Variable out = f.apply(leaves);
        Tensor weights = Tensor.normal(new Generator(99), 0, 1, DType.F32, device, out.shape());
        List<Variable> grads = Autograd.grad(List.of(out.mul(Variable.constant(weights)).sum()), leaves, null, false);
        List<Tensor> results = new ArrayList<>();
        results.add(onCpu(out.data(), device));
        for (Variable g : grads) results.add(onCpu(g.data(), device));
        return results;
    }

    /** {@link #forwardBackward} on the CPU and on the GPU, compared: output, then each input's gradient. */
    static void check(String what, double rtol, double atol, Function<List<Variable>, Variable> f, Tensor... inputs) {
        List<Tensor> expected = forwardBackward(Device.CPU, f, inputs);
        List<Tensor> actual = forwardBackward(CUDA, f, inputs);
        for (int i = 0; i < expected.size(); i++) {
            assertClose(what + (i == 0 ? " (forward)" : " (gradient of input " + (i - 1) + ")"), expected.get(i),
                    actual.get(i), rtol, atol);
        }
    }

    /** Forward only, for ops without gradients (comparisons, argmax). */
    static void checkForward(String what, double rtol, double atol, Function<Tensor, Tensor> f, Tensor input) {
        assertClose(what, f.apply(input), onCpu(f.apply(input.to(CUDA)), CUDA), rtol, atol);
    }

    /** A copy on the CPU of a result that must have been computed on {@code device}: a silent fallback to
     *  the CPU would otherwise compare the CPU with itself. */
    private static Tensor onCpu(Tensor result, Device device) {
        assertEquals(device, result.device(), "computed on " + device);
        return result.to(Device.CPU);
    }

    /** {@code |actual - expected| <= atol + rtol * |expected|} everywhere; NaN matches NaN. */
    static void assertClose(String what, Tensor expected, Tensor actual, double rtol, double atol) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertEquals(Device.CPU, actual.device(), what + ": compare on the CPU");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            boolean same = Double.isNaN(e[i]) ? Double.isNaN(a[i])
                    : e[i] == a[i] || Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]);
            if (!same) {
                fail(what + ": element " + i + " of shape " + Arrays.toString(expected.shape()) + " is " + a[i]
                        + " on " + CUDA + ", " + e[i] + " on the CPU (rtol " + rtol + ", atol " + atol + ")");
            }
        }
    }
}
