package dev.gan4j.gan.train;

import dev.gan4j.nn.Module;
import dev.gan4j.nn.io.Checkpoint;
import dev.gan4j.nn.optim.Optimizer;
import dev.gan4j.nn.optim.WeightAverage;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint: one safetensors file holding both models ({@code generator.*},
 * {@code discriminator.*}, PyTorch key names), both optimisers' state ({@code optimizer_g.*},
 * {@code optimizer_d.*}), the moving average of the generator's weights when the run keeps one
 * ({@code generator_ema.*}, its update count in the metadata) and, in the metadata, the configuration,
 * the position in the data and the noise generator's state.
 */
public final class TrainingCheckpoint {

    static final String FORMAT = "gan4j-training-checkpoint-1";
    static final String AVERAGE = "generator_ema";
    private static final String AVERAGE_UPDATES = "ema_updates";

    private TrainingCheckpoint() {}

    static void save(Path file, TrainingRun run, TrainingState state, Module generator, Module discriminator,
                     Optimizer optG, Optimizer optD, WeightAverage average, Generator noise) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.putAll(Checkpoint.prefixed("generator", generator.stateDict()));
        tensors.putAll(Checkpoint.prefixed("discriminator", discriminator.stateDict()));
        tensors.putAll(Checkpoint.prefixed("optimizer_g", optG.stateDict()));
        tensors.putAll(Checkpoint.prefixed("optimizer_d", optD.stateDict()));
        if (average != null) tensors.putAll(Checkpoint.prefixed(AVERAGE, average.model().stateDict()));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("config", TrainingRun.toJson(run.config()));
        meta.put("epoch", Integer.toString(state.epoch()));
        meta.put("batch_in_epoch", Integer.toString(state.batchInEpoch()));
        meta.put("step", Long.toString(state.step()));
        meta.put("seconds", Double.toString(state.seconds()));
        meta.put("noise_state", Long.toString(noise.state()));
        if (average != null) meta.put(AVERAGE_UPDATES, Long.toString(average.updates()));
        Checkpoint.save(file, tensors, meta);
    }

    /** Restores everything into the given objects (the average may be null) and returns where the run stood. */
    static TrainingState load(Path file, Module generator, Module discriminator, Optimizer optG, Optimizer optD,
                              WeightAverage average, Generator noise) throws IOException {
        Checkpoint c = read(file);
        Map<String, String> m = c.metadata();
        if (average != null && m.get(AVERAGE_UPDATES) == null) {
            throw new IOException(file + ": the run averages the generator's weights but the checkpoint holds no "
                    + "average ('" + AVERAGE + ".*')");
        }
        c.loadInto(generator, "generator", true);
        c.loadInto(discriminator, "discriminator", true);
        optG.loadStateDict(c.section("optimizer_g"));
        optD.loadStateDict(c.section("optimizer_d"));
        if (average != null) {
            c.loadInto(average.model(), AVERAGE, true);
            average.resumeAt(Long.parseLong(m.get(AVERAGE_UPDATES)));
        }
        noise.setState(Long.parseLong(m.get("noise_state")));
        return stateOf(m);
    }

    /**
     * The configuration a checkpoint was trained with; the first thing read from a checkpoint, so this is
     * where a file without gan4j's content hash (written before checkpoints had one) gets its note on stderr.
     */
    public static TrainConfig config(Path file) throws IOException {
        Checkpoint c = read(file);
        if (!c.contentVerified()) {
            System.err.println("note: " + file + " carries no content hash (an older gan4j wrote it); loaded without"
                    + " verifying it");
        }
        return TrainingRun.parseConfig(c.metadata().get("config"));
    }

    /** Where the run stood when the checkpoint was written. */
    public static TrainingState state(Path file) throws IOException {
        return stateOf(read(file).metadata());
    }

    private static TrainingState stateOf(Map<String, String> m) {
        return new TrainingState(Integer.parseInt(m.get("epoch")), Integer.parseInt(m.get("batch_in_epoch")),
                Long.parseLong(m.get("step")), Double.parseDouble(m.get("seconds")));
    }

    /**
     * Loads the weights that draw the samples into {@code generator}: the moving average when the
     * checkpoint holds one and {@code preferAverage} is set, else the live generator's.
     *
     * @return whether the average was loaded
     */
    public static boolean loadGenerator(Path file, Module generator, boolean preferAverage) throws IOException {
        Checkpoint c = read(file);
        boolean average = preferAverage && c.metadata().get(AVERAGE_UPDATES) != null;
        c.loadInto(generator, average ? AVERAGE : "generator", true);
        return average;
    }

    private static Checkpoint read(Path file) throws IOException {
        Checkpoint c = Checkpoint.load(file);
        if (!FORMAT.equals(c.metadata().get("format"))) {
            throw new IOException(file + " is not a gan4j training checkpoint (metadata 'format' is "
                    + c.metadata().get("format") + ", expected " + FORMAT + ")");
        }
        for (String key : new String[] {"config", "epoch", "batch_in_epoch", "step", "seconds", "noise_state"}) {
            if (c.metadata().get(key) == null) {
                throw new IOException(file + ": checkpoint metadata lacks '" + key + "'");
            }
        }
        return c;
    }
}
