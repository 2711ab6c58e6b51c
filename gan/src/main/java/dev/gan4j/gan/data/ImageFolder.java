package dev.gan4j.gan.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A folder of PNG and JPEG files, searched recursively, decoded once into memory as size x size squares.
 *
 * <p>Labels: when every image lies inside a subfolder of the root, each immediate subfolder is a class,
 * numbered in name order. Otherwise the folder is one unlabelled class. Hidden files and other file types
 * are ignored.
 */
public final class ImageFolder {
    /**
     * The largest image decoded: 50 megapixels (an 8K frame is 33). Decoded as 32-bit RGB, with a copy
     * while converting, one takes about 400 MB, and images are decoded in parallel.
     */
    static final long MAX_PIXELS = 50_000_000L;

    private ImageFolder() {
    }

    public static ByteImageDataset load(Path root, int size, ColorMode mode) throws IOException {
        if (size <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + size);
        }
        if (!Files.isDirectory(root)) {
            throw new NotDirectoryException(root + " (expected a folder of PNG/JPEG images)");
        }
        List<Path> files = imageFiles(root);
        if (files.isEmpty()) {
            throw new DataFormatException(root, "no .png, .jpg or .jpeg files in this folder or below");
        }
        List<String> classes = classNames(root, files);

        int imageBytes = mode.channels() * size * size;
        byte[] pixels = new byte[Math.multiplyExact(files.size(), imageBytes)];
        int[] labels = new int[files.size()];
        // Decoding dominates; images are independent, so decode them in parallel into disjoint slices.
        IntStream.range(0, files.size()).parallel().forEach(i -> {
            SquareImages.resizeCropInto(decode(files.get(i)), size, mode, pixels, i * imageBytes);
            labels[i] = classes.isEmpty() ? 0 : Collections.binarySearch(classes, classOf(root, files.get(i)));
        });
        String name = root.toAbsolutePath().normalize().getFileName() + "-" + size;
        return new ByteImageDataset(name, pixels, labels, mode.channels(), size, size,
                Math.max(1, classes.size()));
    }

    /** Image files below {@code root} in a stable (sorted) order, so indices mean the same on every run. */
    static List<Path> imageFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(ImageFolder::isImageName).sorted().toList();
        }
    }

    private static boolean isImageName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
    }

    /** Sorted class folder names, or an empty list when some image lies directly in the root. */
    private static List<String> classNames(Path root, List<Path> files) {
        TreeSet<String> classes = new TreeSet<>();
        for (Path file : files) {
            String name = classOf(root, file);
            if (name == null) {
                return List.of();
            }
            classes.add(name);
        }
        return new ArrayList<>(classes);
    }

    /** The first folder below the root on the way to {@code file}, or null for a file directly in the root. */
    private static String classOf(Path root, Path file) {
        Path relative = root.relativize(file);
        return relative.getNameCount() > 1 ? relative.getName(0).toString() : null;
    }

    /**
     * Decodes one image, after checking its size in the header: a small file can declare a huge image
     * (a 30000x30000 PNG of one colour is under 1 MB), and decoding that would exhaust the heap.
     */
    private static BufferedImage decode(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DataFormatException(file, "not a readable PNG or JPEG image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new DataFormatException(file, reader.getWidth(0) + "x" + reader.getHeight(0) + " pixels is more"
                            + " than the limit of " + MAX_PIXELS / 1_000_000 + " megapixels per image; scale it down first");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot decode image (" + e.getMessage() + ")", e);
        }
    }
}
