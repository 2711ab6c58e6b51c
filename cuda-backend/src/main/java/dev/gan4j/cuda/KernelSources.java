package dev.gan4j.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The CUDA C sources of the custom kernels, kept as resources in {@code dev/gan4j/cuda/kernels/}. Each
 * program is {@code common.cuh} followed by one {@code .cu} file; NVRTC compiles exactly this text at
 * run time, and the tests hand the same text to {@code nvcc -ptx}.
 */
public final class KernelSources {

    /** The programs, one per file, each compiled into its own module. */
    public static final List<String> PROGRAMS = List.of("elementwise", "reduce", "index", "pool", "random");

    private KernelSources() {}

    /** The full source of a program: the common header, then the program's file. */
    public static String program(String name) {
        return resource("common.cuh") + "\n" + resource(name + ".cu");
    }

    private static String resource(String file) {
        try (InputStream in = KernelSources.class.getResourceAsStream("kernels/" + file)) {
            if (in == null) throw new IllegalStateException("kernel source " + file + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel source " + file, e);
        }
    }
}
