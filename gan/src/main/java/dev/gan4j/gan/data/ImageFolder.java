package dev.gan4j.gan.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A folder of PNG and JPEG files, searched recursively, decoded once into memory as size x size squares.
 *
 * <p>Labels: when every image lies inside a subfolder of the root, each immediate subfolder is a class,
 * numbered in name order. Otherwise the folder is one unlabelled class. Hidden files and other file types
 * are ignored.
 */
public final class ImageFolder {
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

    private static BufferedImage decode(Path file) {
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) {
                throw new DataFormatException(file, "not a readable PNG or JPEG image");
            }
            return image;
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot decode image (" + e.getMessage() + ")", e);
        }
    }
}
