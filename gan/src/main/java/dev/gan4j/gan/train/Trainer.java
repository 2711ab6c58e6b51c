package dev.gan4j.gan.train;

import dev.gan4j.autograd.Autograd;
import dev.gan4j.autograd.Variable;
import dev.gan4j.gan.data.BatchIterator;
import dev.gan4j.gan.data.DataLoader;
import dev.gan4j.gan.data.Dataset;
import dev.gan4j.gan.data.ImageBatch;
import dev.gan4j.gan.model.GanModels;
import dev.gan4j.gan.report.ImageGrid;
import dev.gan4j.gan.report.LossCurves;
import dev.gan4j.gan.report.MetricsLog;
import dev.gan4j.nn.Module;
import dev.gan4j.nn.optim.Adam;
import dev.gan4j.nn.optim.Optimizer;
import dev.gan4j.nn.optim.RmsProp;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.MemoryScope;
import dev.gan4j.tensor.Tensor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The GAN training loop. Each batch of real images gives the discriminator one step; every
 * {@code nCritic}-th batch the generator takes one step too. The run folder receives sample grids,
 * metrics.csv, a loss-curve plot and checkpoints; a checkpoint restores models, optimisers, the
 * position in the data and the noise generator, so a resumed run continues exactly.
 */
public final class Trainer {

    /** Metric columns written to metrics.csv, in order. */
    static final List<String> COLUMNS = List.of(MetricsLog.STEP, "epoch", MetricsLog.LOSS_D, MetricsLog.LOSS_G,
            "D_x", "D_G_z", "gradient_penalty", "seconds");
    private static final int GRID_SIDE = 8;

    private final TrainingRun run;
    private final TrainConfig config;
    private final DataLoader loader;
    private final Device device;
    private final PrintStream out;
    private final Module generator;
    private final Module discriminator;
    private final Optimizer optG;
    private final Optimizer optD;
    private final Generator noise;
    private final Tensor fixedNoise;
    private final MetricsLog metrics;
    private final StopSignal stop;
    private TrainingState state;
    private double lastLossG = Double.NaN;

    public Trainer(TrainingRun run, Dataset dataset, Device device, StopSignal stop, PrintStream out) {
        this.run = run;
        this.config = run.config();
        this.device = device;
        this.out = out;
        this.stop = stop;
        this.loader = new DataLoader(dataset, config.batchSize(), true, true, config.seed());
        Generator init = new Generator(config.seed());
        GanModels.Pair pair = GanModels.build(config.modelSpec(dataset.channels()), init);
        this.generator = pair.generator().to(device);
        this.discriminator = pair.discriminator().to(device);
        this.optG = optimizer(generator, config.lr());
        this.optD = optimizer(discriminator, config.lr());
        this.noise = new Generator(config.seed() ^ 0x5DEECE66DL);
        this.fixedNoise = Tensor.normal(new Generator(config.seed() + 1), 0, 1, dev.gan4j.tensor.DType.F32, device,
                GRID_SIDE * GRID_SIDE, config.latentSize());
        this.metrics = new MetricsLog(COLUMNS);
        this.state = TrainingState.start();
    }

    private Optimizer optimizer(Module m, double lr) {
        return config.optimizer().equals("rmsprop") ? new RmsProp(m.parameters(), lr)
                : new Adam(m.parameters(), lr, config.beta1(), config.beta2());
    }

    public Module generator() { return generator; }
    public Module discriminator() { return discriminator; }
    public TrainingState state() { return state; }
    public MetricsLog metrics() { return metrics; }

    /** Restores models, optimisers, data position, noise generator and metrics from a checkpoint. */
    public void resume(Path checkpoint) throws IOException {
        state = TrainingCheckpoint.load(checkpoint, generator, discriminator, optG, optD, noise);
        Path csv = run.folder().resolve("metrics.csv");
        if (Files.exists(csv)) {
            MetricsLog saved = MetricsLog.load(csv);
            saved.truncateAfter(state.step());
            for (int i = 0; i < saved.size(); i++) metrics.add(saved.row(i));
        }
        out.printf("resumed from %s at epoch %d, batch %d (step %d)%n", checkpoint, state.epoch() + 1,
                state.batchInEpoch(), state.step());
    }

    /** Trains until the configured epochs (or max steps) are done, a stop is requested, or a loss is not finite. */
    public Outcome train() throws IOException {
        long started = System.nanoTime();
        double secondsBefore = state.seconds();
        int batches = loader.batchesPerEpoch();
        try (Progress progress = Progress.open(config, batches, state, out)) {
            while (state.epoch() < config.epochs()) {
                try (BatchIterator it = loader.batches(state.epoch(), state.batchInEpoch())) {
                    while (it.hasNext()) {
                        ImageBatch batch = it.next();
                        StepResult r = step(batch);
                        double seconds = secondsBefore + (System.nanoTime() - started) / 1e9;
                        if (!r.finite()) return diverged(r);
                        state = state.advance(seconds);
                        metrics.add(state.step(), state.epoch() + 1, r.lossD(), lastLossG, r.dReal(), r.dFake(),
                                r.penalty(), seconds);
                        progress.update(state, r, lastLossG);
                        if (config.sampleInterval() > 0 && r.generatorStepped()
                                && state.step() % config.sampleInterval() == 0) {
                            writeSamples(String.format(Locale.ROOT, "step_%07d.png", state.step()));
                        }
                        if (stop.requested()) return interrupted();
                        if (config.maxSteps() > 0 && state.step() >= config.maxSteps()) return finished();
                    }
                }
                state = state.nextEpoch();
                writeSamples(String.format(Locale.ROOT, "epoch_%03d.png", state.epoch()));
                saveCheckpoint(String.format(Locale.ROOT, "epoch_%03d.safetensors", state.epoch()));
            }
        }
        return finished();
    }

