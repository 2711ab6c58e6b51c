package dev.gan4j.gan.cli;

import dev.gan4j.gan.data.StandardDataset;
import dev.gan4j.gan.eval.ClassifierRecipe;
import dev.gan4j.gan.eval.ClassifierStore;
import dev.gan4j.tensor.backend.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code gan4j classifier}: trains (or retrains) the classifier that {@code gan4j eval} judges samples with. */
@Command(name = "classifier", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train the classifier that judges a dataset's samples, and cache it.")
final class ClassifierCommand implements Callable<Integer> {

    @Option(names = "--dataset", description = "mnist or cifar10 (default mnist)") String dataset = "mnist";
    @Option(names = "--data-dir", description = "Folder holding the dataset files") Path dataDir;
    @Option(names = "--device", description = "auto, cpu or cuda[:N]") String device = "auto";
    @Option(names = "--threads", description = "CPU threads (default: all cores)") Integer threads;

    @Override
    public Integer call() throws IOException {
        CliThreads.apply(threads);
        StandardDataset data = StandardDataset.byId(dataset);
        ClassifierStore store = ClassifierStore.standard();
        ClassifierStore.Stored stored = store.train(ClassifierRecipe.forDataset(data.id()), data, dataDir,
                Backends.resolve(device), System.out);
        System.out.printf(Locale.ROOT, "cached %s: test accuracy %.2f%%, weights sha256 %s%n",
                stored.identity().file(), 100 * stored.identity().testAccuracy(), stored.identity().weightsSha256());
        return 0;
    }
}
