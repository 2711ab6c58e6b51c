package dev.gan4j.gan.train;

import dev.gan4j.autograd.Autograd;
import dev.gan4j.autograd.Variable;
import dev.gan4j.gan.data.BatchIterator;
import dev.gan4j.gan.data.DataLoader;
import dev.gan4j.gan.data.Dataset;
import dev.gan4j.gan.data.ImageBatch;
import dev.gan4j.gan.eval.QualityMonitor;
import dev.gan4j.gan.model.GanModels;
import dev.gan4j.gan.model.LabelPlanes;
import dev.gan4j.gan.model.LatentCode;
import dev.gan4j.gan.report.ImageGrid;
import dev.gan4j.gan.report.LossCurves;
import dev.gan4j.gan.report.MetricsLog;
import dev.gan4j.nn.Module;
import dev.gan4j.nn.optim.Adam;
import dev.gan4j.nn.optim.Optimizer;
import dev.gan4j.nn.optim.RmsProp;
import dev.gan4j.nn.optim.WeightAverage;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.MemoryScope;
import dev.gan4j.tensor.Philox;
import dev.gan4j.tensor.Tensor;
import dev.gan4j.tensor.profile.Phase;
import dev.gan4j.tensor.profile.Profiler;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

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
    /** Up to this many classes, a conditional run's grid has one row per class (else 8 rows of the first 8). */
    private static final int MAX_CLASS_ROWS = 16;
    private static final long READ_BACK_NANOS = 500_000_000L;

    private final TrainingRun run;
    private final TrainConfig config;
    private final DataLoader loader;
    private final Device device;
    private final PrintStream out;
    private final Module generator;
    private final Module discriminator;
    private final Optimizer optG;
    private final Optimizer optD;
    /** The moving average of the generator's weights that draws the samples, or null when not kept. */
    private final WeightAverage average;
    private final Generator noise;
    private final LatentCode code;
    /** The latent codes of the sample grids: one row per class when the pair is class-conditional. */
    private final Tensor fixedCodes;
    private final int gridSide;
    private final MetricsLog metrics;
    private final StopSignal stop;
    private final QualityMonitor quality;
    private TrainingState state;
    private double lastLossG = Double.NaN;
    private Profiler profiler;
    /** Steps of this process left to run before the profiler records (the JIT's warm-up). */
    private int profileWarmup;
    private GraphDump graphDump;
    /** Steps whose numbers are read back together, at most every {@link #READ_BACK_NANOS} or when needed. */
    private final List<Unread> unread = new ArrayList<>();
    private long lastReadBack = System.nanoTime();

    public Trainer(TrainingRun run, Dataset dataset, Device device, StopSignal stop, PrintStream out) {
        this(run, dataset, device, stop, out, QualityMonitor.NONE);
    }

    /** A trainer that also measures its samples' quality after the epochs {@code quality} asks for. */
    public Trainer(TrainingRun run, Dataset dataset, Device device, StopSignal stop, PrintStream out,
                   QualityMonitor quality) {
        this.run = run;
        this.quality = quality;
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
        this.optD = optimizer(discriminator, config.discriminatorLr());
        this.average = config.averagesGenerator() ? new WeightAverage(generator,
                GanModels.generator(config.modelSpec(dataset.channels()), init).to(device).eval(), config.emaDecay())
                : null;
        this.noise = new Generator(config.seed() ^ 0x5DEECE66DL);
        this.code = config.latentCode();
        this.gridSide = code.conditional() && code.classes() <= MAX_CLASS_ROWS ? code.classes() : GRID_SIDE;
        this.fixedCodes = code.withLabels(Tensor.normal(new Generator(config.seed() + 1), 0, 1,
                dev.gan4j.tensor.DType.F32, device, gridSide * gridSide, config.latentSize()), gridRowClasses());
        this.metrics = new MetricsLog(Stream.concat(COLUMNS.stream(), quality.columns().stream()).toList());
        this.state = TrainingState.start();
    }

    private Optimizer optimizer(Module m, double lr) {
        return config.optimizer().equals("rmsprop") ? new RmsProp(m.parameters(), lr)
                : new Adam(m.parameters(), lr, config.beta1(), config.beta2());
    }

    /**
     * Times the kernels of every training step with {@code profiler} ({@code train --profile}), after the
     * first {@code warmupSteps}: those run while the JIT compiles the kernels, and their first calls'
     * class loading would be charged to whichever op came first (about 0.4 s to the first matrix product).
     */
    public void profileWith(Profiler profiler, int warmupSteps) {
        this.profiler = profiler;
        this.profileWarmup = warmupSteps;
    }

    /** Writes the autograd graphs of the next step's losses into the run folder ({@code train --dump-graph}). */
    public void dumpGraphs() {
        graphDump = new GraphDump(generator, discriminator);
    }

    public Module generator() { return generator; }
    public Module discriminator() { return discriminator; }
    /** The generator that draws the samples: the weight average when one is kept, else the live one. */
    public Module sampler() { return average != null ? average.model() : generator; }
    public TrainingState state() { return state; }
    public MetricsLog metrics() { return metrics; }

    /** Restores models, optimisers, data position, noise generator and metrics from a checkpoint. */
    public void resume(Path checkpoint) throws IOException {
        state = TrainingCheckpoint.load(checkpoint, generator, discriminator, optG, optD, average, noise);
        Path csv = run.folder().resolve("metrics.csv");
        if (Files.exists(csv)) {
            MetricsLog saved = MetricsLog.load(csv);
            saved.truncateAfter(state.step());
            metrics.addRowsOf(saved);
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
                        if (config.maxStepsReached(state.step())) return finished(); // before a step, not after it
                        ImageBatch batch = it.next();
                        StepReadings r = profiledStep(batch);
                        if (graphDump != null) {
                            graphDump.write(run.folder());
                            graphDump = null;
                        }
                        double seconds = secondsBefore + (System.nanoTime() - started) / 1e9;
                        state = state.advance(seconds);
                        unread.add(new Unread(state, r));
                        boolean sampleDue = config.sampleInterval() > 0 && r.generatorStepped()
                                && state.step() % config.sampleInterval() == 0;
                        boolean stopRequested = stop.requested();
                        boolean lastStep = config.maxStepsReached(state.step());
                        if (sampleDue || stopRequested || lastStep || !it.hasNext()
                                || System.nanoTime() - lastReadBack >= READ_BACK_NANOS) {
                            Unread diverged = readBack(progress);
                            if (diverged != null) return diverged(diverged);
                        }
                        if (sampleDue) writeSamples(String.format(Locale.ROOT, "step_%07d.png", state.step()));
                        if (stopRequested) return interrupted();
                        if (lastStep) return finished();
                    }
                }
                state = state.nextEpoch();
                writeSamples(String.format(Locale.ROOT, "epoch_%03d.png", state.epoch()));
                if (quality.due(state.epoch())) {
                    quality.evaluate(sampler(), state.epoch(), run.folder()).forEach(metrics::setLast);
                    progress.showQuality(quality.summary());
                }
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

    /**
     * Reads the numbers of the steps not read yet in one transfer (so a step itself never waits for the device),
     * records them and updates the progress bar; returns the first step whose losses are not finite, if any.
     */
    private Unread readBack(Progress progress) {
        float[] values;
        try (MemoryScope ignored = MemoryScope.open()) {  // the stacked copy is only needed for the transfer
            values = Tensor.concat(unread.stream().map(u -> u.readings().values()).toList(), 0).toFloatArray();
        }
        unread.forEach(u -> u.readings().release());
        lastReadBack = System.nanoTime();
        try {
            for (int i = 0; i < unread.size(); i++) {
                Unread u = unread.get(i);
                StepResult r = u.readings().read(values, i);
                if (!r.finite()) return new Unread(u.state(), u.readings(), r);
                if (r.generatorStepped()) lastLossG = r.lossG();
                metrics.addLeading(u.state().step(), u.state().epoch() + 1, r.lossD(), lastLossG, r.dReal(), r.dFake(),
                        r.penalty(), u.state().seconds());
                progress.update(u.state(), r, lastLossG);
            }
            return null;
        } finally {
            unread.clear();
        }
    }

    private Outcome diverged(Unread u) throws IOException {
        StepResult r = u.result();
        writeReports();
        System.err.printf(Locale.ROOT, "error: the losses are no longer finite at step %d (loss_D=%s, loss_G=%s); "
                        + "stopping. The last good checkpoint is kept: %s%n", u.state().step(), r.lossD(), r.lossG(),
                Files.exists(run.lastCheckpoint()) ? run.lastCheckpoint() : "(none was written yet)");
        return Outcome.DIVERGED;
    }

    private StepReadings profiledStep(ImageBatch batch) {
        if (profiler == null) return step(batch);
        if (profileWarmup > 0) {
            profileWarmup--;
            return step(batch);
        }
        try (Profiler.Recording ignored = profiler.start()) {
            return step(batch);
        }
    }

    /**
     * One training step; what it allocates is released when it returns (see {@link MemoryScope}), except its
     * readings, which wait on the device for the next read-back.
     */
    StepReadings step(ImageBatch batch) {
        try (MemoryScope scope = MemoryScope.open()) {
            StepReadings readings = stepInScope(batch);
            scope.keep(readings.values());
            return readings;
        }
    }

    /**
     * One discriminator step, and a generator step when it is due; its numbers stay on the device. A
     * class-conditional pair draws its fakes for the real batch's classes, so D compares like with like.
     */
    private StepReadings stepInScope(ImageBatch batch) {
        generator.train();
        discriminator.train();
        Tensor real = Tensor.fromArray(batch.pixels(), batch.count(), batch.channels(), batch.height(), batch.width())
                .to(device);
        Tensor oneHot = code.conditional() ? code.oneHot(batch.labels(), device) : null;
        // The three discriminator calls of a step share one set of label planes.
        Tensor planes = oneHot == null ? null : LabelPlanes.of(oneHot, batch.height(), batch.width());
        boolean generatorDue = (state.step() + 1) % config.nCritic() == 0;
        Tensor z = sampleNoise(batch.count());
        Variable fake = generator.forward(Variable.constant(oneHot == null ? z : code.withOneHot(z, oneHot)));

        Variable realScores = score(Variable.constant(real), planes);
        Variable fakeScores = score(fake.detach(), planes);
        Variable lossD = config.objective().discriminatorLoss(realScores, fakeScores);
        Tensor penalty = Tensor.zeros(lossD.dtype(), device);
        if (config.objective() == Objective.WGAN_GP) {
            Variable gp = GradientPenalty.of(images -> score(images, planes), real, fake.data(), noise)
                    .mul(config.gpWeight());
            captureGraph("gradient_penalty", gp);
            penalty = gp.data();
            lossD = lossD.add(gp);
        }
        captureGraph("discriminator_loss", lossD);
        Tensor dReal = config.objective().meanBelief(realScores);
        Tensor dFake = config.objective().meanBelief(fakeScores);
        updateParameters(lossD, discriminator, optD);
        if (config.clip() > 0) clipWeights();

        Tensor lossG = Tensor.full(Double.NaN, lossD.dtype(), device);
        if (generatorDue) {
            Variable loss = config.objective().generatorLoss(score(fake, planes));
            captureGraph("generator_loss", loss);
            lossG = loss.data();
            updateParameters(loss, generator, optG);
            if (average != null) average.update();
        }
        List<Tensor> readings = Stream.of(lossD.data(), lossG, dReal, dFake, penalty).map(t -> t.reshape(1)).toList();
        return new StepReadings(Tensor.concat(readings, 0), generatorDue);
    }

    /** The discriminator's logits for {@code images} (with their classes' label planes when conditional, else null). */
    private Variable score(Variable images, Tensor planes) {
        return GanModels.logits(discriminator, planes == null ? images : LabelPlanes.append(images, planes));
    }

    private void captureGraph(String what, Variable loss) {
        if (graphDump != null) graphDump.capture(what, loss);
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
        try (Autograd.Scope ignored = Autograd.noGrad(); Profiler.Scope phase = Profiler.phase(Phase.OPTIMIZER)) {
            for (Variable p : discriminator.parameters()) p.data().assign(p.data().clamp(-config.clip(), config.clip()));
        }
    }

    /** Drawn on the device (Philox, keyed from the noise generator), so the same on every device for one seed. */
    private Tensor sampleNoise(int count) {
        return Tensor.random(Philox.Distribution.NORMAL, noise.nextLong(), 0, 0, 1, dev.gan4j.tensor.DType.F32, device,
                count, config.latentSize());
    }

    /** The class of each grid cell: row r draws class r. */
    private int[] gridRowClasses() {
        int[] classes = new int[gridSide * gridSide];
        for (int i = 0; i < classes.length; i++) classes[i] = code.conditional() ? i / gridSide % code.classes() : 0;
        return classes;
    }

    /** Samples for the fixed codes, in eval mode (running batch-norm statistics), from {@link #sampler()}. */
    private void writeSamples(String name) throws IOException {
        if (quality.drawsSamples()) return;
        Tensor images;
        Module sampler = sampler();
        sampler.eval();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            images = sampler.forward(Variable.constant(fixedCodes)).data();
        } finally {
            generator.train();
        }
        int[] s = images.shape();
        ImageGrid.writeGrid(ImageBatch.unlabelled(images.toFloatArray(), s[0], s[1], s[2], s[3]), gridSide, gridSide,
                run.samplesFolder().resolve(name));
    }

    private void writeReports() throws IOException {
        metrics.save(run.folder().resolve("metrics.csv"));
        if (metrics.size() > 1) LossCurves.write(metrics, run.folder().resolve("loss_curves.png"));
        if (metrics.size() > 0) quality.writeCurves(metrics, run.folder());
    }

    /**
     * Writes last.safetensors (and, when named, a copy for the epoch, keeping only the newest few) plus the
     * metrics it belongs to.
     */
    private void saveCheckpoint(String epochName) throws IOException {
        writeReports();
        TrainingCheckpoint.save(run.lastCheckpoint(), run, state, generator, discriminator, optG, optD, average, noise);
        if (epochName != null) {
            TrainingCheckpoint.save(run.checkpointsFolder().resolve(epochName), run, state, generator, discriminator,
                    optG, optD, average, noise);
            run.pruneEpochCheckpoints();
        }
    }

    /** How a call to {@link #train()} ended. */
    public enum Outcome { FINISHED, INTERRUPTED, DIVERGED }

    /** A step's {@code [loss_D, loss_G (NaN without a generator step), D(x), D(G(z)), penalty]}, on the device. */
    record StepReadings(Tensor values, boolean generatorStepped) {
        StepResult read(float[] all, int step) {
            int at = step * 5;
            return new StepResult(all[at], all[at + 1], all[at + 2], all[at + 3], all[at + 4], generatorStepped);
        }

        /** Once read, the values go back to the backend's cache at once, so the next step reuses them. */
        void release() {
            values.storage().release();
        }
    }

    /** A step whose numbers have not been read back yet: the state after it, and (once read) its result. */
    private record Unread(TrainingState state, StepReadings readings, StepResult result) {
        Unread(TrainingState state, StepReadings readings) {
            this(state, readings, null);
        }
    }

    /** What one step measured. */
    record StepResult(double lossD, double lossG, double dReal, double dFake, double penalty, boolean generatorStepped) {
        boolean finite() {
            return Double.isFinite(lossD) && (!generatorStepped || Double.isFinite(lossG));
        }
    }
}
