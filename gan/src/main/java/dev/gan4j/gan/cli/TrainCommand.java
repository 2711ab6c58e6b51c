package dev.gan4j.gan.cli;

import dev.gan4j.gan.data.ColorMode;
import dev.gan4j.gan.data.Dataset;
import dev.gan4j.gan.data.ImageFolder;
import dev.gan4j.gan.data.Split;
import dev.gan4j.gan.data.StandardDataset;
import dev.gan4j.gan.model.Architecture;
import dev.gan4j.gan.train.Objective;
import dev.gan4j.gan.train.Presets;
import dev.gan4j.gan.train.StopSignal;
import dev.gan4j.gan.train.TrainConfig;
import dev.gan4j.gan.train.Trainer;
import dev.gan4j.gan.train.TrainingCheckpoint;
import dev.gan4j.gan.train.TrainingRun;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.MemoryScope;
import dev.gan4j.tensor.backend.Backends;
import dev.gan4j.tensor.cpu.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code gan4j train}: trains a GAN from a preset, with any field overridden from the command line. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a GAN. With no options: DCGAN on MNIST (preset " + Presets.DEFAULT + ").")
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--preset", description = "Recipe to start from: ${COMPLETION-CANDIDATES}", completionCandidates = PresetNames.class)
    String preset = Presets.DEFAULT;
    @Option(names = "--dataset", description = "mnist, cifar10, or a folder of PNG/JPEG images") String dataset;
    @Option(names = "--data-dir", description = "Folder holding the dataset files (skips the cache and downloads)") Path dataDir;
    @Option(names = "--image-size", description = "Image side for image folders (28, 32 or 64)") Integer imageSize;
    @Option(names = "--model", description = "mlp, dcgan or upsample") String model;
    @Option(names = "--loss", description = "minimax, non-saturating, wgan or wgan-gp") String loss;
    @Option(names = "--epochs") Integer epochs;
    @Option(names = "--batch-size") Integer batchSize;
    @Option(names = "--lr", description = "Learning rate of both networks") Double lr;
    @Option(names = "--beta1") Double beta1;
    @Option(names = "--beta2") Double beta2;
    @Option(names = "--optimizer", description = "adam or rmsprop") String optimizer;
    @Option(names = "--n-critic", description = "Discriminator steps per generator step") Integer nCritic;
    @Option(names = "--clip", description = "WGAN weight clipping bound") Double clip;
    @Option(names = "--gp-weight", description = "WGAN-GP penalty weight") Double gpWeight;
    @Option(names = "--latent", description = "Latent vector size") Integer latent;
    @Option(names = "--width", description = "Base width of the networks") Integer width;
    @Option(names = "--device", description = "auto, cpu or cuda[:N] (default auto)") String device;
    @Option(names = "--seed") Long seed;
    @Option(names = "--threads", description = "CPU threads (default: all cores)") Integer threads;
    @Option(names = "--out", description = "Run folder (default runs/<preset>-<time>)") Path out;
    @Option(names = "--resume", description = "Continue from a checkpoint file or a run folder") Path resume;
    @Option(names = "--sample-interval", description = "Also write a sample grid every N steps") Integer sampleInterval;
    @Option(names = "--max-steps", description = "Stop after N steps in total") Long maxSteps;

    @Override
    public Integer call() throws IOException {
        Path checkpoint = resume == null ? null : checkpointOf(resume);
        TrainConfig config = checkpoint == null ? fromOptions() : resumedConfig(checkpoint);
        Parallel.setThreads(config.threads() > 0 ? config.threads() : Runtime.getRuntime().availableProcessors());
        Device dev = Backends.resolve(config.device());
        Dataset data = openDataset(config);
        TrainingRun run = TrainingRun.create(config, "gan4j train " + String.join(" ", Args.current()));
        StopSignal stop = StopSignal.onShutdown();
        try {
            Trainer trainer = new Trainer(run, data, dev, stop, System.out);
            if (checkpoint != null) trainer.resume(checkpoint);
            System.out.printf("training %s on %s (%d images) with %s, run folder %s%n", config.preset(), data.name(),
                    data.size(), Backends.of(dev).name(), run.folder());
            Trainer.Outcome outcome = trainer.train();
            if (outcome == Trainer.Outcome.FINISHED) {
                System.out.printf(Locale.ROOT, "done in %.0f s: samples in %s, checkpoint %s%n",
                        trainer.state().seconds(), run.samplesFolder(), run.lastCheckpoint());
                System.out.printf(Locale.ROOT, "memory: %s; a step held at most %.1f MiB%n",
                        Backends.of(dev).allocatorStats(), MemoryScope.peakBytes(dev) / 1048576.0);
            }
            return outcome == Trainer.Outcome.DIVERGED ? 3 : 0;
        } finally {
            stop.done();
        }
    }

    private TrainConfig fromOptions() {
        TrainConfig p = Presets.get(preset);
        String ds = or(dataset, p.dataset());
        if (ds.isEmpty()) throw new IllegalArgumentException("preset " + preset + " needs --dataset <folder of images>");
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return new TrainConfig(preset, ds, dataDir == null ? p.dataDir() : dataDir.toString(),
                datasetImageSize(ds, or(imageSize, p.imageSize())),
                model == null ? p.architecture() : parseEnum(Architecture.class, "model", model),
                or(latent, p.latentSize()), or(width, p.width()),
                loss == null ? p.objective() : parseEnum(Objective.class, "loss", loss), p.sigmoidOutput(),
                or(epochs, p.epochs()), or(batchSize, p.batchSize()), or(optimizer, p.optimizer()), or(lr, p.lr()),
                or(beta1, p.beta1()), or(beta2, p.beta2()), or(nCritic, p.nCritic()), or(clip, p.clip()),
                or(gpWeight, p.gpWeight()), or(device, p.device()), or(seed, p.seed()), or(threads, p.threads()),
                out == null ? Path.of("runs", preset + "-" + time).toString() : out.toString(),
                or(sampleInterval, p.sampleInterval()), or(maxSteps, p.maxSteps()));
    }

    /** A resumed run keeps its configuration; only how long and where it runs may change. */
    private TrainConfig resumedConfig(Path checkpoint) throws IOException {
        TrainConfig saved = TrainingCheckpoint.config(checkpoint);
        Path folder = checkpoint.toAbsolutePath().getParent().getParent();
        return new TrainConfig(saved.preset(), saved.dataset(), dataDir == null ? saved.dataDir() : dataDir.toString(),
                saved.imageSize(), saved.architecture(), saved.latentSize(), saved.width(), saved.objective(),
                saved.sigmoidOutput(), or(epochs, saved.epochs()), saved.batchSize(), saved.optimizer(), saved.lr(),
                saved.beta1(), saved.beta2(), saved.nCritic(), saved.clip(), saved.gpWeight(),
                or(device, saved.device()), saved.seed(), or(threads, saved.threads()), folder.toString(),
                or(sampleInterval, saved.sampleInterval()), or(maxSteps, saved.maxSteps()));
    }

    /** A checkpoint file, or a run folder's last checkpoint. */
    static Path checkpointOf(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("checkpoints").resolve("last.safetensors") : path;
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no checkpoint at " + file);
        return file;
    }

    /** MNIST is 28 px and CIFAR-10 32 px whatever the preset says; image folders use the requested size. */
    private static int datasetImageSize(String dataset, int requested) {
        return switch (dataset.toLowerCase(Locale.ROOT)) {
            case "mnist" -> 28;
            case "cifar10" -> 32;
            default -> requested;
        };
    }

    static Dataset openDataset(TrainConfig config) throws IOException {
        Path dir = config.dataDir() == null ? null : Path.of(config.dataDir());
        String name = config.dataset().toLowerCase(Locale.ROOT);
        if (name.equals("mnist") || name.equals("cifar10")) return StandardDataset.byId(name).open(Split.TRAIN, dir);
        Path folder = Path.of(config.dataset());
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("--dataset must be mnist, cifar10 or a folder of images; '"
                    + config.dataset() + "' is none of these");
        }
        return ImageFolder.load(folder, config.imageSize(), ColorMode.RGB);
    }

    static <E extends Enum<E>> E parseEnum(Class<E> type, String option, String text) {
        String constant = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) if (e.name().equals(constant)) return e;
        StringBuilder known = new StringBuilder();
        for (E e : type.getEnumConstants()) known.append(known.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        throw new IllegalArgumentException("unknown --" + option + " '" + text + "'; expected one of " + known);
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** Lists the presets for --help. */
    static final class PresetNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Presets.names().iterator();
        }
    }
}
