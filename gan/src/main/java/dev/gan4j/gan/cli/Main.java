package dev.gan4j.gan.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * {@code gan4j}: train GANs, sample from checkpoints, and report the engine's backends. Every user error
 * (bad option, missing file, unusable device) ends in one line on stderr and a non-zero exit code.
 */
@Command(name = "gan4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "GANs on a from-scratch Java tensor engine.",
        subcommands = {TrainCommand.class, SampleCommand.class, EvalCommand.class, ClassifierCommand.class, InfoCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit code of a usage or input error. */
    static final int USER_ERROR = 2;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        System.setProperty("java.awt.headless", "true");
        Args.set(args);
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out).setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("error: " + e.getMessage() + " (see '" + e.getCommandLine().getCommandName() + " --help')");
            return USER_ERROR;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            err.println("error: " + describe(e));
            if (Boolean.getBoolean("gan4j.debug")) e.printStackTrace(err);
            return isUserError(e) ? USER_ERROR : 1;
        });
        return cli.execute(args);
    }

    private static boolean isUserError(Exception e) {
        return e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof java.io.IOException;
    }

    /** A one-line description of a failure: its message, or its type when it has none. */
    static String describe(Throwable e) {
        if (e instanceof java.nio.file.NoSuchFileException) return "file not found: " + e.getMessage();
        String message = e.getMessage();
        return message != null && !message.isBlank() ? message.lines().findFirst().orElse(message)
                : e.getClass().getSimpleName();
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"gan4j " + version()};
        }
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : "development build";
    }
}
