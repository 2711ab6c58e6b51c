package dev.gan4j.nn.layers;

/** {@code x > 0 ? x : slope * x}; DCGAN discriminators use slope 0.2. */
public final class LeakyReLU extends Stateless {

    public LeakyReLU(double slope) {
        super("slope=" + slope, x -> x.leakyRelu(slope));
    }
}
