package dev.gan4j.tensor.cpu;

import dev.gan4j.tensor.backend.ConvGeometry;

/** Placeholder direct convolution until the im2col kernels land; same signatures. */
public final class Conv2dKernels {
    private Conv2dKernels() {}

    public static void forward(float[] x, float[] w, float[] y, ConvGeometry g) {
        double[] yd = new double[y.length];
        forward(toD(x), toD(w), yd, g);
        for (int i = 0; i < y.length; i++) y[i] = (float) yd[i];
    }

    public static void backwardInput(float[] gy, float[] w, float[] gx, ConvGeometry g) {
        double[] d = new double[gx.length];
        backwardInput(toD(gy), toD(w), d, g);
        for (int i = 0; i < gx.length; i++) gx[i] = (float) d[i];
    }

    public static void backwardWeight(float[] x, float[] gy, float[] gw, ConvGeometry g) {
        double[] d = new double[gw.length];
        backwardWeight(toD(x), toD(gy), d, g);
        for (int i = 0; i < gw.length; i++) gw[i] = (float) d[i];
    }

    private static double[] toD(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    interface Visit { void at(int xi, int wi, int yi); }

    private static void each(ConvGeometry g, Visit v) {
        for (int n = 0; n < g.batch(); n++) for (int o = 0; o < g.outChannels(); o++)
            for (int oh = 0; oh < g.outH(); oh++) for (int ow = 0; ow < g.outW(); ow++)
                for (int c = 0; c < g.inChannels(); c++) for (int kh = 0; kh < g.kernelH(); kh++)
                    for (int kw = 0; kw < g.kernelW(); kw++) {
                        int h = oh * g.strideH() - g.padH() + kh * g.dilationH();
                        int w = ow * g.strideW() - g.padW() + kw * g.dilationW();
                        if (h < 0 || h >= g.inH() || w < 0 || w >= g.inW()) continue;
                        v.at(((n * g.inChannels() + c) * g.inH() + h) * g.inW() + w,
                                ((o * g.inChannels() + c) * g.kernelH() + kh) * g.kernelW() + kw,
                                ((n * g.outChannels() + o) * g.outH() + oh) * g.outW() + ow);
                    }
    }

    public static void forward(double[] x, double[] w, double[] y, ConvGeometry g) {
        java.util.Arrays.fill(y, 0);
        each(g, (xi, wi, yi) -> y[yi] += x[xi] * w[wi]);
    }

    public static void backwardInput(double[] gy, double[] w, double[] gx, ConvGeometry g) {
        java.util.Arrays.fill(gx, 0);
        each(g, (xi, wi, yi) -> gx[xi] += gy[yi] * w[wi]);
    }

    public static void backwardWeight(double[] x, double[] gy, double[] gw, ConvGeometry g) {
        java.util.Arrays.fill(gw, 0);
        each(g, (xi, wi, yi) -> gw[wi] += gy[yi] * x[xi]);
    }
}
