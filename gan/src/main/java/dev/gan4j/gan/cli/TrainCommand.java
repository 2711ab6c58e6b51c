package dev.gan4j.gan.cli;

import dev.gan4j.gan.data.ColorMode;
import dev.gan4j.gan.data.Dataset;
import dev.gan4j.gan.data.ImageFolder;
import dev.gan4j.gan.data.Split;
import dev.gan4j.gan.data.StandardDataset;
import dev.gan4j.gan.data.ToyPoints;
import dev.gan4j.gan.eval.QualityMonitor;
import dev.gan4j.gan.eval.QualityMonitors;
import dev.gan4j.gan.model.Architecture;
import dev.gan4j.gan.train.Objective;
import dev.gan4j.gan.train.Presets;
import dev.gan4j.gan.train.StopSignal;
import dev.gan4j.gan.train.TrainConfig;
import dev.gan4j.gan.train.Trainer;
import dev.gan4j.gan.train.TrainingCheckpoint;
import dev.gan4j.gan.train.TrainingRun;
import dev.gan4j.nn.io.AtomicFile;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.MemoryScope;
import dev.gan4j.tensor.backend.Backends;
import dev.gan4j.tensor.profile.ProfileReport;
import dev.gan4j.tensor.profile.Profiler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code gan4j train}: trains a GAN from a preset, with any field overridden from the command line.
 *
 * <p>A new run goes into {@code --out} (default {@code runs/<preset>-<time>}), which must not exist yet
 * or be empty: an earlier run is never overwritten. {@code --resume} continues a run from a checkpoint;
 * see {@link #RESUMABLE} for what it may change. Everything is checked (options, device, data, batch
 * size against the data) before the run folder is created or touched.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a GAN. With no options: DCGAN on MNIST (preset " + Presets.DEFAULT + ").")
final class TrainCommand implements Callable<Integer> {

    /**
     * What a resume may change: how long and where the run goes on. Everything else shapes the models,
     * the data or the optimisation, so changing it would not continue the same run; a resume refuses it
     * unless it repeats the run's own value.
     */
    static final String RESUMABLE = "--epochs, --max-steps, --device, --threads, --sample-interval, --data-dir, "
            + "--keep-checkpoints and --out (a new run folder)";

    /** Points in an epoch of a toy 2-D dataset. */
    private static final int TOY_POINTS = 20_000;

