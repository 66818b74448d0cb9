package dev.websock.transport.memory;

import dev.websock.transport.Cancellable;
import dev.websock.transport.Connection;
import dev.websock.transport.ConnectionHandler;
import dev.websock.transport.WriteCallback;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;

/**
 * One end of an in-memory pair. All state is touched only on the transport's loop thread; the methods of
 * {@link Connection} hand themselves over to it when called elsewhere.
 *
 * <p>The pipe between the two ends holds no bytes of its own: a write stays queued, counted by
 * {@link #queuedBytes()}, until the peer has read it, and its callback completes then. A peer that pauses or
 * reads slowly therefore makes this end unwritable exactly as a full socket buffer would, only sooner.
 */
final class InMemoryConnection implements Connection {

    private enum State { OPEN, CLOSING, CLOSED }

    /** How long a graceful close waits for the peer to read what is queued and to end its side; as NIO. */
    static final long CLOSE_LINGER_SECONDS = 10;

    private final InMemoryTransport transport;
    private final EventLoop loop;
    private final InMemoryAddress localAddress;
    private final InMemoryAddress remoteAddress;
    private final IntSupplier readSizes;
    private final int highWaterMark;
    private final int lowWaterMark;
    private final Executor executor = this::executeTask;
    private InMemoryConnection peer;
    private ConnectionHandler handler;

    private final ArrayDeque<PendingWrite> outbound = new ArrayDeque<>();
    private volatile long queued;
    private volatile boolean writable = true;
    private volatile State state = State.OPEN;
    private boolean opened;
    private boolean readPaused;
    private boolean pumpScheduled;
    private boolean outputShutdownRequested;
    private boolean outputEnded;
    private boolean inputEnded;
    private Cancellable lingerTimer;

    InMemoryConnection(InMemoryTransport transport, InMemoryAddress localAddress, InMemoryAddress remoteAddress,
                       IntSupplier readSizes) {
        this.transport = transport;
        this.loop = transport.loop();
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
        this.readSizes = readSizes;
        this.highWaterMark = transport.options().highWaterMark();
        this.lowWaterMark = transport.options().lowWaterMark();
    }

    static void pair(InMemoryConnection a, InMemoryConnection b) {
        a.peer = b;
        b.peer = a;
    }

