package dev.gan4j.gan.eval;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClassifierStoreTest {

    private static final Path HOME = Path.of("/home/u");

    @Test
    void classifiersLiveBesideTheDatasetCache() {
        String property = System.clearProperty(ClassifierStore.OVERRIDE_PROPERTY);
        try {
            assertEquals(Path.of("/home/u/.cache/gan4j/classifiers"), ClassifierStore.folder(Map.of(), HOME));
            assertEquals(Path.of("/xdg/gan4j/classifiers"),
                    ClassifierStore.folder(Map.of("XDG_CACHE_HOME", "/xdg"), HOME));
            // Data moved elsewhere with $GAN4J_DATA: the classifiers stay in the user's cache.
            assertEquals(Path.of("/home/u/.cache/gan4j/classifiers"),
                    ClassifierStore.folder(Map.of("GAN4J_DATA", "/shared/data"), HOME));
            assertEquals(Path.of("/models"), ClassifierStore.folder(Map.of("GAN4J_CLASSIFIERS", "/models"), HOME));
        } finally {
            if (property != null) System.setProperty(ClassifierStore.OVERRIDE_PROPERTY, property);
        }
    }

    @Test
    void theRecipeNamesItsFile() {
        assertEquals(Path.of("/c/mnist-cnn-v2.safetensors"), new ClassifierStore(Path.of("/c")).fileOf(ClassifierRecipe.MNIST));
    }
}
