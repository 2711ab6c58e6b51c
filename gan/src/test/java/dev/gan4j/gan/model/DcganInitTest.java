package dev.gan4j.gan.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gan4j.nn.Module;
import dev.gan4j.nn.layers.BatchNorm2d;
import dev.gan4j.nn.layers.Conv2d;
import dev.gan4j.nn.layers.ConvTranspose2d;
import dev.gan4j.nn.layers.LeakyReLU;
import dev.gan4j.nn.layers.Linear;
import dev.gan4j.nn.layers.Sequential;
import dev.gan4j.tensor.ConvParams;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DcganInitTest {

    /** N(mean, std): sample mean and std within 6 standard errors. */
    private static void assertNormal(Tensor t, double mean, double std, String what) {
        double[] v = t.toDoubleArray();
        double sum = 0, sq = 0;
        for (double x : v) sum += x;
        double m = sum / v.length;
        for (double x : v) sq += (x - m) * (x - m);
        assertEquals(mean, m, 6 * std / Math.sqrt(v.length), what + ": mean");
        assertEquals(std, Math.sqrt(sq / (v.length - 1)), 6 * std / Math.sqrt(2.0 * v.length), what + ": std");
    }

    private static Tensor param(Module m, String name) {
        return m.namedParameters().get(name).data();
    }

    @Test
    void touchesConvWeightsAndBatchNormOnly() {
        Linear linear = new Linear(16, 64, true, new Generator(20));
        Conv2d conv = new Conv2d(16, 128, 4, ConvParams.of(2, 1), true, new Generator(21));
        ConvTranspose2d up = new ConvTranspose2d(128, 64, 4, ConvParams.of(2, 1), 0, false, new Generator(22));
        BatchNorm2d bn = new BatchNorm2d(20000);
        param(bn, "bias").fill(3);
        Sequential model = new Sequential(linear, new Sequential(conv, new LeakyReLU(0.2)), up, bn);
        float[] linearBefore = param(linear, "weight").toFloatArray();
        float[] convBiasBefore = param(conv, "bias").toFloatArray();

        DcganInit.apply(model, new Generator(23));

        assertNormal(param(conv, "weight"), 0, 0.02, "conv weight");
        assertNormal(param(up, "weight"), 0, 0.02, "transposed conv weight");
        assertNormal(param(bn, "weight"), 1, 0.02, "batch norm weight");
        assertArrayEquals(new float[20000], param(bn, "bias").toFloatArray(), "batch norm bias");
        assertArrayEquals(linearBefore, param(linear, "weight").toFloatArray(), "linear untouched");
        assertArrayEquals(convBiasBefore, param(conv, "bias").toFloatArray(), "conv bias untouched");
    }

    @Test
    void skipsBatchNormWithoutAffine() {
        Sequential model = new Sequential(new BatchNorm2d(4, 1e-5, 0.1, false, true));
        DcganInit.apply(model, new Generator(24));
        assertTrue(model.namedParameters().isEmpty());
    }
}