    private Outcome finished() throws IOException {
        writeSamples("final.png");
        saveCheckpoint(null);
        return Outcome.FINISHED;
    }

    private Outcome interrupted() throws IOException {
        saveCheckpoint(null);
        out.println("stopped on request; checkpoint saved to " + run.lastCheckpoint());
        return Outcome.INTERRUPTED;
    }

    private Outcome diverged(StepResult r) throws IOException {
        writeReports();
        out.printf(Locale.ROOT, "error: the losses are no longer finite at step %d (loss_D=%s, loss_G=%s); "
                        + "stopping. The last good checkpoint is kept: %s%n", state.step() + 1, r.lossD(), r.lossG(),
                Files.exists(run.lastCheckpoint()) ? run.lastCheckpoint() : "(none was written yet)");
        return Outcome.DIVERGED;
    }

    /** One training step; what it allocates is released when it returns (see {@link MemoryScope}). */
    StepResult step(ImageBatch batch) {
        try (MemoryScope ignored = MemoryScope.open()) {
            return stepInScope(batch);
        }
    }

    /** One discriminator step, and a generator step when it is due. */
    private StepResult stepInScope(ImageBatch batch) {
        generator.train();
        discriminator.train();
        Tensor real = Tensor.fromArray(batch.pixels(), batch.count(), batch.channels(), batch.height(), batch.width())
                .to(device);
        boolean generatorDue = (state.step() + 1) % config.nCritic() == 0;
        Variable fake = generator.forward(Variable.constant(sampleNoise(batch.count())));

        Variable realScores = discriminator.forward(Variable.constant(real));
        Variable fakeScores = discriminator.forward(fake.detach());
        Variable lossD = config.objective().discriminatorLoss(realScores, fakeScores, config.sigmoidOutput());
        double penalty = 0;
        if (config.objective() == Objective.WGAN_GP) {
            Variable gp = GradientPenalty.of(discriminator, real, fake.data(), noise).mul(config.gpWeight());
            penalty = gp.item();
            lossD = lossD.add(gp);
        }
        double lossDValue = lossD.item();
        double dReal = config.objective().meanBelief(realScores, config.sigmoidOutput());
        double dFake = config.objective().meanBelief(fakeScores, config.sigmoidOutput());
        if (!Double.isFinite(lossDValue)) return new StepResult(lossDValue, Double.NaN, dReal, dFake, penalty, false);
        updateParameters(lossD, discriminator, optD);
        if (config.clip() > 0) clipWeights();

        if (generatorDue) {
            Variable lossG = config.objective().generatorLoss(discriminator.forward(fake), config.sigmoidOutput());
            double lossGValue = lossG.item();
            if (!Double.isFinite(lossGValue)) return new StepResult(lossDValue, lossGValue, dReal, dFake, penalty, true);
            updateParameters(lossG, generator, optG);
            lastLossG = lossGValue;
        }
        return new StepResult(lossDValue, generatorDue ? lastLossG : Double.NaN, dReal, dFake, penalty, generatorDue);
    }

    /**
     * Gradients of {@code loss} for {@code module}'s parameters only (the functional grad skips the rest of
     * the graph, e.g. the discriminator's weights during a generator step), then one optimiser step.
     */
    private static void updateParameters(Variable loss, Module module, Optimizer opt) {
        List<Variable> params = module.parameters();
        List<Variable> grads = Autograd.grad(List.of(loss), params, null, false);
        for (int i = 0; i < params.size(); i++) params.get(i).setGrad(grads.get(i).data());
        opt.step();
        opt.zeroGrad();  // the gradients belong to the step's memory scope
    }

    private void clipWeights() {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            for (Variable p : discriminator.parameters()) p.data().assign(p.data().clamp(-config.clip(), config.clip()));
        }
    }

    private Tensor sampleNoise(int count) {
        return Tensor.normal(noise, 0, 1, dev.gan4j.tensor.DType.F32, device, count, config.latentSize());
    }

    /** Samples for the fixed noise, in eval mode (running batch-norm statistics). */
    private void writeSamples(String name) throws IOException {
        Tensor images;
        generator.eval();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            images = generator.forward(Variable.constant(fixedNoise)).data();
        } finally {
            generator.train();
        }
        int[] s = images.shape();
        ImageGrid.writeGrid(ImageBatch.unlabelled(images.toFloatArray(), s[0], s[1], s[2], s[3]), GRID_SIDE, GRID_SIDE,
                run.samplesFolder().resolve(name));
    }

    private void writeReports() throws IOException {
        metrics.save(run.folder().resolve("metrics.csv"));
        if (metrics.size() > 1) LossCurves.write(metrics, run.folder().resolve("loss_curves.png"));
    }

    /** Writes last.safetensors (and, when named, a copy for the epoch) plus the metrics it belongs to. */
    private void saveCheckpoint(String epochName) throws IOException {
        writeReports();
        TrainingCheckpoint.save(run.lastCheckpoint(), run, state, generator, discriminator, optG, optD, noise);
        if (epochName != null) {
            TrainingCheckpoint.save(run.checkpointsFolder().resolve(epochName), run, state, generator, discriminator,
                    optG, optD, noise);
        }
    }

    /** How a call to {@link #train()} ended. */
    public enum Outcome { FINISHED, INTERRUPTED, DIVERGED }

    /** What one step measured. */
    record StepResult(double lossD, double lossG, double dReal, double dFake, double penalty, boolean generatorStepped) {
        boolean finite() {
            return Double.isFinite(lossD) && (!generatorStepped || Double.isFinite(lossG));
        }
    }
}
