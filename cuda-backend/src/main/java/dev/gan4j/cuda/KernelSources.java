package dev.gan4j.cuda;

import dev.gan4j.tensor.backend.BinaryOp;
import dev.gan4j.tensor.backend.UnaryOp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * The CUDA C sources of the custom kernels, kept as resources in {@code dev/gan4j/cuda/kernels/}. Each
 * program is {@code common.cuh} followed by one {@code .cu} file; NVRTC compiles exactly this text at
 * run time, and the tests hand the same text to {@code nvcc -ptx}. The op switches of
 * {@code elementwise.cu} are generated from the op table ({@link UnaryOp}, {@link BinaryOp}): one
 * {@code case} per enum constant, its ordinal being the op code the backend passes.
 */
public final class KernelSources {

    /** The programs, one per file, each compiled into its own module. */
    public static final List<String> PROGRAMS = List.of("elementwise", "reduce", "index", "pool", "random");

    private KernelSources() {}

    /** The full source of a program: the common header, then the program's file. */
    public static String program(String name) {
        String source = resource(name + ".cu");
        if (name.equals("elementwise")) {
            source = substitute(source, "UNARY_OP_CASES", cases(UnaryOp.values(), UnaryOp::cuda));
            source = substitute(source, "BINARY_OP_CASES", cases(BinaryOp.values(), BinaryOp::cuda));
        }
        return resource("common.cuh") + "\n" + source;
    }

    /** {@code case 3: return sqrt(x);  // SQRT}, one line per op. */
    static <E extends Enum<E>> String cases(E[] ops, Function<E, String> cuda) {
        StringBuilder out = new StringBuilder();
        for (E op : ops) {
            out.append("        case ").append(op.ordinal()).append(": return ").append(cuda.apply(op))
                    .append(";  // ").append(op.name()).append('\n');
        }
        return out.toString().stripTrailing();
    }

    private static String substitute(String source, String marker, String text) {
        if (!source.contains(marker)) throw new IllegalStateException("kernel source lacks the marker " + marker);
        return source.replace(marker, text);
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
