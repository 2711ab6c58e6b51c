package dev.gan4j.tensor.cpu;

import dev.gan4j.tensor.backend.AdamStep;
import dev.gan4j.tensor.backend.RmsPropStep;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link OptimizerKernels}' float32 updates a vector at a time, in the GEMM's species (see
 * {@link ChannelLoopsVector} for why never another). No fused multiply-adds: each operation rounds on its
 * own, as in the chain of tensor ops each update replaces. Each method updates the whole vectors of
 * {@code [from, to)} and returns where the rest, less than one vector, begins. Only touched when
 * {@link VectorSupport#PRESENT}.
 */
final class OptimizerVector {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private OptimizerVector() {}

    static int adam(float[] p, float[] g, float[] m, float[] v, float[] vmax, int from, int to, AdamStep h) {
        boolean decays = h.weightDecay() != 0;
        float decay = (float) h.weightDecay();
        float beta1 = (float) h.beta1(), rest1 = (float) (1 - h.beta1());
        float beta2 = (float) h.beta2(), rest2 = (float) (1 - h.beta2());
        float correction2 = (float) h.biasCorrection2Sqrt(), eps = (float) h.eps(), stepSize = (float) h.stepSize();
        int i = from;
        for (int end = from + F.loopBound(to - from); i < end; i += F.length()) {
            FloatVector param = FloatVector.fromArray(F, p, i);
            FloatVector grad = FloatVector.fromArray(F, g, i);
            if (decays) grad = grad.add(param.mul(decay));
            FloatVector avg = FloatVector.fromArray(F, m, i).mul(beta1).add(grad.mul(rest1));
            FloatVector avgSq = FloatVector.fromArray(F, v, i).mul(beta2).add(grad.mul(grad).mul(rest2));
            avg.intoArray(m, i);
            avgSq.intoArray(v, i);
            if (vmax != null) {
                avgSq = FloatVector.fromArray(F, vmax, i).max(avgSq);
                avgSq.intoArray(vmax, i);
            }
            FloatVector denom = avgSq.sqrt().div(correction2).add(eps);
            param.sub(avg.div(denom).mul(stepSize)).intoArray(p, i);
        }
        return i;
    }

    static int rmsProp(float[] p, float[] g, float[] sq, float[] ga, float[] buf, int from, int to, RmsPropStep h) {
        boolean decays = h.weightDecay() != 0;
        float decay = (float) h.weightDecay(), alpha = (float) h.alpha(), rest = (float) (1 - h.alpha());
        float eps = (float) h.eps(), momentum = (float) h.momentum(), lr = (float) h.lr();
        int i = from;
        for (int end = from + F.loopBound(to - from); i < end; i += F.length()) {
            FloatVector param = FloatVector.fromArray(F, p, i);
            FloatVector grad = FloatVector.fromArray(F, g, i);
            if (decays) grad = grad.add(param.mul(decay));
            FloatVector squareAvg = FloatVector.fromArray(F, sq, i).mul(alpha).add(grad.mul(grad).mul(rest));
            squareAvg.intoArray(sq, i);
            FloatVector meanSquare = squareAvg;
            if (ga != null) {
                FloatVector gradAvg = FloatVector.fromArray(F, ga, i).mul(alpha).add(grad.mul(rest));
                gradAvg.intoArray(ga, i);
                meanSquare = squareAvg.sub(gradAvg.mul(gradAvg));
            }
            FloatVector step = grad.div(meanSquare.sqrt().add(eps));
            if (buf != null) {
                step = FloatVector.fromArray(F, buf, i).mul(momentum).add(step);
                step.intoArray(buf, i);
            }
            param.sub(step.mul(lr)).intoArray(p, i);
        }
        return i;
    }
}
