package dev.gan4j.gan.cli;

import java.util.List;

/** The process's command-line arguments, kept so a run can record the exact command that started it. */
final class Args {

    private static volatile List<String> current = List.of();

    private Args() {}

    static void set(String[] args) {
        current = List.of(args);
    }

    static List<String> current() {
        return current;
    }
}
