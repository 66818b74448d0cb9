package dev.websock.transport.tls;

import java.nio.ByteBuffer;

/**
 * Heap buffers for records and the ciphertext a paused connection must keep, shared by the connections of
 * one {@link TlsTransport}. Connections take buffers when bytes arrive or leave and give them back once
 * nothing is buffered, so an idle connection holds none (a million idle connections would otherwise pin
 * 50 GB).
 *
 * <p>Most buffers are one record's size. Larger ones are needed when reading is paused in the middle of an
 * inner read: the rest of that read (up to the inner transport's read buffer, 64 KiB by default) must be
 * copied out. Those come in size classes, the record size times 2, 4, … {@value #LARGEST_CLASS_FACTOR}, so
 * that they too are reused instead of being allocated per pause; only requests beyond the largest class are
 * one-off. What the pool keeps is bounded in bytes, not per class: at most its capacity in record-sized
 * buffers' worth, whatever mix of sizes that is; when that is spent, a smaller buffer given back displaces
 * larger free ones.
 *
 * <p>Thread-safe: connections on different event loops share it. A plain lock, because it is held for a few
 * instructions and a lock-free queue would allocate a node per release.
 */
final class BufferPool {
    /** The largest pooled size, in record sizes: 64 records, about 1 MiB. */
    static final int LARGEST_CLASS_FACTOR = 64;
    private static final int CLASSES = Integer.numberOfTrailingZeros(LARGEST_CLASS_FACTOR) + 1;

    private final int bufferSize;
    private final long byteBudget;
    private final ByteBuffer[][] free = new ByteBuffer[CLASSES][];
    private final int[] count = new int[CLASSES];
    private long bytesKept;

    /**
     * @param bufferSize the size of a record buffer, the larger of the session's packet and application
     *                   buffer sizes
     * @param capacity   how many record buffers' worth of bytes are kept; more are dropped for the garbage
     *                   collector
     */
    BufferPool(int bufferSize, int capacity) {
        this.bufferSize = bufferSize;
        this.byteBudget = (long) bufferSize * capacity;
        for (int sizeClass = 0; sizeClass < CLASSES; sizeClass++) {
            // Never more slots than the budget could fill with buffers of this class.
            free[sizeClass] = new ByteBuffer[Math.max(capacity >> sizeClass, capacity > 0 ? 1 : 0)];
        }
    }

    int bufferSize() {
        return bufferSize;
    }

    /**
     * A cleared buffer of at least {@code minimum} bytes: a record buffer when that is enough, else the
     * smallest size class that fits, pooled; beyond the largest class a one-off buffer of exactly
     * {@code minimum}.
     */
    ByteBuffer acquire(int minimum) {
        int sizeClass = sizeClassFor(minimum);
        if (sizeClass < 0) {
            return ByteBuffer.allocate(minimum);
        }
        synchronized (this) {
            if (count[sizeClass] > 0) {
                ByteBuffer buffer = free[sizeClass][--count[sizeClass]];
                free[sizeClass][count[sizeClass]] = null;
                bytesKept -= buffer.capacity();
                return buffer.clear();
            }
        }
        return ByteBuffer.allocate(bufferSize << sizeClass);
    }

    /** Takes {@code buffer} back; the caller must not use it afterwards. */
    void release(ByteBuffer buffer) {
        int capacity = buffer.capacity();
        int sizeClass = sizeClassFor(capacity);
        if (sizeClass < 0 || bufferSize << sizeClass != capacity) {
            return; // a one-off buffer: let it go
        }
        synchronized (this) {
            if (count[sizeClass] == free[sizeClass].length) {
                return;
            }
            // Smaller buffers are wanted more often (every record needs one, only paused reads need larger):
            // when the budget is spent, free larger ones make room, so that a burst of pauses cannot leave the
            // pool holding only buffers nobody asks for.
            for (int larger = CLASSES - 1; larger > sizeClass && bytesKept + capacity > byteBudget; larger--) {
                while (count[larger] > 0 && bytesKept + capacity > byteBudget) {
                    bytesKept -= free[larger][--count[larger]].capacity();
                    free[larger][count[larger]] = null;
                }
            }
            if (bytesKept + capacity <= byteBudget) {
                free[sizeClass][count[sizeClass]++] = buffer;
                bytesKept += capacity;
            }
        }
    }

    /** The class whose size, {@code bufferSize << class}, is the smallest at least {@code bytes}; -1 if none. */
    private int sizeClassFor(int bytes) {
        if (bytes <= bufferSize) {
            return 0;
        }
        int factor = (bytes - 1) / bufferSize + 1; // records needed, rounded up
        int sizeClass = 32 - Integer.numberOfLeadingZeros(factor - 1); // log2, rounded up
        return sizeClass < CLASSES ? sizeClass : -1;
    }

    /** Free buffers held, for tests. */
    synchronized int available() {
        int total = 0;
        for (int n : count) {
            total += n;
        }
        return total;
    }

    /** Bytes held in free buffers, for tests. */
    synchronized long bytesKept() {
        return bytesKept;
    }
}
