package dev.websock.server.session;

import dev.websock.codec.CloseCode;
import dev.websock.codec.CloseHandshake;
import dev.websock.codec.FrameDecoder;
import dev.websock.codec.FrameEncoder;
import dev.websock.codec.MessageDecoder;
import dev.websock.codec.MessageHandler;
import dev.websock.codec.Opcode;
import dev.websock.codec.Role;
import dev.websock.codec.extension.AgreedExtension;
import dev.websock.codec.extension.InboundTransform;
import dev.websock.codec.extension.OutboundTransform;
import dev.websock.server.HandlerExecution;
import dev.websock.server.HandshakeRequest;
import dev.websock.server.MessageDelivery;
import dev.websock.server.SendCallback;
import dev.websock.server.Session;
import dev.websock.server.WebSocketHandler;
import dev.websock.transport.Cancellable;
import dev.websock.transport.Connection;
import dev.websock.transport.WriteCallback;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An open WebSocket connection: the codec's decoder and encoder, the closing handshake, the timers, and the
 * application's {@link WebSocketHandler}. Protocol state lives on the connection thread; the {@link Session}
 * methods hand work to it when called from elsewhere.
 *
 * <p>Outbound frames are built in pooled buffers (header and payload together, so each frame is one buffer
 * and one write), in the order they are sent; the transport completes writes in order, so the buffer of the
 * oldest write in flight is the one a completion gives back.
 *
 * <p>Closing (RFC 6455 §7.1): a close frame from the peer is answered with its own code, and the server then
 * closes the TCP connection (§7.1.1, the server closes first). A close started here waits for the peer's close
 * frame up to the close timeout. A protocol error fails the connection (§7.1.7): a close frame with the error's
 * code, then the TCP close. Either way the transport's graceful close sends FIN after the last frame and
 * discards what still arrives until the peer's FIN, so the peer reads our close frame before the connection
 * goes.
 */
final class WebSocketSession implements Session, MessageHandler, WriteCallback {
    private static final System.Logger LOG = System.getLogger(WebSocketSession.class.getName());
    private static final Thread.Builder HANDLER_THREADS = Thread.ofVirtual().name("websock-handler-", 0);
    /**
     * A session that received nothing this long gives back its message buffer and idle compression memory
     * (STYLE: a million idle connections must fit in memory); the next message takes them again.
     */
    static final long RELEASE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Connection connection;
    private final ServerConfig config;
    private final WebSocketHandler handler;
    private final MessageDelivery delivery;
    private final String path; // the route's: shared by its sessions
    private final String query;
    /** Null once {@code onOpen} has returned, unless the server retains requests (see {@link #request()}). */
    private volatile HandshakeRequest request;
    private final String subprotocol;
    private final List<String> extensions;
    /** A server's encoder keeps no state (it masks nothing), so every session shares one. */
    private static final FrameEncoder FRAMES = new FrameEncoder(Role.SERVER);
    private final MessageDecoder decoder;
    private final InboundTransform inflater;
    private final OutboundTransform deflater;
    private final int deflateRsv;
    private final DeflatedFrames deflatedFrames; // null without permessage-deflate
    private final CloseHandshake closing = new CloseHandshake();
    /** Made on the first attribute set: most sessions never have one, and an empty map costs 64 bytes each. */
    private volatile Map<String, Object> attributes;
    private final SerialExecutor handlerThread;
    private final AtomicLong pendingHandlerBytes;

    // Writes in flight, oldest first: the pooled buffer of each and, on a message's last frame, its callback. The
    // arrays start empty, take 4 slots on the first write, double when a burst needs more, and are given back
    // with the other buffers when the session goes quiet (an idle session should hold nothing it does not use).
    private static final ByteBuffer[] NO_FRAMES = new ByteBuffer[0];
    private static final SendCallback[] NO_CALLBACKS = new SendCallback[0];
    private ByteBuffer[] inflight = NO_FRAMES;
    private SendCallback[] inflightCallbacks = NO_CALLBACKS;
    private int inflightHead;
    private int inflightTail;

    private volatile boolean open = true;
    private boolean closeNotified;
    private int sentCloseCode = -1;
    private String sentCloseReason = "";
    private Cancellable closeTimer;
    private Cancellable idleTimer;
    private boolean buffersReleased;
    private Cancellable pingTimer;
    private long lastReadNanos;
    private int streamingOpcode = -1; // the data message being streamed out, or -1
    private boolean pausedForWrites;
    private boolean pausedForHandler;

