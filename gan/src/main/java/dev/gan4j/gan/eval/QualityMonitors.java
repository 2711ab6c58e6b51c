package dev.gan4j.gan.eval;

import dev.gan4j.gan.model.LatentCode;
import dev.gan4j.gan.data.StandardDataset;
import dev.gan4j.gan.data.ToyPoints;
import dev.gan4j.tensor.Device;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/** Picks what a training run measures about its samples, from its dataset. */
public final class QualityMonitors {

    /** Samples per measurement during training: cheap enough for about 5% of an MNIST epoch. */
    public static final int DEFAULT_SAMPLES = 2000;

    private QualityMonitors() {}

    /**
     * @param everyEpochs measure after every this many epochs; 0 measures nothing
     * @param asked       whether the user asked for measurements ({@code --eval-every}): only then may a missing
     *                    MNIST classifier be trained, minutes that a plain run should not spend unannounced
     * @param dataDir     the dataset folder the run uses, or null
     */
    public static QualityMonitor forRun(String dataset, Path dataDir, LatentCode latentCode, int everyEpochs,
                                        boolean asked, int samples, Device device, PrintStream log) {
        if (everyEpochs == 0) return QualityMonitor.NONE;
        String name = dataset.toLowerCase(Locale.ROOT);
        if (ToyPoints.isToy(name)) return new ToyQualityMonitor(ToyPoints.byId(name), everyEpochs, latentCode);
        if (name.equals("cifar10") && !ClassifierStore.standard().holds(ClassifierRecipe.CIFAR10)) {
            // About 25 minutes on 2 cores (MNIST's: two): never as a side effect of a run.
            log.println("note: no cifar10 classifier is cached, so the run measures no sample quality;"
                    + " 'gan4j classifier --dataset cifar10' trains one (about 25 minutes on 2 cores)");
            return QualityMonitor.NONE;
        }
        if (ClassifierRecipe.exists(name) && !asked
                && !ClassifierStore.standard().holds(ClassifierRecipe.forDataset(name))) {
            log.println("note: no " + name + " classifier is cached yet, so this run measures no sample quality;"
                    + " 'gan4j classifier --dataset " + name + "' trains it once (a few CPU-minutes), or add"
                    + " --eval-every 1 to train it at the first measurement");
            return QualityMonitor.NONE;
        }
        if (ClassifierRecipe.exists(name)) {
            return new ClassifierQualityMonitor(StandardDataset.byId(name), dataDir, device, everyEpochs, samples,
                    latentCode, log);
        }
        log.println("note: no classifier exists for " + dataset + ", so the run measures no sample quality");
        return QualityMonitor.NONE;
    }
}
