package dev.gan4j.gan.cli;

import dev.gan4j.tensor.backend.Backends;

/** The {@code --threads} option of the commands that compute: all cores by default, never more. */
final class CliThreads {

    private CliThreads() {}

    /** Sizes the CPU backend's pool; says so on stderr when {@code requested} exceeds the cores. */
    static void apply(Integer requested) {
        int cores = Runtime.getRuntime().availableProcessors();
        int wanted = requested != null ? requested : cores;
        int used = Backends.setCpuThreads(wanted);
        if (used < wanted) {
            System.err.printf("note: --threads %d is more than the %d cores this JVM may use; using %d (more threads"
                    + " than cores only take turns on them)%n", wanted, cores, used);
        }
    }
}
