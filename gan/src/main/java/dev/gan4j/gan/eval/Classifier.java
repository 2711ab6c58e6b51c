package dev.gan4j.gan.eval;

import dev.gan4j.autograd.Autograd;
import dev.gan4j.autograd.Variable;
import dev.gan4j.nn.Module;
import dev.gan4j.nn.layers.BatchNorm2d;
import dev.gan4j.nn.layers.Conv2d;
import dev.gan4j.nn.layers.Flatten;
import dev.gan4j.nn.layers.Linear;
import dev.gan4j.nn.layers.MaxPool2d;
import dev.gan4j.nn.layers.ReLU;
import dev.gan4j.nn.layers.Sequential;
import dev.gan4j.tensor.ConvParams;
import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small CNN that judges samples: stages of 3x3 convolution + batch norm + ReLU, each ending in 2x2 max
 * pooling, then one hidden layer (the <em>features</em>, {@code featureSize} wide) and a linear layer
 * to the class logits. FID and precision/recall are computed in the features, as FID uses Inception's
 * penultimate layer; the Inception Score and the class histogram use the softmax of the logits.
 */
public final class Classifier extends Module {

    /** Images per forward pass when classifying many images: bounds memory, keeps GEMMs large. */
    private static final int EVAL_BATCH = 500;

    private final Sequential features;
    private final Linear head;
    private final ClassifierRecipe recipe;
    private final int channels;
    private final int imageSize;

    public Classifier(ClassifierRecipe recipe, int channels, int imageSize, int classes, Generator gen) {
        this.recipe = recipe;
        this.channels = channels;
        this.imageSize = imageSize;
        List<Module> layers = new ArrayList<>();
        int in = channels;
        int side = imageSize;
        for (int width : recipe.convWidths()) {
            for (int i = 0; i < recipe.convsPerStage(); i++) {
                layers.add(new Conv2d(in, width, 3, ConvParams.of(1, 1), false, gen));
                layers.add(new BatchNorm2d(width));
                layers.add(new ReLU());
                in = width;
            }
            layers.add(new MaxPool2d(2, 2, 0));
            side /= 2;
        }
        layers.add(new Flatten());
        layers.add(new Linear(in * side * side, recipe.featureSize(), true, gen));
        layers.add(new ReLU());
        this.features = registerModule("features", new Sequential(layers.toArray(Module[]::new)));
        this.head = registerModule("head", new Linear(recipe.featureSize(), classes, true, gen));
    }

    public ClassifierRecipe recipe() { return recipe; }
    public int channels() { return channels; }
    public int imageSize() { return imageSize; }

    /** Class logits {@code [N, classes]} of images {@code [N, C, S, S]} in [-1, 1]. */
    @Override
    public Variable forward(Variable x) {
        return head.forward(features.forward(x));
    }

    /** What the classifier sees in a set of images: features and class probabilities, one row per image. */
    public record Outputs(Tensor features, Tensor probabilities) {}

    /**
     * Features and softmax probabilities of images {@code [N, C, S, S]} in [-1, 1], computed in eval mode
     * in batches; both come back on the CPU in float64, ready for the statistics.
     */
    public Outputs classify(Tensor images) {
        int[] s = images.shape();
        if (s.length != 4 || s[1] != channels || s[2] != imageSize || s[3] != imageSize) {
            throw new IllegalArgumentException("classifier " + recipe.name() + " expects images [N, " + channels + ", "
                    + imageSize + ", " + imageSize + "], got " + Arrays.toString(s));
        }
        boolean wasTraining = isTraining();
        eval();
        List<Tensor> feats = new ArrayList<>();
        List<Tensor> probs = new ArrayList<>();
        Device device = head.parameters().get(0).device();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            for (int from = 0; from < s[0]; from += EVAL_BATCH) {
                int count = Math.min(EVAL_BATCH, s[0] - from);
                Variable x = Variable.constant(images.narrow(0, from, count).to(device));
                Variable f = features.forward(x);
                feats.add(f.data().to(Device.CPU).to(DType.F64));
                probs.add(softmax(head.forward(f).data().to(Device.CPU).to(DType.F64)));
            }
        } finally {
            if (wasTraining) train();
        }
        return new Outputs(Tensor.concat(feats, 0), Tensor.concat(probs, 0));
    }

    /** Row-wise softmax, shifted by the row maximum so exp() cannot overflow. */
    static Tensor softmax(Tensor logits) {
        Tensor e = logits.sub(logits.max(new int[] {1}, true)).exp();
        return e.div(e.sum(new int[] {1}, true));
    }
}
