package dev.gan4j.gan.cli;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training run small enough for command-line tests: 32 random 28 px images in a folder and a DCGAN of
 * width 4, four steps per epoch. Runs the command line in this JVM or, like a user, in a child JVM.
 */
final class TinyRun {

    /** A refused command: exit code 2, one "error: " line on stderr naming each fragment, no stack trace. */
    static void assertRefused(Result r, String... fragments) {
        String error = r.error();
        assertEquals(Main.USER_ERROR, r.code(), r.out() + error);
        assertEquals(1, error.lines().count(), "one line: " + error);
        assertTrue(error.startsWith("error: "), error);
        for (String f : fragments) {
            assertTrue(error.contains(f), "'" + error + "' lacks '" + f + "'");
        }
        assertFalse(error.contains("Exception") || error.contains("\tat "), error);
    }


    static final int IMAGES = 32;

    /** Exit code and the two output streams of one command. */
    record Result(int code, String out, String err) {
        /** What a refused command printed on stderr, without the JVM's own notice about the Vector API. */
        String error() {
            return err.lines().filter(line -> !line.startsWith("WARNING: Using incubator modules"))
                    .collect(java.util.stream.Collectors.joining("\n")).strip();
        }
    }

    private TinyRun() {}

    static Path images(Path folder) throws IOException {
        Files.createDirectories(folder);
        Random random = new Random(1);
        for (int i = 0; i < IMAGES; i++) {
            BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 28; y++) for (int x = 0; x < 28; x++) image.setRGB(x, y, random.nextInt(1 << 24));
            ImageIO.write(image, "png", folder.resolve(String.format("%02d.png", i)).toFile());
        }
        return folder;
    }

    /** The options of a tiny run on {@code images}; {@code extra} options replace those or come after them. */
    static String[] trainArgs(Path images, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--dataset", images.toString(), "--image-size", "28",
                "--width", "4", "--latent", "8", "--batch-size", "8", "--device", "cpu", "--threads", "1"));
        for (int i = 0; i < extra.length; i += 2) {
            int at = args.indexOf(extra[i]);
            if (at >= 0) {
                args.set(at + 1, extra[i + 1]);
            } else {
                args.add(extra[i]);
                args.add(extra[i + 1]);
            }
        }
        return args.toArray(String[]::new);
    }

    /** Runs the command line in this JVM. */
    static Result inProcess(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs the command line as a user would: a new JVM, its own stdout and stderr. */
    static Result childJvm(Path workDir, String... args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "stdout", ".txt");
        Path err = Files.createTempFile(workDir, "stderr", ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("gan4j " + String.join(" ", args) + " did not finish");
        }
        Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return result;
    }

    /** Every file below {@code root} with a hash of its content: what "nothing was touched" compares. */
    static Map<String, String> snapshot(Path root) {
        Map<String, String> files = new TreeMap<>();
        if (!Files.exists(root)) return files;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                String content = Files.isDirectory(p) ? "folder" : HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
                files.put(root.relativize(p).toString(), content);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return files;
    }
}
