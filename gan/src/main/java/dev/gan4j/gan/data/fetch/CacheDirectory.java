package dev.gan4j.gan.data.fetch;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where downloaded datasets are kept between runs, one subfolder per dataset:
 * {@code $GAN4J_DATA} if set, else {@code $XDG_CACHE_HOME/gan4j/datasets}, else {@code ~/.cache/gan4j/datasets}.
 */
public final class CacheDirectory {
    public static final String OVERRIDE_VARIABLE = "GAN4J_DATA";

    private CacheDirectory() {
    }

    /** The cache root for this process's environment and user. */
    public static Path fromEnvironment() {
        return resolve(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** The cache root for the given environment variables and home folder. */
    public static Path resolve(Map<String, String> environment, Path home) {
        String override = environment.get(OVERRIDE_VARIABLE);
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        // The XDG spec says relative values are invalid and must be ignored.
        String xdg = environment.get("XDG_CACHE_HOME");
        Path cache = xdg != null && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".cache");
        return cache.resolve("gan4j").resolve("datasets");
    }
}
