package dev.gan4j.gan.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.gan4j.gan.report.OutputFolders;
import dev.gan4j.nn.io.AtomicFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A run's folder and the configuration it was started with:
 * <pre>
 *   config.json        the resolved configuration      command.txt   every command that started or resumed it
 *   metrics.csv        one row per step                loss_curves.png
 *   samples/           fixed-noise grids per epoch (and every N steps)
 *   checkpoints/       last.safetensors, the newest epoch_NNN.safetensors
 * </pre>
 * A run is planned first ({@link #fresh}, {@link #continued}), which checks the folder but writes
 * nothing, and {@link #prepare prepared} only once everything else has been checked, so a refused start
 * leaves no trace.
 */
public record TrainingRun(Path folder, TrainConfig config) {

    static final Gson JSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private static final String CONFIG_FILE = "config.json";
    private static final Pattern EPOCH_CHECKPOINT = Pattern.compile("epoch_(\\d{1,9})\\.safetensors");

    /** A new run in {@code config.outDir()}: that folder must not exist yet, or be empty. Writes nothing. */
    public static TrainingRun fresh(TrainConfig config) throws IOException {
        Path folder = Path.of(config.outDir());
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new IllegalArgumentException("--out " + folder + " is a file, not a folder");
        }
        if (Files.isDirectory(folder) && !isEmpty(folder)) {
            throw new IllegalArgumentException("run folder " + folder + " already exists and is not empty; continue "
                    + (isRunFolder(folder) ? "that run with --resume " + folder + ", " : "") + "or choose another --out");
        }
        return new TrainingRun(folder, config);
    }

    /** An existing run, continued with {@code config} (its outDir names the folder). Writes nothing. */
    public static TrainingRun continued(TrainConfig config) {
        Path folder = Path.of(config.outDir());
        if (!isRunFolder(folder)) throw new IllegalArgumentException(folder + " is not a run folder (no " + CONFIG_FILE + ")");
        return new TrainingRun(folder, config);
    }

    /** Plans and prepares a new run in one go (the folder must not exist yet, or be empty). */
    public static TrainingRun create(TrainConfig config, String commandLine) throws IOException {
        TrainingRun run = fresh(config);
        run.prepare(commandLine);
        return run;
    }

    /** Whether {@code folder} holds a run: gan4j writes config.json into every run folder it starts. */
    public static boolean isRunFolder(Path folder) {
        return folder != null && Files.isRegularFile(folder.resolve(CONFIG_FILE));
    }

    /**
     * Creates the folders, deletes the temporary files a killed write left behind, records the
     * configuration (a resume's changes included) and appends the command to command.txt.
     */
    public void prepare(String commandLine) throws IOException {
        OutputFolders.create(samplesFolder());
        OutputFolders.create(checkpointsFolder());
        for (Path f : List.of(folder, samplesFolder(), checkpointsFolder())) AtomicFile.deleteStrayTemporaries(f);
        AtomicFile.write(folder.resolve(CONFIG_FILE), JSON.toJson(config).getBytes(StandardCharsets.UTF_8));
        Path commands = folder.resolve("command.txt");
        String before = Files.exists(commands) ? Files.readString(commands) : "";
        AtomicFile.write(commands, (before + commandLine + System.lineSeparator()).getBytes(StandardCharsets.UTF_8));
    }

    public Path samplesFolder() { return folder.resolve("samples"); }
    public Path checkpointsFolder() { return folder.resolve("checkpoints"); }
    public Path lastCheckpoint() { return checkpointsFolder().resolve("last.safetensors"); }

    /** Deletes all but the newest {@code keepCheckpoints} epoch checkpoints (none when it is 0 = keep all). */
    void pruneEpochCheckpoints() throws IOException {
        if (config.keepCheckpoints() == 0) return;
        List<Path> epochs = new ArrayList<>();
        try (Stream<Path> files = Files.list(checkpointsFolder())) {
            files.filter(f -> EPOCH_CHECKPOINT.matcher(f.getFileName().toString()).matches()).forEach(epochs::add);
        }
        epochs.sort(Comparator.comparingLong(TrainingRun::epochOf)); // by number: epoch_1000 is newer than epoch_999
        for (Path old : epochs.subList(0, Math.max(0, epochs.size() - config.keepCheckpoints()))) Files.deleteIfExists(old);
    }

    private static long epochOf(Path checkpoint) {
        Matcher m = EPOCH_CHECKPOINT.matcher(checkpoint.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private static boolean isEmpty(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        }
    }

    static TrainConfig parseConfig(String json) {
        return JSON.fromJson(json, TrainConfig.class);
    }

    static String toJson(TrainConfig config) {
        return JSON.toJson(config);
    }
}
