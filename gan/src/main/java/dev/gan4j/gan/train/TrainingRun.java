package dev.gan4j.gan.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A run's folder and the configuration it was started with:
 * <pre>
 *   config.json        the resolved configuration      command.txt   the exact command line
 *   metrics.csv        one row per step                loss_curves.png
 *   samples/           fixed-noise grids per epoch (and every N steps)
 *   checkpoints/       last.safetensors, epoch_NNN.safetensors
 * </pre>
 */
public record TrainingRun(Path folder, TrainConfig config) {

    static final Gson JSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /** Creates the folder (or reuses an existing run's) and records the configuration and command. */
    public static TrainingRun create(TrainConfig config, String commandLine) throws IOException {
        Path folder = Path.of(config.outDir());
        Files.createDirectories(folder.resolve("samples"));
        Files.createDirectories(folder.resolve("checkpoints"));
        writeAtomically(folder.resolve("config.json"), JSON.toJson(config));
        writeAtomically(folder.resolve("command.txt"), commandLine + System.lineSeparator());
        return new TrainingRun(folder, config);
    }

    public Path samplesFolder() { return folder.resolve("samples"); }
    public Path checkpointsFolder() { return folder.resolve("checkpoints"); }
    public Path lastCheckpoint() { return checkpointsFolder().resolve("last.safetensors"); }

    static TrainConfig parseConfig(String json) {
        return JSON.fromJson(json, TrainConfig.class);
    }

    static String toJson(TrainConfig config) {
        return JSON.toJson(config);
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
