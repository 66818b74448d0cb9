package dev.websock.transport.tls;

import dev.websock.transport.Acceptor;
import dev.websock.transport.Cancellable;
import dev.websock.transport.Connection;
import dev.websock.transport.ConnectionHandler;
import dev.websock.transport.WriteCallback;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

/**
 * A TLS connection over another {@link Connection}: what the application's handler sees. An {@link SSLEngine}
 * turns the inner connection's ciphertext into plaintext for {@link ConnectionHandler#onRead} and the
 * application's writes into records.
 *
 * <p>Threading and buffers follow the transport contract (see {@code dev.websock.transport}): everything runs
 * on the inner connection's thread, except the engine's delegated tasks (key exchange, signatures,
 * certificate checks), which run on {@link TlsConfig#delegatedTaskExecutor()} while the connection waits
 * without blocking its thread; no engine call is made meanwhile.
 *
 * <p>Lifecycle: the handler's {@code onOpen} comes after the handshake, so {@link #tlsSession()} and
 * {@link #applicationProtocol()} are ready in it; a failed handshake closes the inner connection with one log
 * line and never reaches the application. A received {@code close_notify} is
 * {@link ConnectionHandler#onReadShutdown}; {@link #shutdownOutput()} sends one; a TCP end without
 * {@code close_notify} after the handshake closes the connection with an {@link SSLException} cause, because
 * the data may have been truncated (RFC 8446 §6.1).
 *
 * <p>Memory: the record-sized buffers (received ciphertext, decrypted plaintext, encrypted output) come from
 * the transport's pool when bytes arrive or leave, and go back as soon as nothing is buffered, so an idle
 * connection holds only its engine and a few small fields.
 */
public final class TlsConnection implements Connection {
    private static final System.Logger LOG = System.getLogger(TlsConnection.class.getName());
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();
    private static final ByteBuffer[] NO_PLAINTEXT = {EMPTY};
    private static final Runnable NOTHING = () -> {};
    /** A TLS record's header: content type, legacy version, 16-bit length (RFC 8446 §5.1, RFC 5246 §6.2). */
    private static final int RECORD_HEADER_LENGTH = 5;
    /** Adds to {@link #handedOverBytes}: a field and a VarHandle instead of an AtomicLong, 24 B less per connection. */
    private static final VarHandle HANDED_OVER_BYTES;

