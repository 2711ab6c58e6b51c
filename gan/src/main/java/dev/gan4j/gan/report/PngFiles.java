package dev.gan4j.gan.report;

import dev.gan4j.gan.data.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** PNG output through {@link AtomicFiles}, so a viewer never catches a half-written image. */
final class PngFiles {
    private PngFiles() {
    }

    static void write(BufferedImage image, Path png) throws IOException {
        AtomicFiles.write(png, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG encoder for image type " + image.getType() + " (writing " + png + ")");
            }
        });
    }
}
