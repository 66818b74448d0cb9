package dev.websock.codec.extension;

import dev.websock.codec.zlib.Compressor;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.Supplier;

/**
 * The compressors of one configuration (level, window, memLevel, buffer size), shared by every connection that
 * uses it: a {@link MessageDeflater} holds one only while it compresses a message, so a server holds about as
 * many as it has threads compressing at once, not one per connection (264 KiB of zlib state each with the
 * defaults). Context takeover survives this because a deflater primes each compressor it takes with the last
 * bytes it sent (see {@link MessageDeflater}).
 *
 * <p>Thread-safe. Keeps at most {@code capacity} idle compressors and closes the ones given back beyond that.
 * Taking and giving back allocate nothing: the queue is an array.
 */
final class CompressorPool {

    /** A compressor with the view of its output that deliveries hand out (the receiver may move it). */
    static final class Lease {
        final Compressor compressor;
        final ByteBuffer delivery;

        private Lease(Compressor compressor) {
            this.compressor = compressor;
            this.delivery = compressor.output().duplicate();
        }
    }

    private final ArrayBlockingQueue<Lease> idle;
    private final Supplier<Compressor> factory;

    CompressorPool(int capacity, Supplier<Compressor> factory) {
        this.idle = new ArrayBlockingQueue<>(capacity);
        this.factory = factory;
    }

    /** An idle compressor at the start of a new stream, or a new one. */
    Lease take() {
        Lease lease = idle.poll();
        return lease != null ? lease : new Lease(factory.get());
    }

    /** Gives a compressor back; it is reset here (a new stream, its output empty), or closed when the pool is full. */
    void giveBack(Lease lease) {
        lease.compressor.reset();
        lease.compressor.output().clear();
        if (!idle.offer(lease)) {
            lease.compressor.close();
        }
    }

    /** Idle compressors held. Visible for tests. */
    int idleCount() {
        return idle.size();
    }
}
