package dev.websock.server.session;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Direct buffers for outbound frames in three sizes, cached per thread so that a connection thread that sends
 * and then completes its writes reuses the same few buffers, allocating nothing once warm. A frame larger than
 * the largest size gets a heap buffer of its own, which is not pooled.
 *
 * <p>Per-thread caches need no locks; a buffer released on another thread than it was taken on moves to that
 * thread's cache, or is dropped when that cache is full. Virtual threads share one bounded pool instead: the
 * virtual-thread transport gives every connection threads of its own, and a per-thread cache there would be a
 * per-connection one, up to 2.6 MB of direct buffers held by each connection that once had many writes in flight.
 */
final class BufferPool {
    static final int SMALL = 512;
    static final int MEDIUM = 8 * 1024;
    static final int LARGE = 64 * 1024;
    private static final int[] SIZES = {SMALL, MEDIUM, LARGE};
    /** Buffers kept per size and thread: enough for a deep pipeline of frames on one loop. */
    private static final int[] CACHED = {256, 64, 32};

    /** One lookup per call: a thread-local costs a hash probe, and every frame sent takes and gives back a buffer. */
    private static final ThreadLocal<Cache> CACHES = ThreadLocal.withInitial(Cache::new);

    /** The free buffers of all virtual threads, per size, bounded like one thread's cache. */
    @SuppressWarnings("unchecked")
    private static final ArrayBlockingQueue<ByteBuffer>[] SHARED = new ArrayBlockingQueue[] {
        new ArrayBlockingQueue<ByteBuffer>(CACHED[0]), new ArrayBlockingQueue<ByteBuffer>(CACHED[1]),
        new ArrayBlockingQueue<ByteBuffer>(CACHED[2])};

    /** One thread's free buffers per size, and how many of each. */
    private static final class Cache {
        final ByteBuffer[][] free = {new ByteBuffer[CACHED[0]], new ByteBuffer[CACHED[1]], new ByteBuffer[CACHED[2]]};
        final int[] counts = new int[SIZES.length];
    }

    private BufferPool() {
    }

    /** Free buffers of {@code size} bytes held for virtual threads, for tests. */
    static int sharedFree(int size) {
        return SHARED[sizeIndex(size)].size();
    }

    /** A cleared buffer of at least {@code bytes} bytes. */
    static ByteBuffer acquire(int bytes) {
        int size = sizeIndex(bytes);
        if (size < 0) {
            return ByteBuffer.allocate(bytes);
        }
        if (Thread.currentThread().isVirtual()) {
            ByteBuffer buffer = SHARED[size].poll();
            return buffer != null ? buffer.clear() : ByteBuffer.allocateDirect(SIZES[size]);
        }
        Cache caches = CACHES.get();
        int[] counts = caches.counts;
        if (counts[size] > 0) {
            ByteBuffer[] cache = caches.free[size];
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
        if (Thread.currentThread().isVirtual()) {
            SHARED[size].offer(buffer); // dropped when full
            return;
        }
        Cache caches = CACHES.get();
        int[] counts = caches.counts;
        if (counts[size] < CACHED[size]) {
            caches.free[size][counts[size]++] = buffer;
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
