package dev.websock.server.session;

import java.nio.ByteBuffer;

/**
 * Direct buffers for outbound frames in three sizes, cached per thread so that a connection thread that sends
 * and then completes its writes reuses the same few buffers, allocating nothing once warm. A frame larger than
 * the largest size gets a heap buffer of its own, which is not pooled.
 *
 * <p>Per-thread caches need no locks; a buffer released on another thread than it was taken on moves to that
 * thread's cache, or is dropped when that cache is full.
 */
final class BufferPool {
    static final int SMALL = 512;
    static final int MEDIUM = 8 * 1024;
    static final int LARGE = 64 * 1024;
    private static final int[] SIZES = {SMALL, MEDIUM, LARGE};
    /** Buffers kept per size and thread: enough for a deep pipeline of frames on one loop. */
    private static final int[] CACHED = {256, 64, 32};

    private static final ThreadLocal<ByteBuffer[][]> CACHES = ThreadLocal.withInitial(() -> new ByteBuffer[][] {
        new ByteBuffer[CACHED[0]], new ByteBuffer[CACHED[1]], new ByteBuffer[CACHED[2]]});
    private static final ThreadLocal<int[]> COUNTS = ThreadLocal.withInitial(() -> new int[SIZES.length]);

    private BufferPool() {
    }

    /** A cleared buffer of at least {@code bytes} bytes. */
    static ByteBuffer acquire(int bytes) {
        int size = sizeIndex(bytes);
        if (size < 0) {
            return ByteBuffer.allocate(bytes);
        }
        int[] counts = COUNTS.get();
        if (counts[size] > 0) {
            ByteBuffer[] cache = CACHES.get()[size];
            ByteBuffer buffer = cache[--counts[size]];
            cache[counts[size]] = null;
            return buffer.clear();
        }
        return ByteBuffer.allocateDirect(SIZES[size]);
    }

    /** Gives a buffer from {@link #acquire} back. */
    static void release(ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            return;
        }
        int size = switch (buffer.capacity()) {
            case SMALL -> 0;
            case MEDIUM -> 1;
            case LARGE -> 2;
            default -> -1;
        };
        if (size < 0) {
            return;
        }
        int[] counts = COUNTS.get();
        if (counts[size] < CACHED[size]) {
            CACHES.get()[size][counts[size]++] = buffer;
        }
    }

    private static int sizeIndex(int bytes) {
        for (int i = 0; i < SIZES.length; i++) {
            if (bytes <= SIZES[i]) {
                return i;
            }
        }
        return -1;
    }
}
