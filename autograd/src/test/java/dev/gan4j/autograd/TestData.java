package dev.gan4j.autograd;

import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;

/** Seeded float64 test inputs, including non-contiguous views with the same values. */
final class TestData {

    private final Generator gen;

    TestData(long seed) {
        gen = new Generator(seed);
    }

    Tensor randn(int... shape) {
        return Tensor.normal(gen, 0, 1, DType.F64, Device.CPU, shape);
    }

    /** Uniform in [low, high). */
    Tensor uniform(double low, double high, int... shape) {
        return Tensor.uniform(gen, low, high, DType.F64, Device.CPU, shape);
    }

    /** Positive values in [0.5, 2): for log, sqrt, division, fractional powers. */
    Tensor positive(int... shape) {
        return uniform(0.5, 2, shape);
    }

    /** Values with |x| in [0.2, 1.5) and random sign: away from the kinks of relu, abs and friends. */
    Tensor awayFromZero(int... shape) {
        Tensor magnitude = uniform(0.2, 1.5, shape);
        Tensor sign = uniform(-1, 1, shape).sign();
        return magnitude.mul(sign);
    }

    /** A 0/1 mask. */
    Tensor mask(int... shape) {
        return uniform(0, 1, shape).gt(0.5);
    }

    static Tensor f64(double[] values, int... shape) {
        return Tensor.fromArray(values, shape);
    }

    /** The same values as a transposed (non-contiguous) view; rank >= 2. */
    static Tensor transposed(Tensor t) {
        Tensor view = t.transpose(-1, -2).contiguous().transpose(-1, -2);
        if (view.layout().isContiguous() && t.size(-1) > 1 && t.size(-2) > 1) throw new AssertionError("still contiguous");
        return view;
    }

    /** The same values as every second slice of dim 0 of a larger tensor, at an offset. */
    static Tensor strided(Tensor t) {
        int[] shape = t.shape();
        shape[0] = 2 * shape[0] + 1;
        Tensor base = Tensor.full(Double.NaN, t.dtype(), t.device(), shape);
        Tensor view = base.slice(0, 1, shape[0], 2);
        view.assign(t);
        return view;
    }
}