    WebSocketSession(Connection connection, ServerConfig config, Route route, HandshakeRequest request,
            String subprotocol, List<AgreedExtension> agreed, Map<String, ?> attributes) {
        this.connection = connection;
        this.config = config;
        this.handler = route.handler();
        this.delivery = route.delivery();
        this.path = route.path();
        this.query = request.query();
        this.request = request;
        this.subprotocol = subprotocol;
        this.extensions = agreed.stream().map(extension -> extension.response().toHeaderValue()).toList();
        if (!attributes.isEmpty()) {
            this.attributes = new ConcurrentHashMap<>(attributes);
        }
        FrameDecoder frameDecoder = new FrameDecoder(Role.SERVER, config.maxFrameSize());
        AgreedExtension extension = agreed.isEmpty() ? null : agreed.getFirst();
        if (extension != null) {
            frameDecoder.allowRsvBits(extension.rsvBits());
            this.inflater = extension.newInbound(config.maxMessageSize());
            this.deflater = extension.newOutbound();
            this.deflatedFrames = new DeflatedFrames();
            this.deflateRsv = extension.rsvBits();
        } else {
            this.inflater = null;
            this.deflater = null;
            this.deflatedFrames = null;
            this.deflateRsv = 0;
        }
        MessageDecoder.Delivery mode = delivery == MessageDelivery.WHOLE
                ? MessageDecoder.Delivery.WHOLE : MessageDecoder.Delivery.STREAMING;
        this.decoder = new MessageDecoder(frameDecoder, this, mode, config.maxMessageSize(), inflater);
        boolean virtual = config.execution() == HandlerExecution.VIRTUAL_THREADS;
        this.handlerThread = virtual ? new SerialExecutor(HANDLER_THREADS) : null;
        this.pendingHandlerBytes = virtual ? new AtomicLong() : null;
    }

    // ---- life cycle, on the connection thread ----

    void start() {
        lastReadNanos = System.nanoTime();
        idleTimer = connection.schedule(nextIdleCheck(0), TimeUnit.NANOSECONDS, this::checkIdle);
        if (config.pingIntervalNanos() > 0) {
            pingTimer = connection.schedule(config.pingIntervalNanos(), TimeUnit.NANOSECONDS, this::keepAlive);
        }
        call(() -> {
            try {
                handler.onOpen(this);
            } finally {
                if (!config.retainHandshakeRequest()) {
                    request = null;
                }
            }
        });
    }

    void onRead(ByteBuffer data) {
        lastReadNanos = System.nanoTime();
        buffersReleased = false;
        if (decoder.isStopped()) {
            return; // after a close frame or an error nothing the peer sends counts (RFC 6455 §5.5.1)
        }
        decoder.decode(data);
        pauseIfUnwritable();
    }

    /**
     * The peer reads our replies slower than it sends: stop reading until the queue drains, so that an echo (or
     * any request/response handler) holds bounded memory. Checked after each read and after each write: replies
     * made on virtual threads or other threads reach the queue after the read that caused them, and the reads
     * in between would otherwise go on.
     */
    private void pauseIfUnwritable() {
        if (!pausedForWrites && open && !connection.isWritable()) {
            pausedForWrites = true;
            connection.pauseReading();
        }
    }

    void onWritable() {
        if (pausedForWrites) {
            pausedForWrites = false;
            if (!pausedForHandler) {
                connection.resumeReading();
            }
        }
        call(() -> handler.onWritable(this));
    }

    void onReadShutdown() {
        // The peer ended its stream without finishing the closing handshake (RFC 6455 §7.1.5: 1006).
        open = false;
        closeConnection();
    }

    void connectionClosed(Throwable cause) {
        open = false;
        closing.failed(); // no close frame can go out any more, whatever a handler asks for in onClose
        cancelTimers();
        if (inflater != null) {
            inflater.close();
        }
        if (deflater != null) {
            deflater.close();
        }
        if (!closeNotified) {
            if (cause != null) {
                notifyError(cause);
            }
            notifyClose(CloseCode.ABNORMAL, cause == null
                    ? "the connection closed without a closing handshake" : "the connection failed: " + cause);
        }
    }