    static {
        try {
            HANDED_OVER_BYTES = MethodHandles.lookup().findVarHandle(TlsConnection.class, "handedOverBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final TlsTransport transport;
    private final SSLEngine engine;
    /** Server side: asked for the application's handler once the handshake is complete. */
    private final Acceptor acceptor;
    /** Client side: completed with this connection after {@code onOpen}, or failed with the handshake. */
    private final CompletableFuture<Connection> connected;
    private final PlaintextQueue plaintext = new PlaintextQueue();
    /**
     * The oldest encrypted buffer handed to the inner connection and not yet written, or null; it is pooled
     * again when its write ends. Most of the time there is at most one, so it needs no queue.
     */
    private ByteBuffer inFlight;
    /** The encrypted buffers handed over after {@link #inFlight}, in order; made when first needed. */
    private ArrayDeque<ByteBuffer> moreInFlight;
    private final Events events = new Events();

    private Connection connection;
    private ConnectionHandler handler;

    private ByteBuffer netIn;  // ciphertext received and not yet decrypted (read mode), or null
    private ByteBuffer appIn;  // plaintext decrypted and not yet delivered (write mode), or null
    private ByteBuffer netOut; // ciphertext produced and not yet handed to the inner connection, or null
    /**
     * One-element arrays for the engine's array forms: {@code SSLEngine.unwrap(src, dst)} and
     * {@code wrap(src, dst)} would wrap their argument in a new array on every record.
     */
    private final ByteBuffer[] appInArray = new ByteBuffer[1];

    private int depth;                 // nesting of events on this connection; at 0, writes are flushed
    private boolean handshakeComplete;
    private boolean opened;            // the application's handler received onOpen
    private boolean tasksRunning;
    private boolean readPaused;
    private boolean inboundDone;       // close_notify or the end of the stream arrived
    private boolean closeNotifyReceived;
    private boolean closeRequested;
    private boolean shutdownRequested;
    private boolean outputShut;
    private boolean failed;            // a TLS error or timeout: only closing is left
    private boolean closed;
    private boolean flushing;
    private boolean flushScheduled;
    private boolean resumeScheduled;
    private boolean streamEndedBehindStash; // the inner stream ended while records waited in netIn
    private volatile boolean reportedUnwritable;
    private volatile long plaintextBytes;
    /** Bytes written from other threads and not yet taken up by the connection thread; see HANDED_OVER_BYTES. */
    private volatile long handedOverBytes;
    private Throwable closeCause;
    private Cancellable handshakeTimer;

    private TlsConnection(TlsTransport transport, SSLEngine engine, Acceptor acceptor,
            ConnectionHandler handler, CompletableFuture<Connection> connected) {
        this.transport = transport;
        this.engine = engine;
        this.acceptor = acceptor;
        this.handler = handler;
        this.connected = connected;
    }

    static TlsConnection server(TlsTransport transport, SSLEngine engine, Acceptor acceptor) {
        return new TlsConnection(transport, engine, acceptor, null, null);
    }

    static TlsConnection client(TlsTransport transport, SSLEngine engine, ConnectionHandler handler,
            CompletableFuture<Connection> connected) {
        return new TlsConnection(transport, engine, null, handler, connected);
    }

    /** The handler to give the inner connection. */
    ConnectionHandler innerHandler() {
        return events;
    }

    /** The ALPN protocol agreed in the handshake (RFC 7301), or empty when none was (or before the handshake). */
    public Optional<String> applicationProtocol() {
        String protocol = handshakeComplete ? engine.getApplicationProtocol() : null;
        return protocol == null || protocol.isEmpty() ? Optional.empty() : Optional.of(protocol);
    }

    @Override
    public Optional<SSLSession> tlsSession() {
        return handshakeComplete ? Optional.of(engine.getSession()) : Optional.empty();
    }

    /**
     * Pooled buffers (record-sized, or of a larger size class for a paused read) this connection holds now, for
     * the idle-memory tests.
     */
    int heldBuffers() {
        return (netIn != null ? 1 : 0) + (appIn != null ? 1 : 0) + (netOut != null ? 1 : 0) + (inFlight != null ? 1 : 0)
                + (moreInFlight != null ? moreInFlight.size() : 0);
    }

    // ------------------------------------------------------------------------------------------------------
    // Events from the inner connection, each run through enter()/leave()

    /**
     * The inner connection's handler, the write callback of the encrypted buffers, the task that flushes
     * writes made outside any event, and this connection's {@link #executor()} (one object, not four: it is
     * kept by every connection, idle ones included); kept apart so these methods are not part of the public type.
     * The application sees it only as the {@code Executor}; its other roles are this class's alone.
     */
    private final class Events implements ConnectionHandler, WriteCallback, Runnable, Executor {
        @Override
        public void onOpen(Connection inner) {
            enter();
            try {
                innerOpened(inner);
            } finally {
                leave();
            }
        }

        @Override
        public void onRead(Connection inner, ByteBuffer data) {
            enter();
            try {
                innerRead(data);
            } finally {
                leave();
            }
        }

        @Override
        public void onWritable(Connection inner) {
            enter();
            reportedUnwritable = true; // the inner connection was unwritable, so this one was too
            leave(); // leaving flushes what waited and tells the application when it may write again
        }

        @Override
        public void onReadShutdown(Connection inner) {
            enter();
            try {
                innerReadShutdown();
            } finally {
                leave();
            }
        }

        @Override
        public void onClosed(Connection inner, Throwable cause) {
            enter();
            try {
                innerClosed(cause);
            } finally {
                leave();
            }
        }

        /** An encrypted buffer was written by the inner connection: it goes back to the pool. */
        @Override
        public void completed(Connection inner) {
            ByteBuffer buffer = inFlight;
            if (buffer != null) {
                inFlight = moreInFlight != null ? moreInFlight.pollFirst() : null;
                transport.pool().release(buffer);
            }
        }

        /** The inner connection is failing; its onClosed follows and fails the application's writes. */
        @Override
        public void failed(Connection inner, Throwable cause) {
            completed(inner);
        }

        /** The flush that {@link #requestFlush} schedules. */
        @Override
        public void run() {
            flushScheduled = false;
            enter();
            leave();
        }

        /** This connection's {@link #executor()}. */
        @Override
        public void execute(Runnable task) {
            runOnConnectionThread(task);
        }
    }

    private void enter() {
        depth++;
    }

    /** Ends an event; the outermost one flushes the writes it caused and lets go of idle buffers. */
    private void leave() {
        try {
            if (depth == 1) {
                flushOutbound();
            }
        } finally {
            // Even when a callback threw (the inner connection then aborts), the count stays right and the
            // buffers go back.
            if (depth == 1) {
                releaseIdleBuffers();
            }
            depth--;
        }
    }

    private void innerOpened(Connection inner) {
        connection = inner;
        long timeout = transport.config().handshakeTimeout().toMillis();
        handshakeTimer = inner.schedule(timeout, TimeUnit.MILLISECONDS, this::handshakeTimedOut);
        try {
            engine.beginHandshake();
        } catch (SSLException e) {
            tlsFailed(e);
            return;
        }
        processInbound(EMPTY); // a client's ClientHello goes out now; a server waits for one
    }

    private void innerRead(ByteBuffer data) {
        while (data.hasRemaining() && !failed && !closed && !inboundDone) {
            if (!hasStashed()) {
                // Fast path: decrypt straight from the inner connection's buffer; keep only a partial record.
                if (canProcessInbound()) {
                    processInbound(data);
                }
                if (data.hasRemaining() && !failed && !closed && !inboundDone) {
                    stash(data, data.remaining());
                }
                return;
            }
            if (!canProcessInbound()) {
                stash(data, data.remaining());
                return;
            }
            // A partial record waits: copy just what completes it, so that the records behind it are decrypted
            // from data in place (the fast path) instead of being copied too.
            stash(data, bytesToCompleteStashedRecord(data));
            processStashed();
        }
    }

    /**
     * How many bytes of {@code data} to add to the stash: while fewer than a header's bytes wait, what the
     * header lacks; then what its record lacks (RFC 8446 §5.1: type, version, a 16-bit length, then that many
     * bytes). When the header says the record is complete and the engine still waits (a message that is not
     * a TLS record, such as an SSLv2-format ClientHello), everything, as there is no telling how much it needs.
     */
    private int bytesToCompleteStashedRecord(ByteBuffer data) {
        int stashed = netIn.remaining();
        if (stashed < RECORD_HEADER_LENGTH) {
            return Math.min(data.remaining(), RECORD_HEADER_LENGTH - stashed);
        }
        int length = Short.toUnsignedInt(netIn.getShort(netIn.position() + RECORD_HEADER_LENGTH - 2));
        int lacking = RECORD_HEADER_LENGTH + length - stashed;
        return lacking > 0 ? Math.min(data.remaining(), lacking) : data.remaining();
    }

    private boolean hasStashed() {
        return netIn != null && netIn.hasRemaining();
    }

    /** Decrypts from the stash; what the engine leaves stays there, no bytes move. */
    private void processStashed() {
        processInbound(netIn);
        if (!netIn.hasRemaining()) {
            netIn.limit(0).position(0);
        }
        if (streamEndedBehindStash && (!hasStashed() || canProcessInbound())) {
            // Everything stashed was decrypted, or what is left is a record the stream ended in the middle of.
            streamEndedBehindStash = false;
            innerReadShutdown();
        }
    }

    /**
     * Copies {@code n} bytes of {@code data} behind the ciphertext already waiting. The stash is kept in read
     * mode (its bytes between position and limit) so that decrypting part of it moves nothing; the bytes are
     * moved to the front only when the end has no room left.
     */
    private void stash(ByteBuffer data, int n) {
        if (netIn == null) {
            netIn = transport.pool().acquire(n).limit(0);
        } else if (netIn.capacity() - netIn.limit() < n) {
            int waiting = netIn.remaining();
            if (waiting + n > netIn.capacity()) {
                ByteBuffer larger = transport.pool().acquire(waiting + n);
                larger.put(netIn).flip();
                transport.pool().release(netIn);
                netIn = larger;
            } else {
                netIn.compact().flip();
            }
        }
        int end = netIn.limit();
        netIn.limit(end + n).put(end, data, data.position(), n);
        data.position(data.position() + n);
    }

    private boolean canProcessInbound() {
        return !tasksRunning && !failed && !closed && !inboundDone && !(handshakeComplete && readPaused);
    }

    /**
     * Runs the engine over {@code src}: handshake steps, decryption, delivery of plaintext, until the input
     * runs out (a partial record stays in {@code src}) or the connection must wait (delegated tasks, paused
     * reading, close).
     */
    private void processInbound(ByteBuffer src) {
        try {
            while (canProcessInbound()) {
                HandshakeStatus status = engine.getHandshakeStatus();
                if (status == HandshakeStatus.NEED_TASK) {
                    startDelegatedTasks();
                    break;
                }
                if (status == HandshakeStatus.NEED_WRAP) {
                    if (!wrapHandshake()) {
                        break;
                    }
                    continue;
                }
                if (!handshakeComplete && status == HandshakeStatus.NOT_HANDSHAKING) {
                    handshakeFinished(); // the engine finished without reporting FINISHED (resumed sessions)
                    continue;
                }
                if (!src.hasRemaining()) {
                    break;
                }
                if (appIn == null) {
                    appIn = transport.pool().acquire(engine.getSession().getApplicationBufferSize());
                }
                appInArray[0] = appIn;
                SSLEngineResult result = engine.unwrap(src, appInArray, 0, 1);
                appInArray[0] = null;
                switch (result.getStatus()) {
                    case BUFFER_UNDERFLOW -> {
                        // RFC 8446 §5.1: a record may span reads; wait for the rest of it.
                        deliverPlaintext();
                        return;
                    }
                    case BUFFER_OVERFLOW -> {
                        if (appIn.position() > 0) {
                            deliverPlaintext();
                        } else {
                            appIn = enlarge(appIn, engine.getSession().getApplicationBufferSize());
                        }
                        continue;
                    }
                    case CLOSED -> {
                        deliverPlaintext();
                        closeNotifyReceived();
                        return;
                    }
                    case OK -> {
                    }
                }
                HandshakeStatus after = result.getHandshakeStatus();
                if (after == HandshakeStatus.FINISHED) {
                    handshakeFinished();
                } else if (handshakeComplete && after != HandshakeStatus.NOT_HANDSHAKING
                        && "TLSv1.2".equals(engine.getSession().getProtocol())) {
                    refuseRenegotiation();
                    return;
                }
            }
            deliverPlaintext();
        } catch (SSLException e) {
            tlsFailed(e);
        } finally {
            sendNetOut();
        }
    }

    /**
     * TLS 1.2 renegotiation (RFC 5246 §7.4.1, RFC 5746) is refused: it is how a client makes a server spend
     * a handshake's CPU again and again, and no WebSocket peer needs it. After the first handshake, any new
     * handshake message makes the engine leave NOT_HANDSHAKING; the connection is then closed. (TLS 1.3 has
     * no renegotiation; its post-handshake messages, NewSessionTicket and KeyUpdate, are let through.)
     */
    private void refuseRenegotiation() {
        failed = true;
        closeCause = new SSLHandshakeException("the peer started a TLS 1.2 renegotiation, which is refused;"
                + " the connection is closed");
        LOG.log(Level.INFO, "TLS renegotiation from {0} refused; connection closed", remoteAddress());
        connection.close();
    }

    /** Wraps the handshake or alert bytes the engine asks for; false when it produced nothing. */
    private boolean wrapHandshake() throws SSLException {
        ByteBuffer out = netOut();
        SSLEngineResult result = engine.wrap(NO_PLAINTEXT, 0, 1, out);
        if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            if (out.position() > 0) {
                sendNetOut();
            } else {
                netOut = enlarge(out, engine.getSession().getPacketBufferSize());
            }
            return true;
        }
        if (out.remaining() < engine.getSession().getPacketBufferSize()) {
            sendNetOut();
        }
        if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            sendNetOut(); // the last flight leaves before the application speaks
            handshakeFinished();
        }
        return result.bytesProduced() > 0 || result.getHandshakeStatus() != HandshakeStatus.NEED_WRAP;
    }

    private void startDelegatedTasks() {
        tasksRunning = true;
        try {
            transport.config().delegatedTaskExecutor().execute(this::runDelegatedTasks);
        } catch (RejectedExecutionException e) {
            tasksRunning = false;
            tlsFailed(new SSLException("the delegated-task executor refused the handshake's work; "
                    + "give TlsConfig an executor that accepts it", e));
        }
    }

    /** Off the connection thread: the slow parts of the handshake, then back to the connection thread. */
    private void runDelegatedTasks() {
        RuntimeException failure = null;
        try {
            for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                task.run();
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        RuntimeException taskFailure = failure;
        connection.executor().execute(() -> {
            enter();
            try {
                tasksRunning = false;
                if (taskFailure != null) {
                    tlsFailed(new SSLException("a TLS handshake task failed: " + taskFailure, taskFailure));
                } else if (hasStashed()) {
                    processStashed();
                } else {
                    processInbound(EMPTY);
                }
            } finally {
                leave();
            }
        });
    }

    private void handshakeFinished() {
        if (handshakeComplete) {
            return;
        }
        handshakeComplete = true;
        handshakeTimer.cancel();
        handshakeTimer = null; // the task and its lambda would otherwise stay for the connection's life
        if (acceptor != null) {
            handler = acceptor.accept(this);
            if (handler == null) {
                throw new NullPointerException("the Acceptor returned no handler for " + this
                        + "; return one and close the connection to refuse it");
            }
        }
        opened = true;
        handler.onOpen(this);
        if (connected != null) {
            connected.complete(this);
        }
    }

    private void deliverPlaintext() {
        ByteBuffer data = appIn;
        if (data == null || data.position() == 0) {
            return;
        }
        data.flip();
        try {
            if (opened && !closed && !closeRequested) {
                handler.onRead(this, data);
            }
        } finally {
            data.clear();
        }
    }

    /**
     * The peer's close_notify: its side is done. TLS 1.2 answers with a close_notify of its own (RFC 5246
     * §7.2.1), which the engine asks to wrap now; TLS 1.3 lets this side go on writing (RFC 8446 §6.1).
     */
    private void closeNotifyReceived() throws SSLException {
        inboundDone = true;
        closeNotifyReceived = true;
        while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && wrapHandshake()) {
            // the reply close_notify
        }
        if (engine.isOutboundDone()) {
            outputShut = true;
        }
        sendNetOut();
        if (!handshakeComplete) {
            LOG.log(Level.DEBUG, "{0} closed the TLS connection during the handshake", remoteAddress());
            connection.close();
            return;
        }
        if (opened && !closed) {
            handler.onReadShutdown(this);
        }
    }

    private void innerReadShutdown() {
        if (inboundDone || closed || failed) {
            return;
        }
        // The end of the stream comes behind the records still stashed, perhaps a close_notify among them
        // (RFC 8446 §6.1): they go first. When they must wait (reading paused, a handshake task running), the
        // end waits with them; what is left once they could be decrypted is a record the stream cut short.
        if (hasStashed() && canProcessInbound()) {
            processStashed();
            if (inboundDone || closed || failed) {
                return;
            }
        }
        if (hasStashed() && !canProcessInbound()) {
            streamEndedBehindStash = true;
            return;
        }
        inboundDone = true;
        try {
            engine.closeInbound();
        } catch (SSLException e) {
            // No close_notify came first; decided below.
        }
        if (!handshakeComplete) {
            LOG.log(Level.DEBUG, "{0} ended the stream during the TLS handshake", remoteAddress());
            closeCause = new SSLHandshakeException("the peer ended the stream during the TLS handshake");
            connection.close();
            return;
        }
        closeCause = new SSLException("the peer ended the stream without a TLS close_notify (RFC 8446 §6.1): "
                + "what it sent last may be truncated");
        close();
    }

    private void innerClosed(Throwable cause) {
        if (closed) {
            return;
        }
        closed = true;
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
        Throwable reported = closeCause != null ? closeCause : cause;
        if (closeCause == null && closeNotifyReceived && outputShut && plaintext.isEmpty()) {
            // Both close_notify alerts were exchanged: the TLS stream ended cleanly (RFC 8446 §6.1). A peer
            // that closed its socket right after its close_notify resets ours when our reply arrives; that
            // loses nothing.
            reported = null;
        }
        Throwable writeFailure = reported != null ? reported : new ClosedChannelException();
        while (!plaintext.isEmpty()) {
            plaintext.removeFirst(true).failed(this, writeFailure);
        }
        plaintextBytes = 0;
        engine.closeOutbound();
        if (connected != null && !connected.isDone()) {
            // Before the handshake completed, or while onOpen threw: the connect future must still end.
            connected.completeExceptionally(reported != null ? reported
                    : new SSLHandshakeException("the connection closed during the TLS handshake"));
        }
        if (opened) {
            handler.onClosed(this, reported);
        }
    }

    /**
     * A TLS error (a garbage ClientHello, a refused protocol version, a bad record MAC): the engine has
     * prepared the fatal alert (RFC 8446 §6.2), which is sent before the inner connection is closed.
     */
    private void tlsFailed(SSLException e) {
        if (failed || closed) {
            return;
        }
        failed = true;
        closeCause = e;
        if (!handshakeComplete && acceptor != null) {
            // A client learns of it from its connect future; a server has no one else to tell.
            LOG.log(Level.INFO, "TLS handshake with {0} failed: {1}; connection closed",
                    remoteAddress(), e.getMessage());
        }
        try {
            engine.closeOutbound();
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                SSLEngineResult result = engine.wrap(NO_PLAINTEXT, 0, 1, netOut());
                if (result.bytesProduced() == 0) {
                    break;
                }
            }
        } catch (SSLException | RuntimeException alertFailed) {
            // The engine could not even produce the alert: closing is all that is left.
        }
        sendNetOut();
        connection.close();
    }

