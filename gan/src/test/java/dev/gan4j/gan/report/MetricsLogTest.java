package dev.gan4j.gan.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gan4j.gan.data.DataFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {
    @TempDir
    Path dir;

    private static MetricsLog sample() {
        MetricsLog log = new MetricsLog(List.of("step", "epoch", "loss_D", "loss_G"));
        log.add(100, 0, 1.25, 0.75);
        log.add(200, 0, 0.1, Double.NaN);
        log.add(300, 1, 1e-7, 2.5);
        return log;
    }

    @Test
    void savesReadableCsvAndReadsItBack() throws IOException {
        Path csv = dir.resolve("metrics.csv");

        sample().save(csv);

        assertEquals(List.of("step,epoch,loss_D,loss_G", "100,0,1.25,0.75", "200,0,0.1,NaN", "300,1,1.0E-7,2.5"),
                Files.readAllLines(csv));
        MetricsLog read = MetricsLog.load(csv);
        assertEquals(sample().columns(), read.columns());
        assertArrayEquals(new double[] {1.25, 0.1, 1e-7}, read.column("loss_D"));
        assertArrayEquals(new double[] {200, 0, 0.1, Double.NaN}, read.row(1));
    }

    @Test
    void truncateAfterDropsRowsACheckpointNeverSaw() {
        MetricsLog log = sample();
        log.truncateAfter(200);
        assertArrayEquals(new double[] {100, 200}, log.column(MetricsLog.STEP));
    }

    @Test
    void firstColumnMustBeStep() {
        assertThrows(IllegalArgumentException.class, () -> new MetricsLog(List.of("loss_D", "step")));
    }

    @Test
    void rowsMustMatchTheColumns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sample().add(1, 2));
        assertTrue(e.getMessage().contains("has 2 values"), e.getMessage());
    }

    @Test
    void badValuesAreNamedWithFileLineAndColumn() throws IOException {
        Path csv = Files.writeString(dir.resolve("metrics.csv"), "step,loss_D\n1,0.5\n2,oops\n");

        DataFormatException e = assertThrows(DataFormatException.class, () -> MetricsLog.load(csv));

        assertEquals(csv + ": line 3, column loss_D: 'oops' is not a number", e.getMessage());
    }

    @Test
    void raggedRowsAndBadHeadersAreNamed() throws IOException {
        Path ragged = Files.writeString(dir.resolve("ragged.csv"), "step,loss_D\n1\n");
        Path headless = Files.writeString(dir.resolve("headless.csv"), "1,0.5\n");

        assertTrue(assertThrows(DataFormatException.class, () -> MetricsLog.load(ragged)).getMessage()
                .contains("line 2 has 1 values, the header 2"));
        assertTrue(assertThrows(DataFormatException.class, () -> MetricsLog.load(headless)).getMessage()
                .startsWith(headless + ": bad header"));
    }
}