    /**
     * Closes TCP gracefully (our queued frames, then FIN), and aborts if that has not finished within the close
     * timeout: a graceful close waits for the peer to take what is queued, and a peer that reads nothing would
     * otherwise hold the connection, and its place under maxConnections (the SPI: bound close() with a timer).
     */
    private void closeConnection() {
        connection.close();
        connection.schedule(config.closeTimeoutNanos(), TimeUnit.NANOSECONDS, connection::abort);
    }

    private void cancelTimers() {
        for (Cancellable timer : new Cancellable[] {closeTimer, idleTimer, pingTimer}) {
            if (timer != null) {
                timer.cancel();
            }
        }
    }

    /**
     * Runs when the session may have been quiet long enough to give back its buffers, or to be closed by the
     * idle timeout; reschedules itself for whichever comes next.
     */
    private void checkIdle() {
        if (!open) {
            return;
        }
        long idle = System.nanoTime() - lastReadNanos;
        if (config.idleTimeoutNanos() > 0 && idle >= config.idleTimeoutNanos()) {
            LOG.log(Level.DEBUG, () -> "closing idle session from " + remoteAddress());
            closeNow(CloseCode.GOING_AWAY, "idle timeout");
            return;
        }
        if (idle >= RELEASE_AFTER_NANOS && !buffersReleased) {
            decoder.releaseBuffers(); // the inflater's too; nothing while a message is in progress
            if (deflater != null && streamingOpcode < 0) {
                deflater.releaseIdle();
            }
            if (inflightHead == inflightTail) {
                inflight = NO_FRAMES;
                inflightCallbacks = NO_CALLBACKS;
            }
            buffersReleased = true;
        }
        idleTimer = connection.schedule(nextIdleCheck(idle), TimeUnit.NANOSECONDS, this::checkIdle);
    }

    /** Nanoseconds until the next idle check, for a session quiet for {@code idle} nanoseconds. */
    private long nextIdleCheck(long idle) {
        long untilRelease = buffersReleased || idle >= RELEASE_AFTER_NANOS ? Long.MAX_VALUE : RELEASE_AFTER_NANOS - idle;
        long untilTimeout = config.idleTimeoutNanos() > 0 ? config.idleTimeoutNanos() - idle : Long.MAX_VALUE;
        long next = Math.min(untilRelease, untilTimeout);
        // Neither due: look again after a release period, to notice the next quiet spell.
        return next == Long.MAX_VALUE ? RELEASE_AFTER_NANOS : Math.max(next, TimeUnit.MILLISECONDS.toNanos(10));
    }

    private void keepAlive() {
        if (open) {
            controlFrame(Opcode.PING, ByteBuffer.allocate(0));
            pingTimer = connection.schedule(config.pingIntervalNanos(), TimeUnit.NANOSECONDS, this::keepAlive);
        }
    }

    // ---- MessageHandler: what the decoder found ----

    @Override
    public void onMessageData(int opcode, ByteBuffer data, boolean last) {
        if (handlerThread != null) {
            ByteBuffer copy = copyOf(data);
            holdForHandler(copy.remaining());
            callThenRelease(copy.remaining(), () -> deliver(opcode, copy, last));
        } else {
            deliver(opcode, data, last);
        }
    }

    /** Hands a data message (or piece) to the handler. No lambda here: this runs for every message. */
    private void deliver(int opcode, ByteBuffer data, boolean last) {
        try {
            if (delivery == MessageDelivery.WHOLE) {
                if (opcode == Opcode.TEXT) {
                    handler.onText(this, TextCodec.decode(data));
                } else {
                    handler.onBinary(this, data);
                }
            } else if (opcode == Opcode.TEXT) {
                handler.onTextFragment(this, data, last);
            } else {
                handler.onBinaryFragment(this, data, last);
            }
        } catch (RuntimeException | Error e) {
            handlerFailed(e);
        }
    }

    @Override
    public void onPing(ByteBuffer data) {
        if (closing.maySendData()) {
            controlFrame(Opcode.PONG, data.duplicate()); // RFC 6455 §5.5.2: the pong echoes the ping's data
        }
        ByteBuffer copy = copyOf(data);
        call(() -> handler.onPing(this, copy));
    }

    @Override
    public void onPong(ByteBuffer data) {
        ByteBuffer copy = copyOf(data);
        call(() -> handler.onPong(this, copy));
    }

