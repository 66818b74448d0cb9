package dev.websock.transport.memory;

import java.util.SplittableRandom;
import java.util.function.IntSupplier;

/**
 * How an {@link InMemoryTransport} cuts the byte stream into reads: the sizes of the buffers that
 * {@link dev.websock.transport.ConnectionHandler#onRead onRead} receives. Decoders must cope with any
 * cutting, one byte at a time included; this is how tests prove it without sockets. Reads never exceed
 * {@link dev.websock.transport.TransportOptions#readBufferSize()}, nor the bytes actually waiting.
 *
 * <p>Immutable. Each direction of each connection draws its own sequence of sizes, derived from the seed and
 * the order in which connections were opened, so a test that opens its connections in the same order sees
 * the same cutting on every run.
 */
public final class Chunking {

    private final int min;
    private final int max;
    private final long seed;
    private final boolean random;

    private Chunking(int min, int max, long seed, boolean random) {
        this.min = min;
        this.max = max;
        this.seed = seed;
        this.random = random;
    }

    /** Every read carries all the bytes waiting, up to the read buffer size: the fewest reads, like a fast LAN. */
    public static Chunking whole() {
        return new Chunking(Integer.MAX_VALUE, Integer.MAX_VALUE, 0, false);
    }

    /**
     * Every read carries {@code size} bytes (fewer only when fewer are waiting).
     *
     * @throws IllegalArgumentException when {@code size} is not positive
     */
    public static Chunking fixed(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("chunk size must be positive, was " + size);
        }
        return new Chunking(size, size, 0, false);
    }

    /**
     * Every read carries a size drawn uniformly from {@code [min, max]}, from a generator seeded with
     * {@code seed}: the same seed gives the same cutting.
     *
     * @throws IllegalArgumentException when {@code min} is not positive or exceeds {@code max}
     */
    public static Chunking random(int min, int max, long seed) {
        if (min <= 0 || min > max) {
            throw new IllegalArgumentException(
                    "random chunk sizes need 0 < min <= max, were min " + min + " and max " + max);
        }
        return new Chunking(min, max, seed, true);
    }

    /** The sizes of reads for stream number {@code stream} (two per connection, one per direction). */
    IntSupplier sizes(long stream) {
        if (!random) {
            return () -> max;
        }
        // A generator per stream, not one shared: the cutting of one connection then does not depend on how
        // the reads of other connections interleave with it.
        SplittableRandom generator = new SplittableRandom(seed ^ (stream * 0x9E3779B97F4A7C15L));
        return () -> generator.nextInt(min, max + 1);
    }

    @Override
    public String toString() {
        if (random) {
            return "Chunking.random(" + min + ", " + max + ", " + seed + ")";
        }
        return max == Integer.MAX_VALUE ? "Chunking.whole()" : "Chunking.fixed(" + max + ")";
    }
}
