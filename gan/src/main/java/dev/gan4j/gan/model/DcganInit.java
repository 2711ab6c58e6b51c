package dev.gan4j.gan.model;

import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.Init;
import dev.gan4j.nn.Module;
import dev.gan4j.nn.layers.BatchNorm;
import dev.gan4j.nn.layers.Conv2d;
import dev.gan4j.nn.layers.ConvTranspose2d;
import dev.gan4j.tensor.Generator;

import java.util.Map;

/**
 * The DCGAN paper's initialisation (Radford et al. 2015), a GAN recipe rather than a layer default,
 * so it lives here and not in {@link Init}: conv and transposed-conv weights N(0, 0.02), batch-norm
 * scale N(1, 0.02) and shift 0; every other parameter keeps its layer's default.
 */
public final class DcganInit {

    private DcganInit() {}

    public static void apply(Module model, Generator gen) {
        for (Module m : model.modules()) {
            Map<String, Variable> own = m.namedParameters();
            if (m instanceof Conv2d || m instanceof ConvTranspose2d) {
                Init.normal(own.get("weight").data(), 0, 0.02, gen);
            } else if (m instanceof BatchNorm && own.containsKey("weight")) {
                Init.normal(own.get("weight").data(), 1, 0.02, gen);
                Init.constant(own.get("bias").data(), 0);
            }
        }
    }
}
