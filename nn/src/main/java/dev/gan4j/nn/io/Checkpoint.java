package dev.gan4j.nn.io;

import dev.gan4j.nn.Module;
import dev.gan4j.tensor.DType;
import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named tensors plus string metadata in one safetensors file: a module's state dict (loadable by
 * PyTorch with {@code safetensors.torch.load_file} + {@code load_state_dict}), or a whole training
 * checkpoint whose sections are told apart by key prefixes ({@code generator.main.0.weight},
 * {@code optimizer_g.state.0.exp_avg}). Writes are atomic: a crash never leaves a corrupt file in place.
 * Every file written here carries a SHA-256 of its content in the metadata, verified on load, so a file
 * corrupted later is refused; files without one (written by PyTorch, say) load unverified.
 *
 * @param metadata        the metadata as saved (without the hash)
 * @param contentVerified whether the file carried gan4j's content hash, which {@link #load} verified;
 *                        false for files written by other tools, whose content nothing vouches for
 */
public record Checkpoint(Map<String, Tensor> tensors, Map<String, String> metadata, boolean contentVerified) {

    /** Counters PyTorch stores as int64 (batch norm's num_batches_tracked); written as I64 for compatibility. */
    private static final String INTEGER_SUFFIX = "num_batches_tracked";

    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Map<String, StTensor> out = new LinkedHashMap<>();
        tensors.forEach((name, t) -> out.put(name, toStTensor(name, t)));
        SafeTensors.writeWithContentHash(file, out, metadata);
    }

    /**
     * Reads a file; every tensor comes back on the CPU as float32 or float64 (integers become float32).
     *
     * @throws SafeTensorsException when the file is malformed or its content does not match its hash
     */
    public static Checkpoint load(Path file) throws IOException {
        SafeTensorsFile f = SafeTensors.read(file);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        f.tensors().forEach((name, st) -> tensors.put(name, fromStTensor(st)));
        Map<String, String> metadata = new LinkedHashMap<>(f.metadata());
        boolean verified = metadata.remove(ContentHash.METADATA_KEY) != null;
        return new Checkpoint(tensors, metadata, verified);
    }

    /** Saves a module's state dict with PyTorch's key names. */
    public static void saveModule(Path file, Module module, Map<String, String> metadata) throws IOException {
        save(file, module.stateDict(), metadata);
    }

    /**
     * Loads a state dict file into a module. Integer entries are converted to the module's dtype; any
     * missing, unexpected (strict) or mis-shaped key fails before the module is touched, with a message
     * that starts with the file's path.
     */
    public static void loadModule(Path file, Module module, boolean strict) throws IOException {
        Checkpoint checkpoint = load(file);
        try {
            checkpoint.loadInto(module, null, strict);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads this checkpoint's tensors (those under {@code prefix + "."}, or all when prefix is null) into
     * a module, converting integer counters to the module's dtype; fails before touching the module.
     */
    public void loadInto(Module module, String prefix, boolean strict) {
        Map<String, Tensor> state = prefix == null ? tensors : section(prefix);
        module.loadStateDict(withTargetDtypes(state, module.stateDict()), strict);
    }

    /** The tensors whose names start with {@code prefix + "."}, with the prefix removed. */
    public Map<String, Tensor> section(String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        String p = prefix + ".";
        tensors.forEach((name, t) -> {
            if (name.startsWith(p)) out.put(name.substring(p.length()), t);
        });
        return out;
    }

    /** Adds {@code prefix + "."} to every key of a state dict, for writing one section of a checkpoint. */
    public static Map<String, Tensor> prefixed(String prefix, Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((name, t) -> out.put(prefix + "." + name, t));
        return out;
    }

    /** Converts integer counters (stored as I64) to the dtype the target state expects. */
    private static Map<String, Tensor> withTargetDtypes(Map<String, Tensor> state, Map<String, Tensor> target) {
        Map<String, Tensor> out = new LinkedHashMap<>(state);
        target.forEach((name, t) -> {
            Tensor loaded = out.get(name);
            if (loaded != null && name.endsWith(INTEGER_SUFFIX)) out.put(name, loaded.to(t.dtype()));
        });
        return out;
    }

    private static StTensor toStTensor(String name, Tensor t) {
        Tensor cpu = t.to(Device.CPU);
        if (name.endsWith(INTEGER_SUFFIX)) {
            double[] values = cpu.toDoubleArray();
            long[] longs = new long[values.length];
            for (int i = 0; i < values.length; i++) longs[i] = Math.round(values[i]);
            return StTensor.ofI64(cpu.shape(), longs);
        }
        return cpu.dtype() == DType.F32 ? StTensor.ofF32(cpu.shape(), cpu.toFloatArray())
                : StTensor.ofF64(cpu.shape(), cpu.toDoubleArray());
    }

    private static Tensor fromStTensor(StTensor st) {
        return switch (st.dtype()) {
            case F64 -> Tensor.fromArray(st.asDoubles(), st.shape());
            case I64, I32, I16, I8, U8, BOOL -> {
                long[] longs = st.asLongs();
                float[] values = new float[longs.length];
                for (int i = 0; i < longs.length; i++) values[i] = longs[i];
                yield Tensor.fromArray(values, st.shape());
            }
            default -> Tensor.fromArray(st.asFloats(), st.shape());
        };
    }
}
