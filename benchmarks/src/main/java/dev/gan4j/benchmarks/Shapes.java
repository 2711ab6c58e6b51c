package dev.gan4j.benchmarks;

import java.util.Arrays;

/** Parses the {@code AxBxC} shape parameters of the benchmarks. */
final class Shapes {

    private Shapes() {}

    static int[] parse(String shape) {
        return Arrays.stream(shape.split("x")).mapToInt(Integer::parseInt).toArray();
    }
}
