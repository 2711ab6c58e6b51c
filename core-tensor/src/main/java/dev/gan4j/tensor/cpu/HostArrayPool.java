package dev.gan4j.tensor.cpu;

import dev.gan4j.tensor.backend.AllocatorStats;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU backend's buffer cache: released arrays kept by exact length, since a training step asks for
 * the same sizes every time. Arrays are handed out as they were left (callers that need zeros clear
 * them). The cache holds at most a quarter of the maximum heap; past that, released arrays are left
 * to the garbage collector.
 */
final class HostArrayPool {

    private final Map<Integer, ArrayDeque<float[]>> floats = new HashMap<>();
    private final Map<Integer, ArrayDeque<double[]>> doubles = new HashMap<>();
    private final long capacityBytes;
    private long cachedBytes;
    private long hits;
    private long misses;

    HostArrayPool(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    static HostArrayPool sizedToHeap() {
        return new HostArrayPool(Runtime.getRuntime().maxMemory() / 4);
    }

    /** A float array of exactly {@code length} elements, with undefined contents. */
    synchronized float[] floats(int length) {
        float[] a = take(floats, length, Float.BYTES);
        return a != null ? a : new float[length];
    }

    synchronized double[] doubles(int length) {
        double[] a = take(doubles, length, Double.BYTES);
        return a != null ? a : new double[length];
    }

    synchronized float[] zeroedFloats(int length) {
        float[] a = take(floats, length, Float.BYTES);
        if (a == null) return new float[length];
        Arrays.fill(a, 0f);
        return a;
    }

    synchronized double[] zeroedDoubles(int length) {
        double[] a = take(doubles, length, Double.BYTES);
        if (a == null) return new double[length];
        Arrays.fill(a, 0.0);
        return a;
    }

    synchronized void give(float[] a) {
        put(floats, a, a.length, (long) a.length * Float.BYTES);
    }

    synchronized void give(double[] a) {
        put(doubles, a, a.length, (long) a.length * Double.BYTES);
    }

    synchronized AllocatorStats stats() {
        return new AllocatorStats(hits, misses, cachedBytes);
    }

    private <A> A take(Map<Integer, ArrayDeque<A>> byLength, int length, int elementBytes) {
        ArrayDeque<A> free = byLength.get(length);
        A a = free == null ? null : free.poll();
        if (a == null) {
            misses++;
            return null;
        }
        hits++;
        cachedBytes -= (long) length * elementBytes;
        return a;
    }

    private <A> void put(Map<Integer, ArrayDeque<A>> byLength, A a, int length, long bytes) {
        if (cachedBytes + bytes > capacityBytes) return;
        byLength.computeIfAbsent(length, k -> new ArrayDeque<>()).push(a);
        cachedBytes += bytes;
    }
}
