package dev.gan4j.gan.eval;

import dev.gan4j.gan.model.LatentCode;
import dev.gan4j.tensor.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A plain run never spends minutes training a classifier it was not asked for. */
class QualityMonitorsTest {

    @Test
    void aMissingMnistClassifierIsTrainedOnlyWhenMeasurementsWereAskedFor(@TempDir Path emptyCache) {
        String before = System.getProperty(ClassifierStore.OVERRIDE_PROPERTY);
        System.setProperty(ClassifierStore.OVERRIDE_PROPERTY, emptyCache.toString());
        try {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
            QualityMonitor plain = QualityMonitors.forRun("mnist", null, new LatentCode(100, 0), 1, false, 2000, Device.CPU, out);
            assertSame(QualityMonitor.NONE, plain);
            assertTrue(log.toString(StandardCharsets.UTF_8).contains("gan4j classifier --dataset mnist"), log.toString());

            QualityMonitor asked = QualityMonitors.forRun("mnist", null, new LatentCode(100, 0), 1, true, 2000, Device.CPU, out);
            assertNotSame(QualityMonitor.NONE, asked, "--eval-every given: the classifier is trained at the first measurement");
        } finally {
            if (before == null) System.clearProperty(ClassifierStore.OVERRIDE_PROPERTY);
            else System.setProperty(ClassifierStore.OVERRIDE_PROPERTY, before);
        }
    }
}
