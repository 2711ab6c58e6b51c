package dev.gan4j.gan.data;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Cuts a dataset into batches, in an order that is shuffled per epoch yet fully determined by
 * (seed, epoch): a run resumed at epoch e, batch b rebuilds exactly the batches it would have seen.
 */
public final class DataLoader {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;

    /**
     * @param shuffle  false keeps dataset order (useful for evaluation)
     * @param dropLast drop a final batch smaller than {@code batchSize}, so every batch has the same shape
     * @throws IllegalArgumentException if the settings leave no batch at all
     */
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, boolean dropLast, long seed) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.seed = seed;
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (batchesPerEpoch() == 0) {
            throw new IllegalArgumentException(dataset.name() + " has " + dataset.size()
                    + " images, not enough for one batch of " + batchSize + (dropLast ? " with drop-last" : ""));
        }
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    public int batchesPerEpoch() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /**
     * The dataset indices of {@code epoch} in the order they are served: a Fisher-Yates shuffle driven by a
     * generator seeded from (seed, epoch), or 0..n-1 without shuffling. Part of the resume contract:
     * changing this changes which images a resumed run sees.
     */
    public int[] order(int epoch) {
        int[] order = new int[dataset.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom random = new SplittableRandom(epochSeed(seed, epoch));
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
        return order;
    }

    /** Batch {@code batchIndex} of {@code epoch}, built on the calling thread. */
    public ImageBatch batch(int epoch, int batchIndex) {
        return assemble(order(epoch), batchIndex);
    }

    /**
     * The batches of {@code epoch} from {@code startBatch} on, the next ones prepared on a background thread
     * while the caller trains. Close the iterator (try-with-resources) to stop that thread early.
     */
    public BatchIterator batches(int epoch, int startBatch) {
        // startBatch == batchesPerEpoch() is allowed: a run saved right at the end of an epoch resumes there.
        Objects.checkIndex(startBatch, batchesPerEpoch() + 1);
        int[] order = order(epoch);
        return new BatchIterator(b -> assemble(order, b), startBatch, batchesPerEpoch(),
                "gan4j-prefetch-" + dataset.name() + "-epoch-" + epoch);
    }

    private ImageBatch assemble(int[] order, int batchIndex) {
        Objects.checkIndex(batchIndex, batchesPerEpoch());
        int from = batchIndex * batchSize;
        int count = Math.min(batchSize, order.length - from);
        int imageSize = dataset.imageSize();
        float[] pixels = new float[count * imageSize];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            dataset.copyImage(order[from + i], pixels, i * imageSize);
            labels[i] = dataset.label(order[from + i]);
        }
        return new ImageBatch(pixels, labels, count, dataset.channels(), dataset.height(), dataset.width());
    }

    /**
     * An independent, well-mixed seed per epoch (SplitMix64 finaliser). Plain {@code seed + epoch} would not do:
     * SplittableRandom streams of nearby seeds overlap.
     */
    static long epochSeed(long seed, int epoch) {
        long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
