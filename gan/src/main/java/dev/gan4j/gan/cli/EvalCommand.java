package dev.gan4j.gan.cli;

import com.google.gson.Gson;
import dev.gan4j.gan.data.StandardDataset;
import dev.gan4j.gan.data.ToyPoints;
import dev.gan4j.gan.eval.GeneratorSamples;
import dev.gan4j.gan.eval.JudgedSource;
import dev.gan4j.gan.eval.ModeCoverage;
import dev.gan4j.gan.eval.QualityReport;
import dev.gan4j.gan.eval.SampleFiles;
import dev.gan4j.gan.eval.SampleQuality;
import dev.gan4j.gan.model.GanModels;
import dev.gan4j.gan.train.TrainConfig;
import dev.gan4j.gan.train.TrainingCheckpoint;
import dev.gan4j.nn.Module;
import dev.gan4j.nn.io.AtomicFile;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import dev.gan4j.tensor.backend.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code gan4j eval}: judges samples with the dataset's classifier (trained on first use) — a run's
 * generator sampled from fixed seeds, or samples in a file or folder — and prints a table and writes JSON.
 * A run on a toy 2-D dataset is judged by the modes its samples hit.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Judge samples: Inception Score, FID, precision/recall, class histogram.")
final class EvalCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SOURCE", description = "Run folder, checkpoint, .npy array, IDX file or folder of PNGs")
    Path source;
    @Option(names = "--dataset", description = "mnist or cifar10 (default: the run's; mnist for sample files)")
    String dataset;
    @Option(names = "--count", description = "Images to sample from a generator (default 10000)") int count = 10_000;
    @Option(names = "--seed", description = "Seed of the latent vectors (default 0)") long seed;
    @Option(names = "--json", description = "Report file (default: eval.json in the run folder, else here)") Path json;
    @Option(names = "--data-dir", description = "Folder holding the dataset files") Path dataDir;
    @Option(names = "--device", description = "auto, cpu or cuda[:N]") String device = "auto";
    @Option(names = "--no-ema", description = "Judge the live generator even when the run kept a moving average "
            + "of its weights") boolean noEma;

    @Override
    public Integer call() throws IOException {
        if (count < 10) throw new IllegalArgumentException("--count must be >= 10 (10 Inception Score splits), got " + count);
        Device dev = Backends.resolve(device);
        Path checkpoint = isCheckpoint(source) ? Resume.checkpointOf(source) : null;
        TrainConfig config = checkpoint == null ? null : TrainingCheckpoint.config(checkpoint);
        if (config != null && ToyPoints.isToy(config.dataset())) return evaluateToy(checkpoint, config, dev);
        StandardDataset data = StandardDataset.byId(datasetName(config));
        SampleQuality quality = SampleQuality.open(data, dataDir, dev, System.out);
        QualityReport report;
        if (checkpoint != null) {
            Sampled sampled = sample(checkpoint, config, data == StandardDataset.MNIST ? 1 : 3, dev);
            report = quality.evaluate(sampled.images(), true, sampled.classes()).from(sampled.source());
        } else {
            report = quality.evaluate(readSamples(data));
        }
        System.out.print(report.table());
        writeJson(report.toJson(), checkpoint);
        return 0;
    }

    /** A toy run has no classifier: its samples are judged by the modes they hit. */
    private int evaluateToy(Path checkpoint, TrainConfig config, Device dev) throws IOException {
        ToyPoints toy = ToyPoints.byId(config.dataset());
        float[] points = sample(checkpoint, config, 2, dev).images().toFloatArray();
        ModeCoverage coverage = ModeCoverage.of(points, toy);
        System.out.printf(Locale.ROOT, "%s: %d of %d modes hit, %.1f%% high-quality samples (within 3 sigma of a mode)%n",
                toy.id(), coverage.modesHit(), coverage.modes(), 100 * coverage.highQualityFraction());
        writeJson(new Gson().toJson(coverage), checkpoint);
        return 0;
    }

    private void writeJson(String text, Path checkpoint) throws IOException {
        Path run = checkpoint == null ? null : Resume.enclosingRun(checkpoint);
        Path out = json != null ? json : run != null ? run.resolve("eval.json") : Path.of("eval.json");
        AtomicFile.write(out, text.getBytes(StandardCharsets.UTF_8));
        System.out.println("report written to " + out);
    }

    /** A run folder, or a .safetensors file; anything else holds samples. */
    private static boolean isCheckpoint(Path path) {
        return Files.isDirectory(path.resolve("checkpoints"))
                || path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".safetensors");
    }

    private String datasetName(TrainConfig config) {
        String name = dataset != null ? dataset : config != null ? config.dataset() : "mnist";
        if (!name.equalsIgnoreCase("mnist") && !name.equalsIgnoreCase("cifar10")) {
            throw new IllegalArgumentException("no classifier exists for '" + name + "': gan4j judges samples of mnist"
                    + " and cifar10 only (an image folder has no labels to train one on)");
        }
        return name;
    }

    /** Images a checkpoint's generator drew, and the classes they were drawn for (null if unconditional). */
    private record Sampled(Tensor images, int[] classes, JudgedSource source) {}

    private Sampled sample(Path checkpoint, TrainConfig config, int channels, Device dev) throws IOException {
        Module generator = GanModels.generator(config.modelSpec(channels), new Generator(0));
        boolean averaged = TrainingCheckpoint.loadGenerator(checkpoint, generator, !noEma);
        generator.to(dev);
        System.out.printf("sampling %d images from %s%s (latent seed %d)%n", count, checkpoint,
                averaged ? ", the moving average of the generator's weights" : "", seed);
        JudgedSource source = new JudgedSource(checkpoint.toString(), TrainingCheckpoint.state(checkpoint).step(),
                averaged, seed);
        return new Sampled(GeneratorSamples.generate(generator, config.latentCode(), count, seed),
                GeneratorSamples.classes(config.latentCode(), count, seed), source);
    }

    private Tensor readSamples(StandardDataset data) throws IOException {
        Tensor images = data == StandardDataset.MNIST ? SampleFiles.read(source, 1, 28) : SampleFiles.read(source, 3, 32);
        if (images.size(0) < 10) {
            throw new IllegalArgumentException(source + ": " + images.size(0) + " images; at least 10 are needed");
        }
        return images;
    }
}