    @Override
    public void onClose(int code, String reason) {
        open = false;
        int reply = closing.closeReceived(code);
        if (reply >= 0) {
            // The peer closed first: echo its code (RFC 6455 §5.5.1), then close TCP (§7.1.1).
            writeCloseFrame(reply, "");
            closing.closeSent();
            closeConnection();
            notifyClose(code, reason);
        } else {
            // Our close is answered: the handshake is complete.
            if (closeTimer != null) {
                closeTimer.cancel();
            }
            closeConnection();
            notifyClose(sentCloseCode, sentCloseReason);
        }
    }

    @Override
    public void onProtocolError(int closeCode, String reason) {
        LOG.log(Level.INFO, () -> "failing the WebSocket connection from " + remoteAddress() + " with " + closeCode
                + " (" + CloseCode.name(closeCode) + "): " + reason);
        open = false;
        if (closing.failed()) {
            writeCloseFrame(closeCode, CloseCode.name(closeCode));
        }
        closeConnection();
        notifyError(new java.net.ProtocolException(reason));
        notifyClose(closeCode, reason);
    }

    // ---- handler calls ----

    /** Runs a handler call where handlers run, guarded. */
    private void call(Runnable call) {
        if (handlerThread != null) {
            handlerThread.execute(() -> guard(call));
        } else {
            guard(call);
        }
    }

    private void callThenRelease(long bytes, Runnable call) {
        handlerThread.execute(() -> {
            try {
                call.run();
            } finally {
                // Released on the connection thread, behind the sends the call made: until those are queued for the
                // network (and so count against writability), the data still counts as held for the handler.
                connection.executor().execute(() -> release(bytes));
            }
        });
    }

    private void release(long bytes) {
        if (pendingHandlerBytes.addAndGet(-bytes) == 0) {
            handlerCaughtUp();
        }
    }

    private void holdForHandler(long bytes) {
        if (pendingHandlerBytes.addAndGet(bytes) > config.maxPendingHandlerBytes() && !pausedForHandler) {
            pausedForHandler = true;
            connection.pauseReading();
        }
    }

    private void handlerCaughtUp() {
        if (pausedForHandler && pendingHandlerBytes.get() == 0) {
            pausedForHandler = false;
            if (!pausedForWrites) {
                connection.resumeReading();
            }
        }
    }

