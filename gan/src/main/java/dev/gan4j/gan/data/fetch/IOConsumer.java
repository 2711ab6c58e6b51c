package dev.gan4j.gan.data.fetch;

import java.io.IOException;

/** A consumer that may fail with an {@link IOException}, for code that streams into files. */
@FunctionalInterface
public interface IOConsumer<T> {
    void accept(T value) throws IOException;
}
