package dev.gan4j.gan.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
    /** Image i is a 1x1x2 image whose two pixels encode i; label i mod 3. */
    private static Dataset numbered(int size) {
        byte[] pixels = new byte[2 * size];
        int[] labels = new int[size];
        for (int i = 0; i < size; i++) {
            pixels[2 * i] = (byte) i;
            pixels[2 * i + 1] = (byte) (255 - i);
            labels[i] = i % 3;
        }
        return new ByteImageDataset("numbered", pixels, labels, 1, 1, 2, 3);
    }

    /** Recovers image indices from a batch of {@link #numbered} images. */
    private static int[] indices(ImageBatch batch) {
        int[] indices = new int[batch.count()];
        for (int i = 0; i < batch.count(); i++) {
            indices[i] = Pixels.toByte(batch.pixels()[2 * i]);
        }
        return indices;
    }

    @Test
    void orderIsAPermutationDeterminedBySeedAndEpoch() {
        DataLoader loader = new DataLoader(numbered(100), 10, true, false, 42);

        int[] epoch0 = loader.order(0);

        assertArrayEquals(epoch0, new DataLoader(numbered(100), 10, true, false, 42).order(0));
        assertFalse(Arrays.equals(epoch0, loader.order(1)), "each epoch has its own order");
        assertFalse(Arrays.equals(epoch0, new DataLoader(numbered(100), 10, true, false, 43).order(0)));
        int[] sorted = epoch0.clone();
        Arrays.sort(sorted);
        int[] identity = new int[100];
        Arrays.setAll(identity, i -> i);
        assertArrayEquals(identity, sorted);
        assertFalse(Arrays.equals(identity, epoch0));
    }

    @Test
    void withoutShuffleTheOrderIsTheDatasetOrder() {
        int[] identity = new int[7];
        Arrays.setAll(identity, i -> i);
        assertArrayEquals(identity, new DataLoader(numbered(7), 3, false, false, 1).order(5));
    }

    @Test
    void batchesFollowTheOrderWithLabels() {
        DataLoader loader = new DataLoader(numbered(10), 4, true, false, 7);
        int[] order = loader.order(3);

        ImageBatch batch = loader.batch(3, 1);

        assertArrayEquals(Arrays.copyOfRange(order, 4, 8), indices(batch));
        assertEquals(order[4] % 3, batch.labels()[0]);
        assertEquals(Pixels.fromByte(255 - order[4]), batch.pixels()[1]);
        assertEquals(2, batch.width());
    }

    @Test
    void lastPartialBatchIsKeptOrDropped() {
        DataLoader keep = new DataLoader(numbered(10), 4, false, false, 0);
        DataLoader drop = new DataLoader(numbered(10), 4, false, true, 0);

        assertEquals(3, keep.batchesPerEpoch());
        assertEquals(2, keep.batch(0, 2).count());
        assertEquals(2, drop.batchesPerEpoch());
        assertThrows(IndexOutOfBoundsException.class, () -> drop.batch(0, 2));
    }

    @Test
    void tooFewImagesForOneFullBatchIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DataLoader(numbered(5), 8, true, true, 0));
        assertTrue(e.getMessage().contains("numbered has 5 images, not enough for one batch of 8"), e.getMessage());
    }

    @Test
    void prefetchedBatchesEqualDirectOnesFromAnyStart() {
        DataLoader loader = new DataLoader(numbered(50), 8, true, true, 11);
        List<int[]> served = new ArrayList<>();

        try (BatchIterator batches = loader.batches(2, 3)) {
            batches.forEachRemaining(batch -> served.add(indices(batch)));
        }

        assertEquals(loader.batchesPerEpoch() - 3, served.size());
        for (int b = 3; b < loader.batchesPerEpoch(); b++) {
            assertArrayEquals(indices(loader.batch(2, b)), served.get(b - 3));
        }
    }

    @Test
    void resumingAtTheEndOfAnEpochServesNothing() {
        DataLoader loader = new DataLoader(numbered(10), 5, true, true, 0);
        try (BatchIterator batches = loader.batches(0, 2)) {
            assertFalse(batches.hasNext());
        }
    }

    @Test
    void failureOnThePrefetchThreadReachesTheConsumer() {
        RuntimeException boom = new IllegalStateException("disk on fire");
        Dataset failing = new FailingDataset(numbered(20), 13, boom);
        DataLoader loader = new DataLoader(failing, 4, false, false, 0);

        try (BatchIterator batches = loader.batches(0, 0)) {
            assertEquals(4, batches.next().count());
            assertEquals(4, batches.next().count());
            assertEquals(4, batches.next().count());
            IllegalStateException e = assertThrows(IllegalStateException.class, batches::next);
            assertSame(boom, e.getCause());
            assertTrue(e.getMessage().contains("loading batch 3 failed: disk on fire"), e.getMessage());
            assertThrows(IllegalStateException.class, batches::hasNext, "the failure is sticky");
        }
    }

    @Test
    void closeStopsTheBackgroundThreadEarly() throws InterruptedException {
        AtomicInteger copies = new AtomicInteger();
        Dataset counting = new FailingDataset(numbered(1000), -1, null) {
            @Override
            public void copyImage(int index, float[] dst, int dstOffset) {
                copies.incrementAndGet();
                super.copyImage(index, dst, dstOffset);
            }
        };
        DataLoader loader = new DataLoader(counting, 10, true, false, 0);

        BatchIterator batches = loader.batches(0, 0);
        batches.next();
        batches.close();
        int copiesAtClose = copies.get();
        Thread.sleep(50);

        assertEquals(copiesAtClose, copies.get(), "nothing is loaded after close");
        // One batch taken, at most PREFETCH_DEPTH queued and one being built when close interrupted.
        assertTrue(copiesAtClose <= 10 * (2 + BatchIterator.PREFETCH_DEPTH), "copies: " + copiesAtClose);
        assertFalse(batches.hasNext());
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("gan4j-prefetch-numbered")), "prefetch thread ended");
    }

    @Test
    void epochSeedsDiffer() {
        assertNotEquals(DataLoader.epochSeed(1, 0), DataLoader.epochSeed(1, 1));
        assertNotEquals(DataLoader.epochSeed(1, 0), DataLoader.epochSeed(2, 0));
    }

    /** Delegates to a dataset but throws {@code failure} when image {@code failAt} is copied. */
    private static class FailingDataset implements Dataset {
        private final Dataset inner;
        private final int failAt;
        private final RuntimeException failure;

        FailingDataset(Dataset inner, int failAt, RuntimeException failure) {
            this.inner = inner;
            this.failAt = failAt;
            this.failure = failure;
        }

        @Override
        public void copyImage(int index, float[] dst, int dstOffset) {
            if (index == failAt) {
                throw failure;
            }
            inner.copyImage(index, dst, dstOffset);
        }

        @Override
        public int size() {
            return inner.size();
        }

        @Override
        public int channels() {
            return inner.channels();
        }

        @Override
        public int height() {
            return inner.height();
        }

        @Override
        public int width() {
            return inner.width();
        }

        @Override
        public int numClasses() {
            return inner.numClasses();
        }

        @Override
        public int label(int index) {
            return inner.label(index);
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