    /** Runs a handler method; a throw closes the session with 1011 (RFC 6455 §7.4.1: internal error). */
    private void guard(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | Error e) {
            handlerFailed(e);
        }
    }

    private void handlerFailed(Throwable e) {
        LOG.log(Level.WARNING, "the handler for " + path + " failed for the session from "
                + remoteAddress() + "; the session is closed with 1011", e);
        try {
            handler.onError(this, e);
        } catch (RuntimeException | Error ignored) {
            // Already reporting a failure of this handler.
        }
        close(CloseCode.INTERNAL_ERROR, "internal error");
    }

    private void notifyError(Throwable error) {
        call(() -> handler.onError(this, error));
    }

    private void notifyClose(int code, String reason) {
        if (closeNotified) {
            return;
        }
        closeNotified = true;
        call(() -> handler.onClose(this, code, reason));
    }

    // ---- sending, on the connection thread ----

    /** Whether a data frame may go out now; otherwise fails {@code callback}, after this call returns. */
    private boolean admitData(SendCallback callback) {
        if (closing.maySendData() && open) {
            return true;
        }
        failLater(callback, new ClosedChannelException());
        return false;
    }

    private void failLater(SendCallback callback, Throwable cause) {
        if (callback != SendCallback.NONE) {
            connection.executor().execute(() -> callback.failed(this, cause));
        }
    }

    private void sendTextNow(CharSequence text, SendCallback callback) {
        if (!admitData(callback) || !notStreaming(callback)) {
            return;
        }
        if (text.length() > TextCodec.CACHED) {
            sendLongText(text, callback);
            return;
        }
        ByteBuffer utf8 = TextCodec.encode(text);
        int length = utf8.remaining();
        if (deflater == null && length <= config.fragmentSize()) {
            // The common case: one frame.
            ByteBuffer frame = BufferPool.acquire(FRAMES.headerLength(length) + length);
            FRAMES.writeHeader(frame, true, 0, Opcode.TEXT, length);
            frame.put(utf8);
            write(frame.flip(), callback);
            return;
        }
        message(Opcode.TEXT, utf8, callback);
    }

    /**
     * A text longer than the per-thread scratch, encoded and sent piece by piece (frames of one message, or one
     * compressed message), so that no array as large as the message is made for it.
     */
    private void sendLongText(CharSequence text, SendCallback callback) {
        int length = text.length();
        if (deflater != null) {
            deflatedFrames.begin(Opcode.TEXT, null);
        }
        int opcode = Opcode.TEXT;
        for (int start = 0; start < length; ) {
            int end = TextCodec.pieceEnd(text, start);
            boolean last = end == length;
            ByteBuffer utf8 = TextCodec.encode(text, start, end);
            if (deflater != null) {
                deflater.feed(utf8, deflatedFrames);
            } else {
                fragments(opcode, utf8, last, last ? callback : null);
                opcode = Opcode.CONTINUATION;
            }
            start = end;
        }
        if (deflater != null) {
            deflatedFrames.callback = callback;
            deflater.end(deflatedFrames);
        }
    }

    private void sendBinaryNow(ByteBuffer data, SendCallback callback) {
        if (!admitData(callback) || !notStreaming(callback)) {
            data.position(data.limit());
            return;
        }
        message(Opcode.BINARY, data, callback);
    }

    private boolean notStreaming(SendCallback callback) {
        if (streamingOpcode < 0) {
            return true;
        }
        failLater(callback, new IllegalStateException(
                "a streamed message is still being sent; end it (last = true) before sending another message"));
        return false;
    }

    private void sendFragmentNow(int opcode, ByteBuffer data, boolean last, SendCallback callback) {
        if (!admitData(callback)) {
            data.position(data.limit());
            return;
        }
        if (streamingOpcode >= 0 && streamingOpcode != opcode) {
            data.position(data.limit());
            failLater(callback, new IllegalStateException("a " + Opcode.name(streamingOpcode)
                    + " message is being streamed; it must end before a " + Opcode.name(opcode) + " one starts"));
            return;
        }
        boolean first = streamingOpcode < 0;
        streamingOpcode = last ? -1 : opcode;
        if (deflater != null) {
            if (first) {
                deflatedFrames.begin(opcode, null);
            }
            int writesBefore = inflightTail;
            deflater.feed(data, deflatedFrames);
            if (last) {
                deflatedFrames.callback = callback;
                deflater.end(deflatedFrames);
            } else {
                attachToLastWrite(writesBefore, callback);
            }
            return;
        }
        fragments(first ? opcode : Opcode.CONTINUATION, data, last, callback);
    }

    /** The callback of a piece that produced frames completes with the last of them; one that produced none, now. */
    private void attachToLastWrite(int writesBefore, SendCallback callback) {
        if (callback == SendCallback.NONE) {
            return;
        }
        if (inflightTail != writesBefore && inflightCallbacks[inflightTail - 1] == null) {
            inflightCallbacks[inflightTail - 1] = callback;
        } else {
            connection.executor().execute(() -> callback.completed(this));
        }
    }

    /** A whole data message: compressed when deflate was agreed, else in frames of at most fragmentSize. */
    private void message(int opcode, ByteBuffer data, SendCallback callback) {
        if (deflater != null) {
            deflatedFrames.begin(opcode, callback);
            deflater.feed(data, deflatedFrames);
            deflater.end(deflatedFrames);
            return;
        }
        fragments(opcode, data, true, callback);
    }

    /** Sends {@code data} as frames of at most fragmentSize; the first with {@code opcode}, the last with fin = {@code last}. */
    private void fragments(int opcode, ByteBuffer data, boolean last, SendCallback callback) {
        int limit = data.limit();
        int fragmentSize = config.fragmentSize();
        do {
            int chunk = Math.min(limit - data.position(), fragmentSize);
            boolean end = data.position() + chunk == limit;
            data.limit(data.position() + chunk);
            frame(opcode, last && end, 0, data, end ? callback : null);
            data.limit(limit);
            opcode = Opcode.CONTINUATION;
        } while (data.hasRemaining());
    }

    /** One frame, header and payload in one buffer. */
    private void frame(int opcode, boolean fin, int rsv, ByteBuffer payload, SendCallback callback) {
        int length = payload.remaining();
        ByteBuffer frame = BufferPool.acquire(FRAMES.headerLength(length) + length);
        FRAMES.writeHeader(frame, fin, rsv, opcode, length);
        frame.put(payload);
        write(frame.flip(), callback);
    }

    private void controlFrame(int opcode, ByteBuffer payload) {
        frame(opcode, true, 0, payload, null);
    }

    private void writeCloseFrame(int code, String reason) {
        ByteBuffer payload = ByteBuffer.allocate(125);
        FrameEncoder.writeClosePayload(payload, code, reason);
        frame(Opcode.CLOSE, true, 0, payload.flip(), null);
    }

    private void closeNow(int code, String reason) {
        if (!closing.maySendClose() || closing.state() != CloseHandshake.State.OPEN) {
            return; // already closing
        }
        open = false;
        closing.closeSent();
        sentCloseCode = code;
        sentCloseReason = reason;
        writeCloseFrame(code, reason);
        closeTimer = connection.schedule(config.closeTimeoutNanos(), TimeUnit.NANOSECONDS, () -> {
            LOG.log(Level.INFO, () -> "the session from " + remoteAddress() + " did not answer its close frame within "
                    + TimeUnit.NANOSECONDS.toMillis(config.closeTimeoutNanos()) + " ms; closing the connection");
            closeConnection();
            notifyClose(sentCloseCode, sentCloseReason);
        });
    }

    private void write(ByteBuffer frame, SendCallback callback) {
        if (inflightTail == inflight.length) {
            growInflight();
        }
        inflight[inflightTail] = frame;
        inflightCallbacks[inflightTail++] = callback;
        connection.write(frame, this);
        pauseIfUnwritable();
    }

    private void growInflight() {
        int live = inflightTail - inflightHead;
        if (inflightHead > 0 && live < inflight.length / 2) {
            System.arraycopy(inflight, inflightHead, inflight, 0, live);
            System.arraycopy(inflightCallbacks, inflightHead, inflightCallbacks, 0, live);
            java.util.Arrays.fill(inflight, live, inflightTail, null);
            java.util.Arrays.fill(inflightCallbacks, live, inflightTail, null);
        } else {
            int capacity = Math.max(4, inflight.length * 2);
            ByteBuffer[] buffers = new ByteBuffer[capacity];
            SendCallback[] callbacks = new SendCallback[capacity];
            System.arraycopy(inflight, inflightHead, buffers, 0, live);
            System.arraycopy(inflightCallbacks, inflightHead, callbacks, 0, live);
            inflight = buffers;
            inflightCallbacks = callbacks;
        }
        inflightHead = 0;
        inflightTail = live;
    }

    /** Completion of the oldest write in flight. */
    @Override
    public void completed(Connection connection) {
        SendCallback callback = retireOldest();
        if (callback != null && callback != SendCallback.NONE) {
            callback.completed(this);
        }
    }

    @Override
    public void failed(Connection connection, Throwable cause) {
        SendCallback callback = retireOldest();
        if (callback != null && callback != SendCallback.NONE) {
            callback.failed(this, cause);
        }
    }

    private SendCallback retireOldest() {
        ByteBuffer frame = inflight[inflightHead];
        SendCallback callback = inflightCallbacks[inflightHead];
        inflight[inflightHead] = null;
        inflightCallbacks[inflightHead++] = null;
        if (inflightHead == inflightTail) {
            inflightHead = 0;
            inflightTail = 0;
        }
        BufferPool.release(frame);
        return callback;
    }

    /** Frames out of the deflater: the first with the message's opcode and RSV1, then continuations. */
    private final class DeflatedFrames implements OutboundTransform.Output {
        private int opcode;
        private boolean first;
        SendCallback callback;

        void begin(int opcode, SendCallback callback) {
            this.opcode = opcode;
            this.first = true;
            this.callback = callback;
        }

        @Override
        public void onData(ByteBuffer payload, boolean last) {
            frame(first ? opcode : Opcode.CONTINUATION, last, first ? deflateRsv : 0, payload, last ? callback : null);
            first = false;
        }
    }

    // ---- Session: any thread ----

    private boolean onConnectionThread() {
        return connection.inConnectionThread();
    }

    @Override
    public void sendText(CharSequence text, SendCallback callback) {
        if (onConnectionThread()) {
            sendTextNow(text, callback);
        } else {
            String copy = text.toString();
            connection.executor().execute(() -> sendTextNow(copy, callback));
        }
    }

    @Override
    public void sendBinary(ByteBuffer data, SendCallback callback) {
        if (onConnectionThread()) {
            sendBinaryNow(data, callback);
        } else {
            ByteBuffer copy = copyOf(data);
            connection.executor().execute(() -> sendBinaryNow(copy, callback));
        }
    }

    @Override
    public void sendTextFragment(ByteBuffer utf8, boolean last, SendCallback callback) {
        sendFragment(Opcode.TEXT, utf8, last, callback);
    }

    @Override
    public void sendBinaryFragment(ByteBuffer data, boolean last, SendCallback callback) {
        sendFragment(Opcode.BINARY, data, last, callback);
    }

    private void sendFragment(int opcode, ByteBuffer data, boolean last, SendCallback callback) {
        if (onConnectionThread()) {
            sendFragmentNow(opcode, data, last, callback);
        } else {
            ByteBuffer copy = copyOf(data);
            connection.executor().execute(() -> sendFragmentNow(opcode, copy, last, callback));
        }
    }

    @Override
    public void sendPing(ByteBuffer data) {
        sendControl(Opcode.PING, data);
    }

    @Override
    public void sendPong(ByteBuffer data) {
        sendControl(Opcode.PONG, data);
    }

    private void sendControl(int opcode, ByteBuffer data) {
        if (data.remaining() > 125) {
            throw new IllegalArgumentException(Opcode.name(opcode) + " data of " + data.remaining()
                    + " bytes exceeds the 125 a control frame may carry (RFC 6455 §5.5)");
        }
        ByteBuffer copy = copyOf(data);
        Runnable send = () -> {
            if (closing.maySendData() && open) {
                controlFrame(opcode, copy);
            }
        };
        if (onConnectionThread()) {
            send.run();
        } else {
            connection.executor().execute(send);
        }
    }

    @Override
    public void close(int code, String reason) {
        if (!CloseCode.isSendable(code)) {
            throw new IllegalArgumentException("close code " + code + " (" + CloseCode.name(code)
                    + ") may not be sent; use 1000-1003, 1007-1014 or 3000-4999 (RFC 6455 §7.4)");
        }
        String text = reason == null ? "" : reason;
        if (text.getBytes(StandardCharsets.UTF_8).length > FrameEncoder.MAX_CLOSE_REASON_BYTES) {
            throw new IllegalArgumentException("close reason of " + text.getBytes(StandardCharsets.UTF_8).length
                    + " UTF-8 bytes exceeds the " + FrameEncoder.MAX_CLOSE_REASON_BYTES + " a close frame holds");
        }
        if (onConnectionThread()) {
            closeNow(code, text);
        } else {
            connection.executor().execute(() -> closeNow(code, text));
        }
    }

    private static ByteBuffer copyOf(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        return copy;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isWritable() {
        return connection.isWritable();
    }

    @Override
    public long queuedBytes() {
        return connection.queuedBytes();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String query() {
        return query;
    }

    @Override
    public HandshakeRequest request() {
        HandshakeRequest kept = request;
        if (kept == null) {
            throw new IllegalStateException("the handshake request of " + this + " was given up when onOpen returned;"
                    + " read it in onOpen or in the HandshakeInterceptor (passing what you need on as session"
                    + " attributes), or build the server with retainHandshakeRequest(true)");
        }
        return kept;
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    @Override
    public List<String> extensions() {
        return extensions;
    }

    @Override
    public SocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public SocketAddress localAddress() {
        return connection.localAddress();
    }

    @Override
    public boolean isSecure() {
        return config.secure();
    }

    @Override
    public Object attribute(String name) {
        Map<String, Object> map = attributes;
        return map == null ? null : map.get(name);
    }

    @Override
    public void attribute(String name, Object value) {
        Map<String, Object> map = attributes;
        if (value == null) {
            if (map != null) {
                map.remove(name);
            }
            return;
        }
        if (map == null) {
            synchronized (this) { // any thread may set attributes: one map, made once
                map = attributes;
                if (map == null) {
                    attributes = map = new ConcurrentHashMap<>();
                }
            }
        }
        map.put(name, value);
    }

    @Override
    public String toString() {
        return "Session[" + path + " from " + remoteAddress() + "]";
    }
}
