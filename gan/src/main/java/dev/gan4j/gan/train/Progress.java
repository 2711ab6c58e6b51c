package dev.gan4j.gan.train;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.Locale;

/**
 * The console progress bar of a run: epoch, step, throughput, ETA and the latest losses. On a terminal
 * it redraws in place; otherwise (logs, CI) it prints a line every ten seconds.
 */
final class Progress implements AutoCloseable {

    private final ProgressBar bar;
    private final int batchesPerEpoch;
    private final int epochs;
    private String quality = "";

    private Progress(ProgressBar bar, int batchesPerEpoch, int epochs) {
        this.bar = bar;
        this.batchesPerEpoch = batchesPerEpoch;
        this.epochs = epochs;
    }

    static Progress open(TrainConfig config, int batchesPerEpoch, TrainingState state, PrintStream out) {
        long total = (long) batchesPerEpoch * config.epochs();
        if (config.maxSteps() > 0) total = Math.min(total, config.maxSteps());
        boolean terminal = System.console() != null && out == System.out;
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName("train")
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" steps", 1)
                // Two significant places, so a slow device shows "0.04 steps/s" rather than ".0".
                .showSpeed(new DecimalFormat("0.0#", DecimalFormatSymbols.getInstance(Locale.ROOT)))
                .startsFrom(state.step(), Duration.ofMillis((long) (state.seconds() * 1000)))
                .setUpdateIntervalMillis(terminal ? 500 : 10_000)
                .setConsumer(terminal ? new ConsoleProgressBarConsumer(out, 160)
                        : new DelegatingProgressBarConsumer(out::println, 160));
        return new Progress(builder.build(), batchesPerEpoch, config.epochs());
    }

    void update(TrainingState state, Trainer.StepResult r, double lossG) {
        bar.stepTo(state.step());
        bar.setExtraMessage(String.format(Locale.ROOT, " | epoch %d/%d batch %d/%d  loss_D %.4f  loss_G %.4f  D(x) %.3f  D(G(z)) %.3f",
                state.epoch() + 1, epochs, state.batchInEpoch(), batchesPerEpoch, r.lossD(), lossG, r.dReal(), r.dFake())
                + quality);
    }

    /** Shows the latest sample-quality measurement (e.g. "FID 12.3") after the losses from now on. */
    void showQuality(String summary) {
        quality = summary.isEmpty() ? "" : "  " + summary;
    }

    @Override
    public void close() {
        bar.close();
    }
}
