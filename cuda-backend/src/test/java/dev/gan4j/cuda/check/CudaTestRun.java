package dev.gan4j.cuda.check;

import dev.gan4j.tensor.Device;
import dev.gan4j.tensor.backend.Backends;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;
import java.util.Arrays;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

/**
 * The {@code cuda}-tagged tests, run by the JUnit launcher rather than Maven, for the one-shot GPU check
 * (cuda-backend/gpu-check). It refuses to run on gan4j's CPU emulation of the CUDA libraries: the point is
 * NVIDIA's. Exit status 0 only if every test passed (tests of the emulation itself are skipped there).
 * {@code --discover} only finds the tests (the bundle's self-test, where there is no GPU).
 */
public final class CudaTestRun {

    private CudaTestRun() {}

    public static void main(String[] args) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage("dev.gan4j.cuda"))
                .filters(TagFilter.includeTags("cuda"))
                .build();
        if (Arrays.asList(args).contains("--discover")) {
            // The bundle's self-test, without a GPU: the classpath holds the tests and everything they need.
            long found = LauncherFactory.create().discover(request).countTestIdentifiers(TestIdentifier::isTest);
            System.out.println("cuda tests found: " + found);
            System.exit(found > 0 ? 0 : 1);
        }
        String backend = Backends.of(Device.cuda(0)).name();
        System.out.println("cuda tests on: " + backend);
        if (backend.contains("emulated")) {
            System.err.println("gpu-check: the CUDA libraries on LD_LIBRARY_PATH are gan4j's CPU emulation, not "
                    + "NVIDIA's; remove its folder from the path");
            System.exit(2);
        }
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        summary.printTo(out);
        summary.printFailuresTo(out, 30);
        boolean passed = summary.getTestsFoundCount() > 0 && summary.getTotalFailureCount() == 0;
        System.exit(passed ? 0 : 1);
    }
}
