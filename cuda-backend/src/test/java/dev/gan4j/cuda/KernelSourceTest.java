package dev.gan4j.cuda;

import dev.gan4j.tensor.backend.BinaryOp;
import dev.gan4j.tensor.backend.UnaryOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The kernel sources compile with NVIDIA's real compiler ({@code nvcc -ptx}, so syntax and types are
 * checked even where no GPU and no NVRTC exist), and keep the rules that make the CPU emulation exact.
 */
class KernelSourceTest {

    private static final Pattern KERNEL = Pattern.compile("extern \"C\" __global__ void (\\w+)\\(");
    private static final Pattern FORBIDDEN = Pattern.compile(
            "__syncthreads|__syncwarp|__shared__|__shfl\\w*|__ballot\\w*|__any_sync|__all_sync|__activemask|atomic[A-Z]\\w*");

    @Test
    void everyProgramCompilesWithNvcc(@TempDir Path dir) throws IOException, InterruptedException {
        String nvcc = findNvcc();
        assumeTrue(nvcc != null, "nvcc is neither on the PATH nor in /usr/local/cuda/bin");
        for (String program : KernelSources.PROGRAMS) {
            Path source = dir.resolve(program + ".cu");
            Path ptx = dir.resolve(program + ".ptx");
            Files.writeString(source, KernelSources.program(program));
            Process p = new ProcessBuilder(nvcc, "-ptx", "--fmad=false", source.toString(), "-o", ptx.toString())
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "nvcc timed out on " + program);
            assertEquals(0, p.exitValue(), "nvcc -ptx " + program + ".cu:\n" + output);
            String compiled = Files.readString(ptx);
            for (String kernel : kernels(program)) {
                assertTrue(compiled.contains(".entry " + kernel + "("), program + ": PTX lacks kernel " + kernel);
            }
        }
    }

    private static String findNvcc() {
        List<String> places = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) places.add(dir);
        places.add("/usr/local/cuda/bin");
        for (String dir : places) {
            File f = new File(dir, "nvcc");
            if (f.canExecute()) return f.getPath();
        }
        return null;
    }

    @Test
    void kernelsUseGridStrideLoopsAndNoCooperation() {
        for (String program : KernelSources.PROGRAMS) {
            String source = KernelSources.program(program).replaceAll("//[^\n]*", "");
            Matcher forbidden = FORBIDDEN.matcher(source);
            assertFalse(forbidden.find(), program + " uses " + (forbidden.find(0) ? forbidden.group() : ""));
            String[] kernelsAndRest = source.split("extern \"C\" __global__ ");
            for (int i = 1; i < kernelsAndRest.length; i++) {
                assertTrue(kernelsAndRest[i].contains("GRID_STRIDE_LOOP("),
                        program + ": kernel without a grid-stride loop: " + kernelsAndRest[i].lines().findFirst().orElse(""));
            }
            assertFalse(kernels(program).isEmpty(), program + " has no kernels");
        }
    }

    /**
     * The op table reaches the device: every {@link UnaryOp} and {@link BinaryOp} has exactly one case,
     * under its ordinal (the code the backend passes), with its table expression, and an unknown code
     * traps instead of falling through to some other op.
     */
    @Test
    void everyTableOpHasItsOwnCaseAndUnknownCodesTrap() {
        String source = KernelSources.program("elementwise");
        for (UnaryOp op : UnaryOp.values()) assertOneCase(source, op, op.cuda());
        for (BinaryOp op : BinaryOp.values()) assertOneCase(source, op, op.cuda());
        assertEquals(2, source.split("default: __trap\\(\\); return 0;", -1).length - 1, "trapping defaults");
        assertFalse(source.contains("OP_CASES"), "an unsubstituted marker");
    }

    private static void assertOneCase(String source, Enum<?> op, String cuda) {
        String line = "case " + op.ordinal() + ": return " + cuda + ";  // " + op.name() + "\n";
        assertEquals(2, source.split(Pattern.quote(line), -1).length, op + ": expected one line '" + line.strip() + "'");
    }

    @Test
    void kernelNamesAreUnique() {
        List<String> all = new ArrayList<>();
        for (String program : KernelSources.PROGRAMS) all.addAll(kernels(program));
        assertEquals(all.size(), all.stream().distinct().count(), all.toString());
    }

    private static List<String> kernels(String program) {
        List<String> names = new ArrayList<>();
        Matcher m = KERNEL.matcher(KernelSources.program(program));
        while (m.find()) names.add(m.group(1));
        return names;
    }
}
