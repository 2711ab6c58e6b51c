package dev.gan4j.tensor.cpu;

import dev.gan4j.tensor.backend.AdamStep;
import dev.gan4j.tensor.backend.RmsPropStep;

/**
 * The optimisers' updates, each in one pass over a parameter, its gradient and its state (see
 * {@link dev.gan4j.tensor.backend.Backend#adamStep}). They are memory-bound: as chains of tensor ops they
 * read and wrote whole parameter-sized tensors nine to thirteen times, here each element is read and
 * written once. float32 runs through the Vector API when present ({@link OptimizerVector}); the rest, and
 * float64, element by element in double with every result rounded to the storage's precision, which for
 * these operations (+, -, *, /, sqrt, max) gives exactly the float32 result, so both paths agree to the bit.
 */
final class OptimizerKernels {

    /** Below this many elements an update stays on the calling thread (as elementwise ops do). */
    private static final int GRAIN = 32 * 1024;

    private OptimizerKernels() {}

    static void adam(CpuStorage p, CpuStorage g, CpuStorage m, CpuStorage v, CpuStorage vmax, int size, AdamStep h) {
        Parallel.forRange(size, GRAIN, (from, to) -> {
            int tail = from;
            if (p.f32 != null && VectorSupport.PRESENT) {
                tail = OptimizerVector.adam(p.f32, g.f32, m.f32, v.f32, vmax == null ? null : vmax.f32, from, to, h);
            }
            adamScalar(p, g, m, v, vmax, tail, to, h);
        });
    }

    static void rmsProp(CpuStorage p, CpuStorage g, CpuStorage sq, CpuStorage ga, CpuStorage buf, int size,
                        RmsPropStep h) {
        Parallel.forRange(size, GRAIN, (from, to) -> {
            int tail = from;
            if (p.f32 != null && VectorSupport.PRESENT) {
                tail = OptimizerVector.rmsProp(p.f32, g.f32, sq.f32, ga == null ? null : ga.f32,
                        buf == null ? null : buf.f32, from, to, h);
            }
            rmsPropScalar(p, g, sq, ga, buf, tail, to, h);
        });
    }

    /** Adam on elements {@code [from, to)}, one at a time. */
    static void adamScalar(CpuStorage p, CpuStorage g, CpuStorage m, CpuStorage v, CpuStorage vmax, int from, int to,
                           AdamStep h) {
        Rounding r = Rounding.of(p);
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

    /** RMSprop on elements {@code [from, to)}, one at a time. */
    static void rmsPropScalar(CpuStorage p, CpuStorage g, CpuStorage sq, CpuStorage ga, CpuStorage buf, int from,
                              int to, RmsPropStep h) {
        Rounding r = Rounding.of(p);
        double decay = r.round(h.weightDecay()), alpha = r.round(h.alpha()), rest = r.round(1 - h.alpha());
        double eps = r.round(h.eps()), momentum = r.round(h.momentum()), lr = r.round(h.lr());
        for (int i = from; i < to; i++) {
            double param = p.get(i);
            double grad = h.weightDecay() != 0 ? r.add(g.get(i), r.mul(param, decay)) : g.get(i);
            double squareAvg = r.add(r.mul(sq.get(i), alpha), r.mul(r.mul(grad, grad), rest));
            sq.set(i, squareAvg);
            double meanSquare = squareAvg;
            if (ga != null) {
                double gradAvg = r.add(r.mul(ga.get(i), alpha), r.mul(grad, rest));
                ga.set(i, gradAvg);
                meanSquare = r.sub(squareAvg, r.mul(gradAvg, gradAvg));
            }
            double step = r.div(grad, r.add(r.round(Math.sqrt(meanSquare)), eps));
            if (buf != null) {
                step = r.add(r.mul(buf.get(i), momentum), step);
                buf.set(i, step);
            }
            p.set(i, r.sub(param, r.mul(step, lr)));
        }
    }

    /** Arithmetic in double, rounded after each operation to the storage's precision. */
    private enum Rounding {
        FLOAT, DOUBLE;

        static Rounding of(CpuStorage s) {
            return s.f32 != null ? FLOAT : DOUBLE;
        }

        double round(double x) {
            return this == FLOAT ? (float) x : x;
        }

        double add(double a, double b) { return round(a + b); }
        double sub(double a, double b) { return round(a - b); }
        double mul(double a, double b) { return round(a * b); }
        double div(double a, double b) { return round(a / b); }
    }
}
