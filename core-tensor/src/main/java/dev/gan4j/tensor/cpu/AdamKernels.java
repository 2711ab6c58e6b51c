package dev.gan4j.tensor.cpu;

import dev.gan4j.tensor.backend.AdamStep;

/**
 * Adam's update in one pass over the parameter, its gradient and its moments (see
 * {@link dev.gan4j.tensor.backend.Backend#adamStep}). It is memory-bound: as a chain of tensor ops it read
 * and wrote whole parameter-sized tensors thirteen times, here each element is read and written once.
 * float32 runs through the Vector API when present ({@link AdamVector}); the rest, and float64, element
 * by element in double with every result rounded to the storage's precision, which for these operations
 * (+, -, *, /, sqrt, max) gives exactly the float32 result, so both paths agree to the bit.
 */
final class AdamKernels {

    /** Below this many elements the update stays on the calling thread (as elementwise ops do). */
    private static final int GRAIN = 32 * 1024;

    private AdamKernels() {}

    static void step(CpuStorage p, CpuStorage g, CpuStorage m, CpuStorage v, CpuStorage vmax, int size, AdamStep h) {
        if (p.f32 != null && VectorSupport.PRESENT) {
            Parallel.forRange(size, GRAIN, (from, to) -> {
                int tail = AdamVector.step(p.f32, g.f32, m.f32, v.f32, vmax == null ? null : vmax.f32, from, to, h);
                scalar(p, g, m, v, vmax, tail, to, h);
            });
        } else {
            Parallel.forRange(size, GRAIN, (from, to) -> scalar(p, g, m, v, vmax, from, to, h));
        }
    }

    /** Elements {@code [from, to)}, one at a time. */
    static void scalar(CpuStorage p, CpuStorage g, CpuStorage m, CpuStorage v, CpuStorage vmax, int from, int to,
                       AdamStep h) {
        Rounding r = p.f32 != null ? Rounding.FLOAT : Rounding.DOUBLE;
        double decay = r.round(h.weightDecay());
        double beta1 = r.round(h.beta1()), rest1 = r.round(1 - h.beta1());
        double beta2 = r.round(h.beta2()), rest2 = r.round(1 - h.beta2());
        double correction2 = r.round(h.biasCorrection2Sqrt()), eps = r.round(h.eps()), stepSize = r.round(h.stepSize());
        for (int i = from; i < to; i++) {
            double param = p.get(i);
            double grad = h.weightDecay() != 0 ? r.add(g.get(i), r.mul(param, decay)) : g.get(i);
            double avg = r.add(r.mul(m.get(i), beta1), r.mul(grad, rest1));
            double avgSq = r.add(r.mul(v.get(i), beta2), r.mul(r.mul(grad, grad), rest2));
            m.set(i, avg);
            v.set(i, avgSq);
            if (vmax != null) {
                avgSq = Math.max(vmax.get(i), avgSq);
                vmax.set(i, avgSq);
            }
            double denom = r.add(r.div(r.round(Math.sqrt(avgSq)), correction2), eps);
            p.set(i, r.sub(param, r.mul(r.div(avg, denom), stepSize)));
        }
    }

    /** Arithmetic in double, rounded after each operation to the storage's precision. */
    private enum Rounding {
        FLOAT, DOUBLE;

        double round(double x) {
            return this == FLOAT ? (float) x : x;
        }

        double add(double a, double b) { return round(a + b); }
        double sub(double a, double b) { return round(a - b); }
        double mul(double a, double b) { return round(a * b); }
        double div(double a, double b) { return round(a / b); }
    }
}
