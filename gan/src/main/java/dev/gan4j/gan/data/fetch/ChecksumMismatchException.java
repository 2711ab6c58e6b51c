package dev.gan4j.gan.data.fetch;

import java.io.IOException;

/** Fetched content that is not the expected file: wrong size or wrong SHA-256. */
public final class ChecksumMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    public ChecksumMismatchException(String message) {
        super(message);
    }
}
