package dev.gan4j.gan.data.fetch;

import java.io.IOException;

/** No usable copy of a dataset: the given folder lacks files, or every download source failed. */
public final class DatasetUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    public DatasetUnavailableException(String message) {
        super(message);
    }
}
