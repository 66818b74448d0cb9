package dev.websock.transport.kit;

import dev.websock.transport.Connection;
import dev.websock.transport.WriteCallback;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * A recorder that sends a pattern of {@code total} bytes as a well-behaved producer does: it writes while the
 * connection is writable, stops when it is not, and resumes in onWritable. It also tracks the most bytes
 * ever queued, to check that outbound memory stays bounded.
 */
public class Streamer extends Recorder {

    private final byte[] pattern;
    private final long total;
    private final int writeSize;
    private long sent;
    private boolean finished;
    private long completedWrites;
    private long failedWrites;
    private long maxQueued;
    private final WriteCallback counter = new WriteCallback() {
        @Override
        public void completed(Connection connection) {
            synchronized (Streamer.this) {
                completedWrites++;
                Streamer.this.notifyAll();
            }
        }

        @Override
        public void failed(Connection connection, Throwable cause) {
            synchronized (Streamer.this) {
                failedWrites++;
                Streamer.this.notifyAll();
            }
        }
    };

    public Streamer(String name, long total, int writeSize, long seed) {
        super(name);
        this.pattern = pattern(seed);
        this.total = total;
        this.writeSize = writeSize;
    }

    /**
     * Bytes of a stream made with {@code seed}: a random block of a prime length repeated, so that a lost,
     * doubled or reordered chunk shows at once.
     */
    public static byte[] expected(long seed, int length) {
        byte[] pattern = pattern(seed);
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = pattern[i % pattern.length];
        }
        return bytes;
    }

    private static byte[] pattern(long seed) {
        byte[] pattern = new byte[65_521];
        new SplittableRandom(seed).nextBytes(pattern);
        return pattern;
    }

    @Override
    protected void opened(Connection connection) {
        produce(connection);
    }

    @Override
    protected void writable(Connection connection) {
        produce(connection);
    }

    /** Writes until the connection turns unwritable or everything is sent. On the connection thread. */
    protected void produce(Connection connection) {
        while (connection.isOpen() && connection.isWritable() && sent < total) {
            int offset = (int) (sent % pattern.length);
            int length = (int) Math.min(Math.min(writeSize, total - sent), pattern.length - offset);
            connection.write(ByteBuffer.wrap(pattern, offset, length), counter);
            synchronized (this) {
                sent += length;
                maxQueued = Math.max(maxQueued, connection.queuedBytes());
            }
        }
        if (sent == total && !finished) {
            finished = true;
            finished(connection);
        }
    }

    /** Called once everything has been written (not yet sent); does nothing unless overridden. */
    protected void finished(Connection connection) {
    }

    public synchronized long sent() {
        return sent;
    }

    public synchronized long maxQueued() {
        return maxQueued;
    }

    public synchronized long completedWrites() {
        return completedWrites;
    }

    public synchronized long failedWrites() {
        return failedWrites;
    }
}
