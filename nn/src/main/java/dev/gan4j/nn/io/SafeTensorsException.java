package dev.gan4j.nn.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A safetensors file that cannot be read because its content breaks the format. The message names
 * the file, the tensor or metadata key at fault (when there is one) and the problem.
 */
public final class SafeTensorsException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /** A problem with the file as a whole, such as its size or its header. */
    SafeTensorsException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** A problem with one entry: {@code key} reads like "tensor 'w'" or "metadata key 'k'". */
    SafeTensorsException(Path file, String key, String problem) {
        this(file, key + ": " + problem);
    }

    public Path file() {
        return file;
    }
}