    /** Sets the handler and calls onOpen; reading starts after it returns. On the loop. */
    void open(ConnectionHandler handler) {
        this.handler = Objects.requireNonNull(handler, "the acceptor returned a null handler; return a handler and abort() to refuse");
        try {
            handler.onOpen(this);
        } catch (RuntimeException e) {
            failWith(e);
        }
        opened = true;
        schedulePump();
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public void write(ByteBuffer buffer, WriteCallback callback) {
        write(new ByteBuffer[] {buffer}, 0, 1, callback);
    }

    @Override
    public void write(ByteBuffer[] buffers, int offset, int length, WriteCallback callback) {
        Objects.checkFromIndexSize(offset, length, buffers.length);
        Objects.requireNonNull(callback, "callback; pass WriteCallback.NONE when the outcome does not matter");
        // The caller may reuse the array as soon as we return, so the write keeps its own copy of it.
        ByteBuffer[] own = Arrays.copyOfRange(buffers, offset, offset + length);
        if (loop.inLoop()) {
            writeNow(own, callback);
        } else {
            loop.execute(() -> writeNow(own, callback));
        }
    }

    private void writeNow(ByteBuffer[] buffers, WriteCallback callback) {
        if (state != State.OPEN || outputShutdownRequested) {
            String reason = state == State.OPEN ? "its output was shut down" : "it is " + state.name().toLowerCase();
            IOException error = new IOException("write on a connection after " + reason
                    + "; check isOpen() before writing, and stop writing after shutdownOutput()");
            loop.execute(() -> callback.failed(this, error));
            return;
        }
        long bytes = 0;
        for (ByteBuffer buffer : buffers) {
            bytes += buffer.remaining();
        }
        outbound.addLast(new PendingWrite(buffers, callback));
        queued += bytes;
        if (queued > highWaterMark) {
            writable = false;
        }
        if (peer.state == State.CLOSED) {
            // TCP answers data sent to a closed socket with a reset.
            reset(new IOException("connection reset by peer: " + remoteAddress + " is closed"));
            return;
        }
        // Flushing is the peer's next read, queued behind the task running now: writes made during a callback
        // therefore reach the peer together, as one corked flush.
        peer.schedulePump();
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public long queuedBytes() {
        return queued;
    }

    @Override
    public void pauseReading() {
        onLoop(() -> readPaused = true);
    }

    @Override
    public void resumeReading() {
        onLoop(() -> {
            readPaused = false;
            schedulePump();
        });
    }

    @Override
    public void shutdownOutput() {
        onLoop(() -> {
            if (state != State.OPEN || outputShutdownRequested) {
                return;
            }
            outputShutdownRequested = true;
            endOutputIfDrained();
        });
    }

    @Override
    public void close() {
        onLoop(() -> {
            if (state != State.OPEN) {
                return;
            }
            state = State.CLOSING;
            outputShutdownRequested = true;
            lingerTimer = loop.schedule(CLOSE_LINGER_SECONDS, TimeUnit.SECONDS, () -> {
                if (state == State.CLOSING) {
                    TimeoutException cause = new TimeoutException("the peer did not read the last bytes or did not"
                            + " end its side within " + CLOSE_LINGER_SECONDS + " s of a graceful close");
                    release(cause);
                    peer.reset(new IOException("connection reset by peer: " + localAddress
                            + " gave up closing gracefully"));
                }
            });
            // A closing end delivers no more reads: what the peer still sends is taken and dropped, as the
            // socket transports read and drop until the peer's end of stream. Then two ends closing at once
            // cannot wait on each other forever.
            schedulePump();
            endOutputIfDrained();
        });
    }

    @Override
    public void abort() {
        onLoop(() -> {
            if (state == State.CLOSED) {
                return;
            }
            IOException cause = new SocketException("connection " + localAddress + " -> " + remoteAddress
                    + " aborted by the local side");
            release(cause);
            peer.reset(new IOException("connection reset by peer: " + remoteAddress + " aborted"));
        });
    }

    @Override
    public boolean isOpen() {
        return state == State.OPEN;
    }

    @Override
    public Cancellable schedule(long delay, TimeUnit unit, Runnable task) {
        Objects.requireNonNull(task, "task");
        try {
            return loop.schedule(delay, unit, () -> {
                // Timers fire until onClosed: a closing-handshake timeout must still be able to abort.
                if (state != State.CLOSED) {
                    callback(task);
                }
            });
        } catch (RejectedExecutionException e) {
            return () -> { };
        }
    }

    @Override
    public Executor executor() {
        return executor;
    }

    @Override
    public boolean inConnectionThread() {
        return loop.inLoop();
    }

    @Override
    public String toString() {
        return "InMemoryConnection[" + localAddress + " -> " + remoteAddress + ", " + state + "]";
    }

    private void executeTask(Runnable task) {
        Objects.requireNonNull(task, "task");
        loop.execute(() -> callback(task));
    }

    /** Schedules the next read of the peer's bytes into this end, unless one is already scheduled. */
    private void schedulePump() {
        if (!pumpScheduled && state != State.CLOSED) {
            pumpScheduled = true;
            loop.execute(this::pump);
        }
    }

    /**
     * Delivers one read: a chunk of the peer's queued bytes, or the end of its stream. One read per task, so
     * that both directions and every connection take turns, and a pause made in onRead stops the next one.
     */
    private void pump() {
        pumpScheduled = false;
        InMemoryConnection writer = peer;
        if (state == State.CLOSED || !opened) {
            return;
        }
        if (state == State.CLOSING) {
            writer.take(null, Long.MAX_VALUE);
            if (writer.outputEnded) {
                inputEnded = true;
                releaseIfBothEnded();
            }
            return;
        }
        if (readPaused) {
            return;
        }
        if (writer.queued > 0 || !writer.outbound.isEmpty()) {
            ByteBuffer data = transport.readBuffer();
            data.clear().limit(Math.min(readSizes.getAsInt(), data.capacity()));
            writer.take(data, data.remaining());
            data.flip();
            if (data.hasRemaining()) {
                int length = data.remaining();
                callback(() -> handler.onRead(this, data));
                // onRead may have kept the buffer against the contract: make that fail loudly in tests.
                Arrays.fill(data.array(), 0, length, (byte) 0xEE);
            }
            if (writer.queued > 0 || !writer.outbound.isEmpty() || writer.outputEnded) {
                schedulePump();
            }
        } else if (writer.outputEnded && !inputEnded) {
            inputEnded = true;
            callback(() -> handler.onReadShutdown(this));
        }
    }

    /**
     * Moves up to {@code limit} queued bytes into {@code into} (or drops them when {@code into} is null),
     * completing the writes that are now fully taken; on the loop.
     */
    private void take(ByteBuffer into, long limit) {
        long taken = 0;
        while (!outbound.isEmpty() && taken < limit) {
            PendingWrite write = outbound.peekFirst();
            taken += write.moveTo(into, limit - taken);
            if (write.remaining()) {
                break;
            }
            outbound.pollFirst();
            WriteCallback callback = write.callback;
            loop.execute(() -> callback(() -> callback.completed(this)));
        }
        queued -= taken;
        if (!writable && queued <= lowWaterMark) {
            writable = true;
            loop.execute(() -> {
                if (state != State.CLOSED) {
                    callback(() -> handler.onWritable(this));
                }
            });
        }
        endOutputIfDrained();
    }

    /** Ends the outbound stream once shutdown was asked for and every queued byte is taken; closes if closing. */
    private void endOutputIfDrained() {
        if (!outputShutdownRequested || !outbound.isEmpty() || state == State.CLOSED) {
            return;
        }
        if (!outputEnded) {
            outputEnded = true;
            peer.schedulePump();
        }
        releaseIfBothEnded();
    }

    /**
     * A graceful close ends once our stream has ended and the peer's has too, as on the socket transports,
     * which wait for the peer's FIN before releasing the socket.
     */
    private void releaseIfBothEnded() {
        if (state == State.CLOSING && outputEnded && inputEnded) {
            release(null);
        }
    }

    /** The peer reset the connection: what was queued is lost, and this end closes with {@code cause}. */
    private void reset(IOException cause) {
        if (state != State.CLOSED) {
            release(cause);
        }
    }

    /** Closes this end for good: fails what is still queued, then onClosed, exactly once. */
    private void release(Throwable cause) {
        state = State.CLOSED;
        if (lingerTimer != null) {
            lingerTimer.cancel();
        }
        transport.released(this);
        PendingWrite write;
        while ((write = outbound.pollFirst()) != null) {
            WriteCallback callback = write.callback;
            Throwable failure = cause != null ? cause : new IOException("connection closed before the write was sent");
            loop.execute(() -> callback(() -> callback.failed(this, failure)));
        }
        queued = 0;
        loop.execute(() -> {
            try {
                handler.onClosed(this, cause);
            } catch (RuntimeException e) {
                System.getLogger(InMemoryConnection.class.getName())
                        .log(System.Logger.Level.WARNING, "onClosed of " + this + " threw", e);
            }
        });
        if (peer.state != State.CLOSED && (peer.queued > 0 || !peer.outbound.isEmpty())) {
            // Bytes still on their way to a closed socket: TCP resets their sender.
            peer.reset(new IOException("connection reset by peer: " + localAddress + " closed with "
                    + peer.queued + " bytes unread"));
        }
    }

    /** Runs one handler callback; an exception it throws aborts the connection with it as cause. */
    private void callback(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            failWith(e);
        }
    }

    private void failWith(RuntimeException e) {
        if (state != State.CLOSED) {
            release(e);
            peer.reset(new IOException("connection reset by peer: the handler of " + localAddress + " threw " + e));
        }
    }

    /** Acts at once on the loop, or hands {@code action} to it in call order. */
    private void onLoop(Runnable action) {
        if (loop.inLoop()) {
            action.run();
        } else {
            loop.execute(action);
        }
    }

    /** A write waiting for the peer to read it; its buffers advance as the peer takes bytes. */
    private static final class PendingWrite {
        final ByteBuffer[] buffers;
        final WriteCallback callback;
        int index;

        PendingWrite(ByteBuffer[] buffers, WriteCallback callback) {
            this.buffers = buffers;
            this.callback = callback;
        }

        long moveTo(ByteBuffer into, long limit) {
            long moved = 0;
            while (index < buffers.length && moved < limit) {
                ByteBuffer buffer = buffers[index];
                int n = (int) Math.min(buffer.remaining(), limit - moved);
                if (into != null) {
                    into.put(into.position(), buffer, buffer.position(), n);
                    into.position(into.position() + n);
                }
                buffer.position(buffer.position() + n);
                moved += n;
                if (!buffer.hasRemaining()) {
                    index++;
                }
            }
            return moved;
        }

        boolean remaining() {
            while (index < buffers.length && !buffers[index].hasRemaining()) {
                index++;
            }
            return index < buffers.length;
        }
    }
}
