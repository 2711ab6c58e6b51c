package dev.gan4j.gan.data.fetch;

import dev.gan4j.nn.io.AtomicFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Stores fetched content under its final name only after its size and SHA-256 have been checked. */
final class VerifiedFiles {
    private VerifiedFiles() {
    }

    /**
     * Copies {@code content} to {@code dir/expected.name()} atomically.
     *
     * @param origin where the content came from, for the error message
     * @throws ChecksumMismatchException if size or hash differ; nothing is left behind then
     */
    static void write(InputStream content, Path dir, ExpectedFile expected, String origin) throws IOException {
        AtomicFile.writeStream(dir.resolve(expected.name()), out -> {
            MessageDigest sha256 = sha256();
            long size = content.transferTo(new DigestOutputStream(out, sha256));
            String actual = HexFormat.of().formatHex(sha256.digest());
            if (size != expected.size()) {
                throw new ChecksumMismatchException(expected.name() + " from " + origin + " is " + size
                        + " bytes, expected " + expected.size());
            }
            if (!actual.equals(expected.sha256())) {
                throw new ChecksumMismatchException(expected.name() + " from " + origin + " has SHA-256 " + actual
                        + ", expected " + expected.sha256());
            }
        });
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
