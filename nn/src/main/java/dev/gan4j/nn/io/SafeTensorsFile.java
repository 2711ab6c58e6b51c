package dev.gan4j.nn.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content of a safetensors file.
 *
 * @param tensors  by name, in the order the header lists them
 * @param metadata the header's {@code __metadata__} strings, in header order; empty when absent
 */
public record SafeTensorsFile(Map<String, StTensor> tensors, Map<String, String> metadata) {

    public SafeTensorsFile {
        // Map.copyOf would lose the header order, which callers may want to report.
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