    @Option(names = "--preset", description = "Recipe to start from: ${COMPLETION-CANDIDATES} (default " + Presets.DEFAULT + ")",
            completionCandidates = PresetNames.class)
    String preset;
    @Option(names = "--dataset", description = "mnist, cifar10, ring8, grid25, or a folder of PNG/JPEG images") String dataset;
    @Option(names = "--data-dir", description = "Folder holding the dataset files (skips the cache and downloads)") Path dataDir;
    @Option(names = "--image-size", description = "Image side for image folders (28, 32 or 64)") Integer imageSize;
    @Option(names = "--model", description = "mlp, dcgan or upsample") String model;
    @Option(names = "--loss", description = "minimax, non-saturating, wgan, wgan-gp or hinge") String loss;
    @Option(names = "--epochs") Integer epochs;
    @Option(names = "--batch-size") Integer batchSize;
    @Option(names = "--lr", description = "Learning rate of both networks (of the generator with --lr-d)") Double lr;
    @Option(names = "--lr-d", description = "Learning rate of the discriminator, when it differs (TTUR)") Double lrD;
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
    @Option(names = "--out", description = "Run folder, new or empty (default runs/<preset>-<time>); with --resume: "
            + "a new folder to continue the run in") Path out;
    @Option(names = "--resume", description = "Continue a run: its folder, or a checkpoint file (then, outside a run "
            + "folder, name a new one with --out)") Path resume;
    @Option(names = "--sample-interval", description = "Also write a sample grid every N steps") Integer sampleInterval;
    @Option(names = "--max-steps", description = "Stop after N steps in total (0 = no limit)") Long maxSteps;
    @Option(names = "--keep-checkpoints", description = "Keep the newest K epoch checkpoints besides last "
            + "(default " + Presets.DEFAULT_KEEP_CHECKPOINTS + ", 0 = all)") Integer keepCheckpoints;
    @Option(names = "--profile", description = "Time every kernel; print a table per op and phase at the end (also profile.txt, profile.csv)")
    boolean profile;
    @Option(names = "--profile-warmup", description = "Steps --profile leaves out at the start, while the JIT compiles "
            + "the kernels (default ${DEFAULT-VALUE})") int profileWarmup = 20;
    @Option(names = "--dump-graph", description = "Write the first step's autograd graphs as Graphviz files (graph_*.dot)")
    boolean dumpGraph;
    @Option(names = "--conditional", negatable = true, description = "Class-conditional pair: both networks are told "
            + "each image's class, and samples can be asked for a class (default: the preset's)") Boolean conditional;
    @Option(names = "--ema-decay", description = "Sample from a moving average of the generator's weights with "
            + "this decay, e.g. 0.999 (0 = off)") Double emaDecay;
    @Option(names = "--eval-every", description = "Measure IS/FID every N epochs (default 1 when the dataset's "
            + "classifier is cached; given, a missing MNIST classifier is trained first; 0 = never)") Integer evalEvery;
    @Option(names = "--eval-samples", description = "Samples per measurement (default "
            + QualityMonitors.DEFAULT_SAMPLES + ")") int evalSamples = QualityMonitors.DEFAULT_SAMPLES;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        // Checked before anything is loaded or written, so a bad value leaves no run folder behind.
        if (profileWarmup < 0) throw new IllegalArgumentException("--profile-warmup must be 0 or more, not " + profileWarmup);
        PrintWriter console = spec.commandLine().getOut();
        Resume from = resume == null ? null : Resume.locate(resume, out);
        TrainConfig config = from == null ? fromOptions() : resumedConfig(from);
        TrainingRun run = from == null || from.isBranch() ? TrainingRun.fresh(config) : TrainingRun.continued(config);
        CliThreads.apply(config.threads() > 0 ? config.threads() : null);
        Device dev = Backends.resolve(config.device());
        Dataset data = openDataset(config);
        if (from == null) {
            config = config.withClasses(conditionalClasses(config, data, console));
            run = new TrainingRun(run.folder(), config);
        }
        if (config.batchSize() > data.size()) {
            throw new IllegalArgumentException("--batch-size " + config.batchSize() + " is larger than the dataset ("
                    + data.size() + " images in " + data.name() + ")");
        }
        StopSignal stop = StopSignal.onShutdown();
        try {
            QualityMonitor quality = QualityMonitors.forRun(config.dataset(),
                    config.dataDir() == null ? null : Path.of(config.dataDir()), config.latentCode(),
                    evalEvery == null ? 1 : evalEvery, evalEvery != null, evalSamples, dev, System.out);
            Trainer trainer = new Trainer(run, data, dev, stop, System.out, quality);
            if (from != null) {
                trainer.resume(from.checkpoint());
                if (config.finishedAt(trainer.state())) {
                    console.printf("the run is already complete at step %d (epochs %d%s): nothing to train; raise "
                            + "--epochs or --max-steps to continue it%n", trainer.state().step(), config.epochs(),
                            config.maxSteps() > 0 ? ", max steps " + config.maxSteps() : "");
                    return 0;
                }
            }
            run.prepare("gan4j " + String.join(" ", Args.current()));
            Profiler profiler = profile ? new Profiler("step") : null;
            if (profiler != null) trainer.profileWith(profiler, profileWarmup);
            if (dumpGraph) trainer.dumpGraphs();
            console.printf("training %s on %s (%d images) with %s, run folder %s%n", config.preset(), data.name(),
                    data.size(), Backends.of(dev).name(), run.folder());
            Trainer.Outcome outcome = trainer.train();
            if (profiler != null) writeProfile(profiler.report(), profileWarmup, run.folder(), console);
            if (outcome == Trainer.Outcome.FINISHED) {
                console.printf(Locale.ROOT, "done in %.0f s: samples in %s, checkpoint %s%n",
                        trainer.state().seconds(), run.samplesFolder(), run.lastCheckpoint());
                if (quality.secondsSpent() > 0) {
                    console.printf(Locale.ROOT, "measuring sample quality took %.1f s of it%n", quality.secondsSpent());
                }
                console.printf(Locale.ROOT, "memory: %s; a step held at most %.1f MiB%n",
                        Backends.of(dev).allocatorStats(), MemoryScope.peakBytes(dev) / 1048576.0);
            }
            return outcome == Trainer.Outcome.DIVERGED ? 3 : 0;
        } finally {
            stop.done();
        }
    }

    /**
     * The profile table on stdout, and as profile.txt and profile.csv in the run folder; nothing but a line
     * when the run ended within its warm-up.
     */
    private static void writeProfile(ProfileReport report, int warmup, Path folder, PrintWriter console) throws IOException {
        if (report.recordings() == 0) {
            console.printf("profile: no step recorded, the run ended within the %d warm-up steps; lower "
                    + "--profile-warmup or raise --max-steps%n", warmup);
            return;
        }
        String table = report.table() + String.format("(after %d warm-up steps, left out: --profile-warmup)%n", warmup);
        console.print(table);
        AtomicFile.write(folder.resolve("profile.txt"), table.getBytes(StandardCharsets.UTF_8));
        AtomicFile.write(folder.resolve("profile.csv"), report.csv().getBytes(StandardCharsets.UTF_8));
    }

    private TrainConfig fromOptions() {
        String name = or(preset, Presets.DEFAULT);
        TrainConfig p = Presets.get(name);
        String ds = or(dataset, p.dataset());
        if (ds.isEmpty()) throw new IllegalArgumentException("preset " + name + " needs --dataset <folder of images>");
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return new TrainConfig(name, ds, dataDir == null ? p.dataDir() : dataDir.toString(),
                datasetImageSize(ds, imageSize, p.imageSize()),
                model == null ? p.architecture() : parseEnum(Architecture.class, "model", model),
                or(latent, p.latentSize()), or(width, p.width()),
                loss == null ? p.objective() : parseEnum(Objective.class, "loss", loss), p.sigmoidOutput(),
                or(epochs, p.epochs()), or(batchSize, p.batchSize()), or(optimizer, p.optimizer()), or(lr, p.lr()),
                or(beta1, p.beta1()), or(beta2, p.beta2()), or(nCritic, p.nCritic()), or(clip, p.clip()),
                or(gpWeight, p.gpWeight()), or(device, p.device()), or(seed, p.seed()), or(threads, p.threads()),
                out == null ? Path.of("runs", name + "-" + time).toString() : out.toString(),
                or(sampleInterval, p.sampleInterval()), or(maxSteps, p.maxSteps()), or(keepCheckpoints, p.keepCheckpoints()),
                or(emaDecay, p.emaDecay()), or(lrD, p.lrD()));
    }

    /**
     * The classes a new run is conditioned on: the dataset's, when {@code --conditional} or the preset asks for
     * a class-conditional pair; 0 otherwise. A preset's pair is trained without labels on a dataset that has
     * none (a folder of images without subfolders); {@code --conditional} there is an error.
     */
    private int conditionalClasses(TrainConfig config, Dataset data, PrintWriter console) {
        boolean byOption = conditional != null && conditional;
        boolean byPreset = conditional == null && Presets.get(config.preset()).classes() > 0;
        if (!byOption && !byPreset) return 0;
        if (data.numClasses() >= 2) return data.numClasses();
        if (byOption) {
            throw new IllegalArgumentException("--conditional needs labelled images, but " + data.name() + " has one"
                    + " class (an image folder is labelled by its subfolders); add --no-conditional");
        }
        console.printf("note: %s has no labels, so preset %s trains its pair without classes%n", data.name(),
                config.preset());
        return 0;
    }

    /** The run's own configuration with what a resume may change ({@link #RESUMABLE}) changed, or an error. */
    private TrainConfig resumedConfig(Resume from) throws IOException {
        TrainConfig saved = TrainingCheckpoint.config(from.checkpoint());
        unchanged("--preset", preset, saved.preset());
        unchanged("--dataset", dataset, saved.dataset());
        unchanged("--image-size", imageSize, saved.imageSize());
        unchanged("--model", model == null ? null : parseEnum(Architecture.class, "model", model), saved.architecture());
        unchanged("--loss", loss == null ? null : parseEnum(Objective.class, "loss", loss), saved.objective());
        unchanged("--batch-size", batchSize, saved.batchSize());
        unchanged("--lr", lr, saved.lr());
        unchanged("--beta1", beta1, saved.beta1());
        unchanged("--beta2", beta2, saved.beta2());
        unchanged("--optimizer", optimizer, saved.optimizer());
        unchanged("--n-critic", nCritic, saved.nCritic());
        unchanged("--clip", clip, saved.clip());
        unchanged("--gp-weight", gpWeight, saved.gpWeight());
        unchanged("--latent", latent, saved.latentSize());
        unchanged("--width", width, saved.width());
        unchanged("--seed", seed, saved.seed());
        unchanged("--ema-decay", emaDecay, saved.emaDecay());
        unchanged("--lr-d", lrD, saved.lrD());
        unchanged("--conditional", conditional, saved.classes() > 0);
        return saved.resumedWith(dataDir == null ? saved.dataDir() : dataDir.toString(), or(epochs, saved.epochs()),
                or(maxSteps, saved.maxSteps()), or(device, saved.device()), or(threads, saved.threads()),
                or(sampleInterval, saved.sampleInterval()), or(keepCheckpoints, saved.keepCheckpoints()),
                from.target().toString());
    }

    /** Refuses an option that would change what the resumed run is; repeating the run's own value is fine. */
    private static void unchanged(String option, Object given, Object saved) {
        if (given != null && !given.equals(saved)) {
            throw new IllegalArgumentException(option + " cannot change when resuming (the run has " + saved + ", got "
                    + given + "); a resume may change only " + RESUMABLE);
        }
    }

    /**
     * MNIST is 28 px and CIFAR-10 32 px: a preset's size gives way to them, an explicit other --image-size is an
     * error. Image folders use the requested size.
     */
    private static int datasetImageSize(String dataset, Integer requested, int presetSize) {
        int standard = switch (dataset.toLowerCase(Locale.ROOT)) {
            case "mnist" -> 28;
            case "cifar10" -> 32;
            case "ring8", "grid25" -> 1;
            default -> 0;
        };
        if (standard == 0) return or(requested, presetSize);
        if (requested != null && requested != standard) {
            throw new IllegalArgumentException("--image-size " + requested + " does not apply: " + dataset + " images are "
                    + standard + " px (the option is for image folders)");
        }
        return standard;
    }

    static Dataset openDataset(TrainConfig config) throws IOException {
        Path dir = config.dataDir() == null ? null : Path.of(config.dataDir());
        String name = config.dataset().toLowerCase(Locale.ROOT);
        if (name.equals("mnist") || name.equals("cifar10")) return StandardDataset.byId(name).open(Split.TRAIN, dir);
        if (ToyPoints.isToy(name)) return ToyPoints.byId(name).sample(TOY_POINTS, config.seed());
        Path folder = Path.of(config.dataset());
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("--dataset must be mnist, cifar10 or a folder of images (or ring8, grid25); '"
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
