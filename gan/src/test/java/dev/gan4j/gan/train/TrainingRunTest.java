package dev.gan4j.gan.train;

import dev.gan4j.gan.model.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Run folders: a new run never takes over a used folder, and a run's next start cleans up after a kill. */
class TrainingRunTest {

    @TempDir
    Path dir;

    private TrainConfig config(Path out) {
        return TrainFixtures.config(Architecture.MLP, Objective.NON_SATURATING, 8, out, 0);
    }

    @Test
    void aNewRunRefusesAFolderInUseAndWritesNothing() throws IOException {
        Path run = dir.resolve("run");
        TrainingRun.create(config(run), "first");
        byte[] before = Files.readAllBytes(run.resolve("config.json"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingRun.fresh(config(run)));
        assertTrue(e.getMessage().contains("already exists") && e.getMessage().contains("--resume " + run), e.getMessage());
        assertEquals(List.of("first"), Files.readAllLines(run.resolve("command.txt")));
        assertEquals(new String(before), Files.readString(run.resolve("config.json")));

        Path other = Files.createDirectories(dir.resolve("photos"));
        Files.writeString(other.resolve("a.txt"), "mine");
        e = assertThrows(IllegalArgumentException.class, () -> TrainingRun.fresh(config(other)));
        assertFalse(e.getMessage().contains("--resume"), "not a run: " + e.getMessage());
    }

    @Test
    void planningWritesNothingAndAnEmptyFolderIsFine() throws IOException {
        Path absent = dir.resolve("absent");
        TrainingRun.fresh(config(absent));
        assertFalse(Files.exists(absent));
        TrainingRun.create(config(Files.createDirectories(dir.resolve("empty"))), "ok");
        assertTrue(TrainingRun.isRunFolder(dir.resolve("empty")));
    }

    @Test
    void continuingARunAppendsItsCommandAndRemovesStrayTemporaries() throws IOException {
        Path run = dir.resolve("run");
        TrainingRun.create(config(run), "gan4j train --out run");
        // What a kill -9 during an atomic write leaves behind.
        Path stray = Files.write(run.resolve("checkpoints/.last.safetensors.5e1d2c3b4a596877.tmp"), new byte[] {1});
        Path strayCsv = Files.write(run.resolve(".metrics.csv.0123456789abcdef.tmp"), new byte[] {1});

        TrainingRun.continued(config(run)).prepare("gan4j train --resume run --epochs 3");

        assertFalse(Files.exists(stray));
        assertFalse(Files.exists(strayCsv));
        assertEquals(List.of("gan4j train --out run", "gan4j train --resume run --epochs 3"),
                Files.readAllLines(run.resolve("command.txt")));
    }

    @Test
    void aConfigurationFromBeforeKeepCheckpointsKeepsEveryEpochCheckpoint() {
        TrainConfig keepFive = config(dir).resumedWith(null, 1, 0, "cpu", 0, 0, 5, dir.toString());
        String json = TrainingRun.toJson(keepFive).replaceAll(",\\s*\"keepCheckpoints\": \\d+", "");
        assertFalse(json.contains("keepCheckpoints"), json);
        assertEquals(0, TrainingRun.parseConfig(json).keepCheckpoints(), "0 = keep all: resuming an old run deletes nothing");
    }

    @Test
    void onlyARunFolderCanBeContinued() {
        assertThrows(IllegalArgumentException.class, () -> TrainingRun.continued(config(dir)));
    }
}
