package dev.gan4j.gan.report;

import dev.gan4j.gan.data.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** PNG output through {@link AtomicFiles}, so a viewer never catches a half-written image. */
public final class PngFiles {
    private PngFiles() {
    }

    public static void write(BufferedImage image, Path png) throws IOException {
        AtomicFiles.write(png, out -> {
            // A memory cache, not ImageIO's default temp-file cache: that one registers a JVM shutdown
            // hook, which fails while Ctrl-C is shutting the JVM down and the trainer saves its reports.
            try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
                if (!ImageIO.write(image, "png", stream)) {
                    throw new IOException("no PNG encoder for image type " + image.getType() + " (writing " + png + ")");
                }
            }
        });
    }
}
