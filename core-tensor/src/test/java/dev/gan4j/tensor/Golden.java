package dev.gan4j.tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Values computed by PyTorch, see src/test/resources/golden/make_golden.py. */
final class Golden {

    private static Map<String, Nd> values;

    private Golden() {}

    static synchronized Nd get(String name) {
        if (values == null) values = load("/golden/torch_golden.txt");
        Nd nd = values.get(name);
        if (nd == null) throw new IllegalArgumentException("no golden value " + name);
        return new Nd(nd.shape(), nd.data().clone());
    }

    private static Map<String, Nd> load(String resource) {
        try (InputStream in = Golden.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource);
            Map<String, Nd> map = new HashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] parts = line.split("\\|", -1);
                int[] shape = parts[1].isEmpty() ? new int[0]
                        : Arrays.stream(parts[1].split(",")).mapToInt(Integer::parseInt).toArray();
                double[] data = parts[2].isEmpty() ? new double[0]
                        : Arrays.stream(parts[2].trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
                map.put(parts[0], new Nd(shape, data));
            }
            return map;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
