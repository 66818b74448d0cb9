package dev.websock.codec.extension;

import dev.websock.codec.zlib.Decompressor;
import dev.websock.codec.zlib.JdkDecompressor;
import dev.websock.codec.zlib.Zlib;
import dev.websock.codec.zlib.ZlibDecompressor;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Raw-DEFLATE inflaters and their output buffers, shared by the connections of one configuration: a
 * {@link MessageInflater} gives its inflater back when its connection goes idle (or after each message without
 * context takeover), so a server holds about as many as it has connections receiving, not one per connection
 * (42 KiB of zlib state and a buffer each). They are the system zlib's when it may be used, because only those can
 * hand out their window, which is what lets a connection with context takeover give its inflater back.
 *
 * <p>Thread-safe. Keeps at most {@code capacity} idle inflaters and ends the ones given back beyond that.
 * Taking and giving back allocate nothing: the queue is an array.
 */
final class InflaterPool {

    /** RFC 7692 §7.2.2: the tail the sender removed, an empty stored block's length fields. */
    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};

    /** An inflater, its output buffer with the view deliveries hand out, and a view of the tail to append. */
    static final class Lease {
        final Decompressor inflater;
        final byte[] buffer;
        final ByteBuffer bufferView;
        final ByteBuffer tail = ByteBuffer.wrap(TAIL);

        private Lease(Decompressor inflater, int bufferSize) {
            this.inflater = inflater;
            this.buffer = new byte[bufferSize];
            this.bufferView = ByteBuffer.wrap(buffer);
        }
    }

    /** Input is copied to native memory for zlib in pieces of at most this many bytes. */
    private static final int NATIVE_STAGE = 8 * 1024;

    private final ArrayBlockingQueue<Lease> idle;
    private final int bufferSize;
    private final boolean nativeZlib;

    /**
     * @param nativeZlib whether the system zlib may be used: it is when it is there and this module has been
     *     granted native access. Without the grant JDK 25 would print a warning at the first deflate connection of
     *     every server; {@code java.util.zip} is used instead, silently, and idle inflaters with context takeover
     *     then stay with their connections.
     */
    InflaterPool(int capacity, int bufferSize, boolean nativeZlib) {
        this.idle = new ArrayBlockingQueue<>(capacity);
        this.bufferSize = bufferSize;
        // The grant first: looking zlib up is itself the restricted call that warns.
        this.nativeZlib = nativeZlib && InflaterPool.class.getModule().isNativeAccessEnabled() && Zlib.isAvailable();
    }

    /** Whether its inflaters can hand out their window, so that connections with context takeover can give them back. */
    boolean windowsExportable() {
        return nativeZlib;
    }

    /** The output buffer's size: the largest piece a message inflater hands out. */
    int bufferSize() {
        return bufferSize;
    }

    /** An idle inflater at the start of a new stream, or a new one. */
    Lease take() {
        Lease lease = idle.poll();
        if (lease != null) {
            return lease;
        }
        Decompressor inflater = nativeZlib ? new ZlibDecompressor(Math.min(bufferSize, NATIVE_STAGE), bufferSize)
                : new JdkDecompressor();
        return new Lease(inflater, bufferSize);
    }

    /** Gives an inflater back; it is reset here (a new stream), or ended when the pool is full. */
    void giveBack(Lease lease) {
        lease.inflater.reset();
        if (!idle.offer(lease)) {
            lease.inflater.close();
        }
    }

    /** Idle inflaters held. Visible for tests. */
    int idleCount() {
        return idle.size();
    }
}
