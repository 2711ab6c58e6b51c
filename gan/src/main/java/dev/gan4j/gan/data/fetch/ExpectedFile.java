package dev.gan4j.gan.data.fetch;

import java.util.Locale;
import java.util.Objects;

/** A dataset file as it must be on disk after fetching: its name, exact size and SHA-256 (lower-case hex). */
public record ExpectedFile(String name, long size, String sha256) {
    public ExpectedFile {
        Objects.requireNonNull(name, "name");
        if (size < 0) {
            throw new IllegalArgumentException(name + ": negative size " + size);
        }
        if (!sha256.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException(name + ": SHA-256 must be 64 hex digits, got '" + sha256 + "'");
        }
        sha256 = sha256.toLowerCase(Locale.ROOT);
    }
}
