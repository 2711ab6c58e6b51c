package dev.gan4j.nn.layers;

/** Flattens every dim after the batch dim: {@code [N, C, H, W] -> [N, C*H*W]}. */
public final class Flatten extends Stateless {

    public Flatten() {
        super("", x -> x.flatten(1, -1));
    }
}
