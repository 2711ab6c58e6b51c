package dev.gan4j.tensor.cpu;

/**
 * Whether the incubating Vector API module was added to this JVM ({@code --add-modules
 * jdk.incubator.vector}). Classes that use it are only loaded when it was; the rest of the CPU
 * backend then takes plain-Java loops, slower but correct.
 */
final class VectorSupport {

    static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private VectorSupport() {}
}
