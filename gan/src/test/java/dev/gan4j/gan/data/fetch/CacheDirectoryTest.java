package dev.gan4j.gan.data.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheDirectoryTest {
    private static final Path HOME = Path.of("/home/ada");

    @Test
    void defaultsToDotCacheInTheHomeFolder() {
        assertEquals(Path.of("/home/ada/.cache/gan4j/datasets"), CacheDirectory.resolve(Map.of(), HOME));
    }

    @Test
    void honoursXdgCacheHome() {
        assertEquals(Path.of("/var/cache/ada/gan4j/datasets"),
                CacheDirectory.resolve(Map.of("XDG_CACHE_HOME", "/var/cache/ada"), HOME));
    }

    @Test
    void ignoresARelativeXdgCacheHomeAsTheSpecRequires() {
        assertEquals(Path.of("/home/ada/.cache/gan4j/datasets"),
                CacheDirectory.resolve(Map.of("XDG_CACHE_HOME", "relative/cache"), HOME));
    }

    @Test
    void gan4jDataOverridesEverything() {
        assertEquals(Path.of("/data/sets"), CacheDirectory.resolve(
                Map.of("GAN4J_DATA", "/data/sets", "XDG_CACHE_HOME", "/var/cache/ada"), HOME));
    }
}
