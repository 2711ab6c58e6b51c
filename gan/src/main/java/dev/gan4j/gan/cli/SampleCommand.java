package dev.gan4j.gan.cli;

import dev.gan4j.autograd.Autograd;
import dev.gan4j.autograd.Variable;
import dev.gan4j.gan.data.ImageBatch;
import dev.gan4j.gan.eval.GeneratorSamples;
import dev.gan4j.gan.eval.QualityReport;
import dev.gan4j.gan.model.GanModels;
import dev.gan4j.gan.model.LatentCode;
import dev.gan4j.gan.report.ImageGrid;
import dev.gan4j.gan.report.NpyArray;
import dev.gan4j.gan.report.NpyReader;
import dev.gan4j.gan.report.NpyWriter;
import dev.gan4j.gan.report.OutputFolders;
import dev.gan4j.gan.train.TrainConfig;
import dev.gan4j.gan.train.TrainingCheckpoint;
import dev.gan4j.nn.Module;
import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import dev.gan4j.tensor.backend.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code gan4j sample}: decodes latent vectors with a checkpoint's generator and writes the images as a
 * grid PNG, as individual PNGs and as a float32 {@code .npy} array {@code [N, C, H, W]} in [-1, 1].
 */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generate images from a training checkpoint.")
final class SampleCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true, description = "Checkpoint file or run folder") Path checkpoint;
    @Option(names = "--count", description = "Number of images (default 64)") int count = 64;
    @Option(names = "--seed", description = "Seed of the latent vectors (default 0)") long seed;
    @Option(names = "--noise", description = ".npy file of latent vectors [N, latent] to decode instead") Path noise;
    @Option(names = "--interpolate", arity = "2", paramLabel = "SEED",
            description = "Walk linearly between the latent vectors of two seeds (count = steps)") long[] interpolate;
    @Option(names = "--out", description = "Output folder (default: samples)") Path out = Path.of("samples");
    @Option(names = "--device", description = "auto, cpu or cuda[:N]") String device = "auto";
    @Option(names = "--class", paramLabel = "K", description = "The class to draw, for a class-conditional generator "
            + "(default: classes drawn at random)") Integer drawClass;
    @Option(names = "--no-ema", description = "Use the live generator even when the run kept a moving average "
            + "of its weights") boolean noEma;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (count < 1) throw new IllegalArgumentException("--count must be >= 1, got " + count);
        if (interpolate != null && noise != null) {
            throw new IllegalArgumentException("--interpolate and --noise cannot be combined: each says which latents to decode");
        }
        Path file = Resume.checkpointOf(checkpoint);
        TrainConfig config = TrainingCheckpoint.config(file);
        Device dev = Backends.resolve(device);
        int channels = config.dataset().equalsIgnoreCase("mnist") ? 1 : 3;
        Module generator = GanModels.generator(config.modelSpec(channels), new Generator(0));
        boolean averaged = TrainingCheckpoint.loadGenerator(file, generator, !noEma);
        generator.to(dev).eval();
        Tensor z = codes(config.latentCode()).to(dev);
        Tensor images;
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            images = generator.forward(Variable.constant(z)).data();
        }
        write(images, averaged);
        quoteQuality(file, averaged);
        return 0;
    }

    /**
     * The numbers that go with the grid: the run's {@code eval.json} when it judged these very weights
     * (same checkpoint step, same choice of the average), else how to measure them. A grid of 64 images is
     * too few to judge by itself.
     */
    private void quoteQuality(Path checkpoint, boolean averaged) throws IOException {
        Path run = Resume.enclosingRun(checkpoint);
        Path report = run == null ? null : run.resolve("eval.json");
        long step = TrainingCheckpoint.state(checkpoint).step();
        if (report != null && Files.isRegularFile(report)) {
            QualityReport judged = QualityReport.fromJson(Files.readString(report));
            if (judged.source() != null && judged.source().sameGenerator(step, averaged)) {
                out().printf("quality of this generator (%s, latent seed %d): %s%n", report,
                        judged.source().latentSeed(), judged.summary());
                return;
            }
        }
        out().printf("quality of this generator: not judged yet; `gan4j eval %s%s` measures IS, FID, precision"
                + " and recall on 10 000 samples%n", checkpoint, noEma ? " --no-ema" : "");
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /**
     * The latent vectors, followed by the classes to draw when the generator is class-conditional: {@code --class},
     * else classes drawn from the seed (as {@code eval} draws them).
     */
    private Tensor codes(LatentCode code) throws IOException {
        if (drawClass != null && !code.conditional()) {
            throw new IllegalArgumentException("--class applies to class-conditional generators; this one draws no chosen"
                    + " class (train with --conditional)");
        }
        Tensor z = latents(code.noiseSize());
        if (!code.conditional()) return z;
        if (drawClass == null && interpolate == null) {
            return code.withLabels(z, GeneratorSamples.classes(code, z.size(0), seed));
        }
        // A walk between two latents stays in one class: the one asked for, else one drawn from the first seed.
        int[] classes = new int[z.size(0)];
        Arrays.fill(classes, drawClass != null ? drawClass : GeneratorSamples.classes(code, 1, interpolate[0])[0]);
        return code.withLabels(z, classes);
    }

    private Tensor latents(int latentSize) throws IOException {
        if (noise != null) {
            NpyArray a = NpyReader.read(noise);
            int[] shape = a.shape();
            if (shape.length != 2 || shape[0] < 1 || shape[1] != latentSize) {
                throw new IllegalArgumentException(noise + ": expected latent vectors of shape [N, " + latentSize
                        + "] with N >= 1, got " + Arrays.toString(shape));
            }
            float[] values = a.data();
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) {
                    throw new IllegalArgumentException(noise + ": latent vector " + i / latentSize + " holds a non-finite"
                            + " value (" + values[i] + ")");
                }
            }
            return Tensor.fromArray(values, shape);
        }
        if (interpolate != null) {
            Tensor a = Tensor.normal(new Generator(interpolate[0]), 0, 1, DType.F32, Device.CPU, 1, latentSize);
            Tensor b = Tensor.normal(new Generator(interpolate[1]), 0, 1, DType.F32, Device.CPU, 1, latentSize);
            Tensor t = Tensor.linspace(0, 1, count).reshape(count, 1);
            return a.add(b.sub(a).mul(t));
        }
        return Tensor.normal(new Generator(seed), 0, 1, DType.F32, Device.CPU, count, latentSize);
    }

    private void write(Tensor images, boolean averaged) throws IOException {
        int[] s = images.shape();
        ImageBatch batch = ImageBatch.unlabelled(images.toFloatArray(), s[0], s[1], s[2], s[3]);
        Path singles = out.resolve("images");
        OutputFolders.create(singles);
        int cols = interpolate != null ? s[0] : (int) Math.ceil(Math.sqrt(s[0]));
        int rows = (s[0] + cols - 1) / cols;
        ImageGrid.writeGrid(batch, rows, cols, out.resolve("grid.png"));
        for (int i = 0; i < s[0]; i++) {
            ImageGrid.writeImage(batch, i, singles.resolve(String.format(Locale.ROOT, "%04d.png", i)));
        }
        NpyWriter.write(out.resolve("samples.npy"), batch.pixels(), s);
        out().printf("wrote %d images to %s (grid.png, images/, samples.npy) from the %s%n", s[0], out,
                averaged ? "moving average of the generator's weights" : "generator");
    }
}
