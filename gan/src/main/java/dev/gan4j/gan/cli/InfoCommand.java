package dev.gan4j.gan.cli;

import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.backend.BackendProvider;
import dev.gan4j.tensor.backend.Backends;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code gan4j info}: version, backends found, the device {@code auto} picks, threads, and why CUDA is off. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show version, backends and devices.")
final class InfoCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.println("gan4j " + Main.version() + " on Java " + Runtime.version() + " ("
                + System.getProperty("os.name") + ", " + System.getProperty("os.arch") + ")");
        System.out.println("cpu backend: " + Backends.cpu().name() + ", " + Backends.cpuThreads() + " threads");
        BackendProvider cuda = Backends.provider(Device.Kind.CUDA);
        if (cuda == null) {
            System.out.println("cuda backend: not on the class path");
        } else {
            String reason = cuda.unavailableReason();
            System.out.println("cuda backend: " + (reason == null ? "available" : "unavailable (" + reason + ")"));
            cuda.details().forEach((library, status) -> System.out.println("  " + library + ": " + status));
        }
        Device auto = Backends.resolve("auto");
        System.out.println("device (auto): " + auto);
        return 0;
    }
}
