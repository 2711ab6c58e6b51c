package dev.gan4j.gan.eval;

import dev.gan4j.gan.data.CacheDirectory;
import dev.gan4j.gan.data.Dataset;
import dev.gan4j.gan.data.Split;
import dev.gan4j.gan.data.StandardDataset;
import dev.gan4j.nn.io.Checkpoint;
import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Generator;
import dev.gan4j.tensor.Tensor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The judging classifiers, cached as safetensors files, one per recipe: {@code $GAN4J_CLASSIFIERS} (or the
 * system property {@code gan4j.classifiers}) if set,
 * else {@code classifiers/} beside the dataset cache ({@code ~/.cache/gan4j/classifiers}). A classifier
 * missing from the cache, or cached from another recipe, is trained on first use. The file holds the
 * weights ({@code classifier.*}) and the features of the test split ({@code reference.features}), the
 * reference every sample set is compared with, so judging needs neither the data nor its features
 * recomputed; its metadata records the recipe, the SHA-256 of the training data it saw, its test
 * accuracy and training time.
 */
public final class ClassifierStore {

    public static final String OVERRIDE_VARIABLE = "GAN4J_CLASSIFIERS";
    /** The same override as a system property, which wins: tests point it into target/. */
    public static final String OVERRIDE_PROPERTY = "gan4j.classifiers";
    static final String FORMAT = "gan4j-classifier-1";
    private static final String WEIGHTS = "classifier";
    private static final String REFERENCE = "reference.features";

    private final Path folder;

    public ClassifierStore(Path folder) {
        this.folder = folder;
    }

    /** The store in the user's cache. */
    public static ClassifierStore standard() {
        return new ClassifierStore(folder(System.getenv(), Path.of(System.getProperty("user.home"))));
    }

    static Path folder(Map<String, String> environment, Path home) {
        String property = System.getProperty(OVERRIDE_PROPERTY);
        if (property != null && !property.isBlank()) return Path.of(property);
        String override = environment.get(OVERRIDE_VARIABLE);
        if (override != null && !override.isBlank()) return Path.of(override);
        // Beside the per-user dataset cache, whatever $GAN4J_DATA says: data can live on a shared disk.
        Map<String, String> withoutDataOverride = new HashMap<>(environment);
        withoutDataOverride.remove(CacheDirectory.OVERRIDE_VARIABLE);
        return CacheDirectory.resolve(withoutDataOverride, home).resolveSibling("classifiers");
    }

    public Path fileOf(ClassifierRecipe recipe) {
        return folder.resolve(recipe.name() + ".safetensors");
    }

    /** Whether a classifier of this recipe is cached (it may still be of an older format and be retrained). */
    public boolean holds(ClassifierRecipe recipe) {
        return Files.isRegularFile(fileOf(recipe));
    }

    /**
     * A trained classifier, where it came from, and the features {@code [N, F]} of the reference images.
     *
     * @param reference what the reference images are, e.g. "mnist-test (10000 images)"
     */
    public record Stored(Classifier classifier, ClassifierIdentity identity, Tensor referenceFeatures,
                         String reference) {}

    /** The cached classifier for a dataset, trained and cached first when there is none for its recipe. */
    public Stored loadOrTrain(StandardDataset dataset, Path dataDir, Device device, PrintStream log)
            throws IOException {
        ClassifierRecipe recipe = ClassifierRecipe.forDataset(dataset.id());
        Path file = fileOf(recipe);
        if (Files.isRegularFile(file)) {
            Checkpoint saved = Checkpoint.load(file);
            if (FORMAT.equals(saved.metadata().get("format")) && recipe.toJson().equals(saved.metadata().get("recipe"))) {
                return load(file, saved, recipe, device);
            }
            log.println("the cached classifier " + file + " is of another format or recipe; training it again");
        }
        return train(recipe, dataset, dataDir, device, log);
    }

    /** Trains a dataset's classifier and caches it, replacing any cached one. */
    public Stored train(ClassifierRecipe recipe, StandardDataset dataset, Path dataDir, Device device,
                        PrintStream log) throws IOException {
        Dataset trainSplit = dataset.open(Split.TRAIN, dataDir);
        Dataset testSplit = dataset.open(Split.TEST, dataDir);
        log.printf("training the %s classifier %s (once; cached in %s)%n", dataset.id(), recipe.name(), folder);
        ClassifierTraining.Result result = ClassifierTraining.train(recipe, trainSplit, testSplit, device, log);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("recipe", recipe.toJson());
        meta.put("dataset", dataset.id());
        meta.put("dataset_sha256", sha256(trainSplit));
        meta.put("channels", Integer.toString(trainSplit.channels()));
        meta.put("image_size", Integer.toString(trainSplit.height()));
        meta.put("classes", Integer.toString(trainSplit.numClasses()));
        meta.put("test_accuracy", Double.toString(result.testAccuracy()));
        meta.put("train_seconds", String.format(Locale.ROOT, "%.1f", result.seconds()));
        meta.put("reference", testSplit.name() + " (" + testSplit.size() + " images)");
        Tensor features = result.classifier().classify(Images.of(testSplit, testSplit.size())).features().to(DType.F32);
        Map<String, Tensor> tensors = new LinkedHashMap<>(Checkpoint.prefixed(WEIGHTS, result.classifier().stateDict()));
        tensors.put(REFERENCE, features);
        Files.createDirectories(folder);
        Path file = fileOf(recipe);
        Checkpoint.save(file, tensors, meta);
        return new Stored(result.classifier(), identity(file, recipe, meta), features, meta.get("reference"));
    }

    private static Stored load(Path file, Checkpoint saved, ClassifierRecipe recipe, Device device) {
        Map<String, String> meta = saved.metadata();
        Classifier classifier = new Classifier(recipe, intField(file, meta, "channels"), intField(file, meta, "image_size"),
                intField(file, meta, "classes"), new Generator(0));
        try {
            saved.loadInto(classifier, WEIGHTS, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        Tensor features = saved.tensors().get(REFERENCE);
        if (features == null) throw new IllegalArgumentException(file + ": no '" + REFERENCE + "' tensor");
        classifier.to(device).eval();
        return new Stored(classifier, identity(file, recipe, meta), features, meta.get("reference"));
    }

    private static ClassifierIdentity identity(Path file, ClassifierRecipe recipe, Map<String, String> meta) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
            String weights = HexFormat.of().formatHex(hash);
            return new ClassifierIdentity(recipe.name(), file.toString(), weights, meta.get("dataset_sha256"),
                    Double.parseDouble(meta.get("test_accuracy")));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash " + file + ": " + e.getMessage(), e);
        }
    }

    private static int intField(Path file, Map<String, String> meta, String key) {
        String value = meta.get(key);
        if (value == null) throw new IllegalArgumentException(file + ": classifier metadata lacks '" + key + "'");
        return Integer.parseInt(value);
    }

    /** SHA-256 of a dataset as loaded: every image's float32 pixels in order, then the labels. */
    static String sha256(Dataset data) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            float[] image = new float[data.imageSize()];
            ByteBuffer bytes = ByteBuffer.allocate(4 * image.length);
            for (int i = 0; i < data.size(); i++) {
                data.copyImage(i, image, 0);
                bytes.clear();
                bytes.asFloatBuffer().put(image);
                digest.update(bytes.array());
            }
            for (int i = 0; i < data.size(); i++) digest.update((byte) data.label(i));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
