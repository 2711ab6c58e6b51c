package dev.gan4j.gan.train;

import dev.gan4j.nn.Module;
import dev.gan4j.nn.io.Checkpoint;
import dev.gan4j.nn.optim.Optimizer;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint: one safetensors file holding both models ({@code generator.*},
 * {@code discriminator.*}, PyTorch key names), both optimisers' state ({@code optimizer_g.*},
 * {@code optimizer_d.*}) and, in the metadata, the configuration, the position in the data and the
 * noise generator's state.
 */
public final class TrainingCheckpoint {

    static final String FORMAT = "gan4j-training-checkpoint-1";

    private TrainingCheckpoint() {}

    static void save(Path file, TrainingRun run, TrainingState state, Module generator, Module discriminator,
                     Optimizer optG, Optimizer optD, Generator noise) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.putAll(Checkpoint.prefixed("generator", generator.stateDict()));
        tensors.putAll(Checkpoint.prefixed("discriminator", discriminator.stateDict()));
        tensors.putAll(Checkpoint.prefixed("optimizer_g", optG.stateDict()));
        tensors.putAll(Checkpoint.prefixed("optimizer_d", optD.stateDict()));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("config", TrainingRun.toJson(run.config()));
        meta.put("epoch", Integer.toString(state.epoch()));
        meta.put("batch_in_epoch", Integer.toString(state.batchInEpoch()));
        meta.put("step", Long.toString(state.step()));
        meta.put("seconds", Double.toString(state.seconds()));
        meta.put("noise_state", Long.toString(noise.state()));
        Checkpoint.save(file, tensors, meta);
    }

    /** Restores everything into the given objects and returns where the run stood. */
    static TrainingState load(Path file, Module generator, Module discriminator, Optimizer optG, Optimizer optD,
                              Generator noise) throws IOException {
        Checkpoint c = read(file);
        c.loadInto(generator, "generator", true);
        c.loadInto(discriminator, "discriminator", true);
        optG.loadStateDict(c.section("optimizer_g"));
        optD.loadStateDict(c.section("optimizer_d"));
        noise.setState(Long.parseLong(c.metadata().get("noise_state")));
        return stateOf(c.metadata());
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

    /** Loads only the generator's weights (for sampling). */
    public static void loadGenerator(Path file, Module generator) throws IOException {
        read(file).loadInto(generator, "generator", true);
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
