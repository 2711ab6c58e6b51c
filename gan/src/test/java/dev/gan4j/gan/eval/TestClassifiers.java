package dev.gan4j.gan.eval;

import dev.gan4j.gan.data.StandardDataset;
import dev.gan4j.tensor.Device;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real MNIST classifier for tests, trained with the standard recipe once into
 * {@code target/test-classifiers} (a few CPU-minutes on a clean build, then reused) and shared by every
 * test class of the JVM, with the MNIST test set as its reference. gan/pom.xml points
 * {@link ClassifierStore#standard()} there too (system property gan4j.classifiers), for tests of the
 * command line and of training runs.
 */
public final class TestClassifiers {

    public static final Path FOLDER = Path.of(System.getProperty(ClassifierStore.OVERRIDE_PROPERTY,
            "target/test-classifiers")).toAbsolutePath();

    private static SampleQuality mnist;

    private TestClassifiers() {}

    /** ../shared/data/mnist from the working directory or one of its parents, or null. */
    public static Path sharedMnist() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolveSibling("shared").resolve("data/mnist");
            if (Files.isDirectory(candidate)) return candidate;
        }
        return null;
    }

    public static synchronized SampleQuality mnist() throws IOException {
        if (mnist == null) {
            mnist = SampleQuality.open(new ClassifierStore(FOLDER), StandardDataset.MNIST, sharedMnist(), Device.CPU,
                    new PrintStream(System.out, true));
        }
        return mnist;
    }
}
