package dev.gan4j.tensor.cpu;

import dev.gan4j.tensor.backend.PoolGeometry;

/** Max and average pooling over dense NCHW storage, one plane (n, c) per task. */
final class PoolKernels {

    private PoolKernels() {}

    /** Receives the first element of one input plane and of its output plane. */
    private interface PlaneBody {
        void run(int inBase, int outBase);
    }

    private static void forEachPlane(PoolGeometry g, PlaneBody body) {
        int inPlane = g.inH() * g.inW();
        int outPlane = g.outH() * g.outW();
        Parallel.forRange(g.planes(), Math.max(1, 4096 / Math.max(outPlane, 1)), (from, to) -> {
            for (int p = from; p < to; p++) body.run(p * inPlane, p * outPlane);
        });
    }

    static void maxForward(CpuStorage x, CpuStorage y, CpuStorage argmax, PoolGeometry g) {
        forEachPlane(g, (in, out) -> {
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    double best = Double.NEGATIVE_INFINITY;
                    int bestAt = -1;
                    for (int kh = 0; kh < g.kernelH(); kh++) {
                        int h = oh * g.strideH() - g.padH() + kh;
                        if (h < 0 || h >= g.inH()) continue;
                        for (int kw = 0; kw < g.kernelW(); kw++) {
                            int w = ow * g.strideW() - g.padW() + kw;
                            if (w < 0 || w >= g.inW()) continue;
                            double v = x.get(in + h * g.inW() + w);
                            if (v > best || bestAt < 0 || Double.isNaN(v)) {
                                best = v;
                                bestAt = h * g.inW() + w;
                                if (Double.isNaN(v)) break;
                            }
                        }
                    }
                    int o = out + oh * g.outW() + ow;
                    y.set(o, best);
                    argmax.set(o, bestAt);
                }
            }
        });
    }

    static void maxBackward(CpuStorage gy, CpuStorage argmax, CpuStorage gx, PoolGeometry g) {
        zero(gx);
        forEachPlane(g, (in, out) -> {
            for (int o = 0; o < g.outH() * g.outW(); o++) {
                int at = in + (int) argmax.get(out + o);
                gx.set(at, gx.get(at) + gy.get(out + o));
            }
        });
    }

    static void avgForward(CpuStorage x, CpuStorage y, PoolGeometry g) {
        double divisor = g.kernelH() * g.kernelW();
        forEachPlane(g, (in, out) -> {
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    double sum = 0;
                    for (int kh = 0; kh < g.kernelH(); kh++) {
                        int h = oh * g.strideH() - g.padH() + kh;
                        if (h < 0 || h >= g.inH()) continue;
                        for (int kw = 0; kw < g.kernelW(); kw++) {
                            int w = ow * g.strideW() - g.padW() + kw;
                            if (w >= 0 && w < g.inW()) sum += x.get(in + h * g.inW() + w);
                        }
                    }
                    y.set(out + oh * g.outW() + ow, sum / divisor);
                }
            }
        });
    }

    static void avgBackward(CpuStorage gy, CpuStorage gx, PoolGeometry g) {
        zero(gx);
        double divisor = g.kernelH() * g.kernelW();
        forEachPlane(g, (in, out) -> {
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    double share = gy.get(out + oh * g.outW() + ow) / divisor;
                    for (int kh = 0; kh < g.kernelH(); kh++) {
                        int h = oh * g.strideH() - g.padH() + kh;
                        if (h < 0 || h >= g.inH()) continue;
                        for (int kw = 0; kw < g.kernelW(); kw++) {
                            int w = ow * g.strideW() - g.padW() + kw;
                            if (w >= 0 && w < g.inW()) gx.set(in + h * g.inW() + w, gx.get(in + h * g.inW() + w) + share);
                        }
                    }
                }
            }
        });
    }

    private static void zero(CpuStorage s) {
        if (s.f32 != null) java.util.Arrays.fill(s.f32, 0f);
        else java.util.Arrays.fill(s.f64, 0.0);
    }
}
