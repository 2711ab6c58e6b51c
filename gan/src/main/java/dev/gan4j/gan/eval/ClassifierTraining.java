package dev.gan4j.gan.eval;

import dev.gan4j.autograd.Autograd;
import dev.gan4j.autograd.Variable;
import dev.gan4j.gan.data.BatchIterator;
import dev.gan4j.gan.data.DataLoader;
import dev.gan4j.gan.data.Dataset;
import dev.gan4j.gan.data.ImageBatch;
import dev.gan4j.nn.Loss;
import dev.gan4j.nn.optim.Adam;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Trains a {@link Classifier} from its recipe with cross-entropy and Adam, the learning rate halved
 * after each quarter of the epochs, and measures its test accuracy. Everything random (initialisation,
 * batch order, augmentation) is drawn from the recipe's seed, so the same recipe on the same data gives
 * the same weights on the same machine and thread count.
 */
public final class ClassifierTraining {

    /** A trained classifier with its test accuracy and how long training took. */
    public record Result(Classifier classifier, double testAccuracy, double seconds) {}

    private ClassifierTraining() {}

    public static Result train(ClassifierRecipe recipe, Dataset train, Dataset test, Device device, PrintStream log) {
        long started = System.nanoTime();
        Generator gen = new Generator(recipe.seed());
        Classifier classifier = new Classifier(recipe, train.channels(), train.height(), train.numClasses(), gen);
        classifier.to(device).train();
        Adam adam = new Adam(classifier.parameters(), recipe.lr(), 0.9, 0.999);
        DataLoader loader = new DataLoader(train, recipe.batchSize(), true, true, recipe.seed());
        Augmentation augmentation = recipe.shift() > 0 || recipe.flip()
                ? new Augmentation(recipe.shift(), recipe.flip(), new Generator(recipe.seed() + 1)) : null;
        long steps = (long) loader.batchesPerEpoch() * recipe.epochs();
        try (ProgressBar bar = progressBar("classifier " + recipe.name(), steps, log)) {
            for (int epoch = 0; epoch < recipe.epochs(); epoch++) {
                adam.setLearningRate(learningRate(recipe, epoch));
                try (BatchIterator it = loader.batches(epoch, 0)) {
                    while (it.hasNext()) {
                        ImageBatch batch = it.next();
                        if (augmentation != null) batch = augmentation.apply(batch);
                        double loss = step(classifier, adam, batch, device);
                        bar.step();
                        bar.setExtraMessage(String.format(Locale.ROOT, " | epoch %d/%d  loss %.4f", epoch + 1,
                                recipe.epochs(), loss));
                    }
                }
            }
        }
        double accuracy = accuracy(classifier, test);
        double seconds = (System.nanoTime() - started) / 1e9;
        log.printf(Locale.ROOT, "classifier %s: test accuracy %.2f%% after %.0f s%n", recipe.name(), 100 * accuracy,
                seconds);
        return new Result(classifier, accuracy, seconds);
    }

    /** The recipe's rate, halved after each quarter of the epochs (after every epoch of a 4-epoch recipe). */
    static double learningRate(ClassifierRecipe recipe, int epoch) {
        return recipe.lr() * Math.pow(0.5, epoch * 4 / recipe.epochs());
    }

    private static double step(Classifier classifier, Adam adam, ImageBatch batch, Device device) {
        Tensor x = Tensor.fromArray(batch.pixels(), batch.count(), batch.channels(), batch.height(), batch.width())
                .to(device);
        Variable loss = Loss.crossEntropy(classifier.forward(Variable.constant(x)), batch.labels(), Loss.Reduction.MEAN);
        List<Variable> params = classifier.parameters();
        List<Variable> grads = Autograd.grad(List.of(loss), params, null, false);
        for (int i = 0; i < params.size(); i++) params.get(i).setGrad(grads.get(i).data());
        adam.step();
        return loss.item();
    }

    /** The fraction of a labelled dataset that the classifier's most probable class gets right. */
    public static double accuracy(Classifier classifier, Dataset data) {
        Tensor predicted = classifier.classify(Images.of(data, data.size())).probabilities().argmax(1, false);
        double[] p = predicted.toDoubleArray();
        int correct = 0;
        for (int i = 0; i < p.length; i++) if ((int) p[i] == data.label(i)) correct++;
        return (double) correct / p.length;
    }

    /** A progress bar that prints a line every ten seconds (classifier training runs once, often in logs). */
    static ProgressBar progressBar(String task, long steps, PrintStream log) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(steps).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(10_000).setConsumer(new DelegatingProgressBarConsumer(log::println, 120))
                .build();
    }
}
