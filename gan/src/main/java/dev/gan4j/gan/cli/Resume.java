package dev.gan4j.gan.cli;

import dev.gan4j.gan.train.TrainingCheckpoint;
import dev.gan4j.gan.train.TrainingRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code train --resume} continues, worked out before anything is written.
 *
 * <p>The run folder is only ever one that was named or that really is a run folder: a run folder given
 * to --resume, a checkpoint's {@code RUN/checkpoints/} when RUN holds a config.json, or --out. A checkpoint
 * anywhere else (copied to the home folder, say) needs --out; its grandparent is never taken for a run.
 * With --out naming another folder the run goes on there, as a new run folder whose metrics.csv starts
 * after the checkpoint's step, and the original is left as it was. In place, only the run's newest
 * checkpoint may be continued: an older one would discard the steps after it.
 *
 * @param checkpoint the file to continue from
 * @param runFolder  the run it belongs to, or null for a checkpoint outside any run folder
 * @param target     the folder the run goes on in: runFolder, or --out
 */
record Resume(Path checkpoint, Path runFolder, Path target) {

    static Resume locate(Path resume, Path out) throws IOException {
        Path checkpoint;
        Path runFolder;
        if (Files.isDirectory(resume)) {
            if (!TrainingRun.isRunFolder(resume)) {
                throw new IllegalArgumentException("--resume " + resume + " is not a run folder (it has no config.json)");
            }
            runFolder = resume;
            checkpoint = checkpointOf(resume);
        } else {
            checkpoint = checkpointOf(resume);
            runFolder = enclosingRun(checkpoint);
        }
        Path target = out != null ? out : runFolder;
        if (target == null) {
            throw new IllegalArgumentException("--resume " + resume + " is not inside a run folder (no config.json next to"
                    + " its checkpoints/ folder); name a new run folder for it with --out");
        }
        Resume plan = new Resume(checkpoint, runFolder, target);
        if (!plan.isBranch()) plan.requireNewest();
        return plan;
    }

    /** A checkpoint file, or a run folder's last checkpoint. */
    static Path checkpointOf(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("checkpoints").resolve("last.safetensors") : path;
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no checkpoint at " + file);
        return file;
    }

    /** Whether the run goes on in a folder other than its own (a new run folder). */
    boolean isBranch() throws IOException {
        return runFolder == null || !sameFolder(target, runFolder);
    }

    /** RUN for RUN/checkpoints/FILE when RUN is a run folder, else null. */
    static Path enclosingRun(Path checkpoint) {
        Path folder = checkpoint.toAbsolutePath().normalize().getParent();
        if (folder == null || folder.getFileName() == null || !folder.getFileName().toString().equals("checkpoints")) {
            return null;
        }
        return TrainingRun.isRunFolder(folder.getParent()) ? folder.getParent() : null;
    }

    private void requireNewest() throws IOException {
        Path last = runFolder.resolve("checkpoints").resolve("last.safetensors");
        if (!Files.exists(last) || Files.isSameFile(last, checkpoint)) return;
        long step = TrainingCheckpoint.state(checkpoint).step();
        long lastStep = TrainingCheckpoint.state(last).step();
        if (step < lastStep) {
            throw new IllegalArgumentException("--resume " + checkpoint + " is at step " + step + ", behind its run's last"
                    + " checkpoint (step " + lastStep + "); continuing it in " + runFolder + " would discard the steps"
                    + " after it, so continue it in a new folder with --out");
        }
    }

    private static boolean sameFolder(Path a, Path b) throws IOException {
        if (Files.exists(a) && Files.exists(b)) return Files.isSameFile(a, b);
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