    private void handshakeTimedOut() {
        if (handshakeComplete || closed || failed) {
            return;
        }
        enter();
        try {
            failed = true;
            long millis = transport.config().handshakeTimeout().toMillis();
            closeCause = new SSLHandshakeException("the TLS handshake did not complete within " + millis
                    + " ms; raise TlsConfig.Builder.handshakeTimeout if the peer is just slow");
            if (acceptor != null) {
                LOG.log(Level.INFO, "TLS handshake with {0} did not complete within {1} ms; connection aborted",
                        remoteAddress(), millis);
            }
            connection.abort();
        } finally {
            leave();
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Writing

    /** Encrypts queued plaintext while the inner connection is writable, then finishes a requested close. */
    private void flushOutbound() {
        if (flushing || closed || connection == null) {
            return;
        }
        flushing = true;
        try {
            while (true) {
                if (!handshakeComplete || tasksRunning || failed) {
                    break;
                }
                plaintext.skipDrained();
                if (plaintext.firstCompleted()) {
                    sendNetOut(); // "handed to the layer below" before the callback says so
                    do {
                        plaintext.removeFirst(false).completed(this);
                    } while (plaintext.firstCompleted());
                    continue; // callbacks may have written
                }
                if (!plaintext.isEmpty()) {
                    if (!connection.isWritable()) {
                        break; // the inner connection's onWritable brings us back
                    }
                    if (outputShut || engine.isOutboundDone()) {
                        failQueuedWrites(new SSLException("the TLS output is closed (close_notify was sent); "
                                + "write nothing after shutdownOutput or close"));
                        continue;
                    }
                    wrapPlaintext();
                    continue;
                }
                sendNetOut();
                if (closeRequested) {
                    finishOutput(true);
                    break;
                }
                if (shutdownRequested && !outputShut) {
                    finishOutput(false);
                }
                if (reportedUnwritable && opened && withinHighWaterMark()) {
                    reportedUnwritable = false;
                    handler.onWritable(this);
                    continue;
                }
                break;
            }
            sendNetOut();
        } catch (SSLException e) {
            tlsFailed(e);
        } finally {
            flushing = false;
        }
    }

    private void wrapPlaintext() throws SSLException {
        ByteBuffer out = netOut();
        SSLEngineResult result = engine.wrap(plaintext.buffers(), plaintext.head(), plaintext.length(), out);
        plaintext.consumed(result.bytesConsumed());
        plaintextBytes = plaintext.bytes();
        switch (result.getStatus()) {
            case BUFFER_OVERFLOW -> {
                if (out.position() > 0) {
                    sendNetOut();
                } else {
                    netOut = enlarge(out, engine.getSession().getPacketBufferSize());
                }
            }
            case CLOSED -> {
                outputShut = true;
                failQueuedWrites(new SSLException("the TLS output closed (the peer's close_notify was answered); "
                        + "nothing more can be sent"));
            }
            default -> {
                if (out.remaining() < engine.getSession().getPacketBufferSize()) {
                    sendNetOut();
                }
            }
        }
        HandshakeStatus status = result.getHandshakeStatus();
        if (status == HandshakeStatus.NEED_WRAP || status == HandshakeStatus.NEED_TASK) {
            processInbound(EMPTY); // a TLS 1.3 KeyUpdate (RFC 8446 §4.6.3)
        }
    }

    private void failQueuedWrites(Throwable cause) {
        while (!plaintext.isEmpty()) {
            plaintext.removeFirst(true).failed(this, cause);
        }
        plaintextBytes = 0;
    }

    /** Sends close_notify (RFC 8446 §6.1) and ends or closes the inner connection. */
    private void finishOutput(boolean close) throws SSLException {
        if (handshakeComplete && !engine.isOutboundDone()) {
            engine.closeOutbound();
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                wrapHandshake(); // the close_notify record
            }
        }
        outputShut = true;
        sendNetOut();
        if (close) {
            connection.close();
        } else {
            connection.shutdownOutput();
        }
    }

    private ByteBuffer netOut() {
        if (netOut == null) {
            netOut = transport.pool().acquire(engine.getSession().getPacketBufferSize());
        }
        return netOut;
    }

    /** Hands the encrypted bytes to the inner connection; the buffer returns to the pool when written. */
    private void sendNetOut() {
        ByteBuffer out = netOut;
        if (out == null || out.position() == 0 || closed) {
            return;
        }
        netOut = null;
        out.flip();
        if (inFlight == null) {
            inFlight = out;
        } else {
            if (moreInFlight == null) {
                moreInFlight = new ArrayDeque<>(4);
            }
            moreInFlight.addLast(out);
        }
        connection.write(out, events);
    }

    private ByteBuffer enlarge(ByteBuffer buffer, int minimum) {
        ByteBuffer larger = transport.pool().acquire(Math.max(minimum, buffer.capacity() + 1));
        buffer.flip();
        larger.put(buffer);
        transport.pool().release(buffer);
        return larger;
    }

    /** Gives the pool back every buffer that holds nothing; a closed connection gives back all. */
    private void releaseIdleBuffers() {
        if (netIn != null && (!netIn.hasRemaining() || closed)) {
            transport.pool().release(netIn);
            netIn = null;
        }
        if (appIn != null && (appIn.position() == 0 || closed)) {
            transport.pool().release(appIn);
            appIn = null;
        }
        if (netOut != null && (netOut.position() == 0 || closed)) {
            transport.pool().release(netOut);
            netOut = null;
        }
    }

    /** Flushes at the end of the current event, or soon when called outside one (from another connection). */
    private void requestFlush() {
        if (depth == 0 && !flushScheduled) {
            flushScheduled = true;
            connection.executor().execute(events);
        }
    }

    private void runOnConnectionThread(Runnable task) {
        connection.executor().execute(() -> {
            enter();
            try {
                task.run();
            } finally {
                leave();
            }
        });
    }

    // ------------------------------------------------------------------------------------------------------
    // Connection

    @Override
    public SocketAddress localAddress() {
        return connection.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public void write(ByteBuffer buffer, WriteCallback callback) {
        write(new ByteBuffer[] {buffer}, 0, 1, callback);
    }

    @Override
    public void write(ByteBuffer[] buffers, int offset, int length, WriteCallback callback) {
        java.util.Objects.checkFromIndexSize(offset, length, buffers.length);
        if (!connection.inConnectionThread()) {
            ByteBuffer[] copy = Arrays.copyOfRange(buffers, offset, offset + length);
            long bytes = 0;
            for (ByteBuffer buffer : copy) {
                bytes += buffer.remaining();
            }
            // Counted at once, so a producer on another thread sees backpressure before its writes arrive.
            long handedOver = bytes;
            HANDED_OVER_BYTES.getAndAdd(this, handedOver);
            runOnConnectionThread(() -> {
                HANDED_OVER_BYTES.getAndAdd(this, -handedOver);
                write(copy, 0, copy.length, callback);
            });
            return;
        }
        // The inner connection may be aborted already while its onClosed, which sets "closed", is still to come:
        // a write then could only be encrypted into a connection that drops it.
        if (closed || closeRequested || shutdownRequested || failed || !connection.isOpen()) {
            Throwable cause = closeCause != null ? closeCause : new ClosedChannelException();
            // The contract runs callbacks after write returns.
            connection.executor().execute(() -> callback.failed(this, cause));
            return;
        }
        plaintext.add(buffers, offset, length, callback);
        plaintextBytes = plaintext.bytes();
        requestFlush();
    }

    /**
     * Writable when the inner connection is and everything queued, plaintext waiting to be encrypted
     * included, is within the inner transport's high-water mark. Plaintext waits only until the current
     * callback returns (writes made in one callback are encrypted together), then adds to the inner
     * connection's queue. {@link ConnectionHandler#onWritable} follows once the plaintext is encrypted and
     * everything queued is within the mark again: at once when the inner connection took it and stayed under
     * its mark, else after the inner connection's own onWritable, at its low-water mark.
     *
     * <p>Not "no plaintext waiting": then an echo or a proxy that pauses reading while unwritable would pause
     * after every record it is handed, and the rest of each read would be copied aside and picked up again
     * from a later event (with 100 connections echoing 64 KiB messages that cost more than half the
     * throughput, TransportBench).
     */
    @Override
    public boolean isWritable() {
        if (withinHighWaterMark()) {
            return true;
        }
        if (!reportedUnwritable) {
            reportedUnwritable = true;
            if (!connection.inConnectionThread()) {
                // A producer on another thread may have read the counts while the connection thread moved bytes
                // between them (and counted some twice), just after that thread last looked at the flag: a flush
                // on the connection thread looks again, so that onWritable cannot be missed.
                runOnConnectionThread(NOTHING);
            }
        }
        return false;
    }

    private boolean withinHighWaterMark() {
        return connection.isWritable()
                && plaintextBytes + handedOverBytes + connection.queuedBytes() <= transport.highWaterMark();
    }

    @Override
    public long queuedBytes() {
        return plaintextBytes + handedOverBytes + connection.queuedBytes();
    }

    @Override
    public void pauseReading() {
        if (!connection.inConnectionThread()) {
            runOnConnectionThread(this::pauseReading);
            return;
        }
        readPaused = true;
        connection.pauseReading();
    }

    @Override
    public void resumeReading() {
        if (!connection.inConnectionThread()) {
            runOnConnectionThread(this::resumeReading);
            return;
        }
        readPaused = false;
        connection.resumeReading();
        if (hasStashed() && !resumeScheduled) {
            // Records decrypted-but-held while paused are delivered from a fresh event, never from inside
            // the caller's callback.
            resumeScheduled = true;
            runOnConnectionThread(() -> {
                resumeScheduled = false;
                if (hasStashed() && canProcessInbound()) {
                    processStashed();
                }
            });
        }
    }

    @Override
    public void shutdownOutput() {
        if (!connection.inConnectionThread()) {
            runOnConnectionThread(this::shutdownOutput);
            return;
        }
        if (closed || shutdownRequested) {
            return;
        }
        shutdownRequested = true;
        requestFlush();
    }

    @Override
    public void close() {
        if (!connection.inConnectionThread()) {
            runOnConnectionThread(this::close);
            return;
        }
        if (closed || closeRequested) {
            return;
        }
        closeRequested = true;
        if (!handshakeComplete || failed) {
            connection.close();
            return;
        }
        requestFlush();
    }

    @Override
    public void abort() {
        connection.abort();
    }

    @Override
    public boolean isOpen() {
        return opened && !closed && !closeRequested && !failed && connection.isOpen();
    }

    @Override
    public Cancellable schedule(long delay, TimeUnit unit, Runnable task) {
        return connection.schedule(delay, unit, () -> {
            enter();
            try {
                task.run();
            } finally {
                leave();
            }
        });
    }

    @Override
    public Executor executor() {
        return events;
    }

    @Override
    public boolean inConnectionThread() {
        return connection.inConnectionThread();
    }

    @Override
    public String toString() {
        return "TlsConnection[" + connection + "]";
    }
}
