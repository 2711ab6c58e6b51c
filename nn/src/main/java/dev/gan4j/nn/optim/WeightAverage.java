package dev.gan4j.nn.optim;

import dev.gan4j.autograd.Autograd;
import dev.gan4j.nn.Module;
import dev.gan4j.tensor.Tensor;

import java.util.Map;

/**
 * An exponential moving average of a model's weights, kept in a second copy of the model ("Polyak
 * averaging"; in GANs, the averaged generator draws markedly better samples than the live one, whose
 * weights keep circling the equilibrium). After each optimiser step of the source model,
 * {@link #update()} sets every floating-point parameter and buffer of the average (batch-norm running
 * statistics included) to
 * <pre>  average = d * average + (1 - d) * source,   d = min(decay, (1 + n) / (10 + n))</pre>
 * where n is the number of updates made before this one. The ramp (TensorFlow's
 * ExponentialMovingAverage with num_updates) lets a short run's average forget the random
 * initialisation instead of being dominated by it. Batch counters ({@code num_batches_tracked}) are
 * counts, not weights: they are copied.
 */
public final class WeightAverage {

    private static final String COUNTER_SUFFIX = "num_batches_tracked";

    private final Module source;
    private final Module average;
    private final double decay;
    private long updates;

    /**
     * @param average a model of the same architecture as {@code source}; it is overwritten with the
     *                source's current state, which is where the average starts
     */
    public WeightAverage(Module source, Module average, double decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("weight average: decay must be in (0, 1), got " + decay);
        }
        this.source = source;
        this.average = average;
        this.decay = decay;
        average.loadStateDict(source.stateDict(), true);
    }

    /** The averaged model (used for sampling; never trained directly). */
    public Module model() {
        return average;
    }

    /** How many updates have been averaged in. */
    public long updates() {
        return updates;
    }

    /** The weight the current average gets in the next update. */
    public double nextDecay() {
        return Math.min(decay, (1.0 + updates) / (10.0 + updates));
    }

    /** Blends the source's current state into the average; call after each optimiser step of the source. */
    public void update() {
        double d = nextDecay();
        Map<String, Tensor> src = source.stateDict();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            average.stateDict().forEach((name, avg) -> {
                Tensor s = src.get(name);
                avg.assign(name.endsWith(COUNTER_SUFFIX) ? s : avg.mul(d).add(s.mul(1 - d)));
            });
        }
        updates++;
    }

    /**
     * Continues a saved average: its weights have been loaded into {@link #model()} (e.g. from a
     * checkpoint) and {@code savedUpdates} updates went into them.
     */
    public void resumeAt(long savedUpdates) {
        if (savedUpdates < 0) throw new IllegalArgumentException("weight average: negative update count " + savedUpdates);
        updates = savedUpdates;
    }
}
