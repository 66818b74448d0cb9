package dev.websock.conformance.client;

import dev.websock.conformance.deflate.DeflateOffer;
import dev.websock.conformance.deflate.DeflateParameters;
import dev.websock.conformance.deflate.InflateException;
import dev.websock.conformance.deflate.MessageDeflater;
import dev.websock.conformance.deflate.WindowCheckingInflater;
import dev.websock.conformance.wire.Bytes;
import dev.websock.conformance.wire.Frame;
import dev.websock.conformance.wire.FrameReader;
import dev.websock.conformance.wire.FrameWriter;
import dev.websock.conformance.wire.MalformedFrameException;
import dev.websock.conformance.wire.Opcode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.net.SocketFactory;

/**
 * One client connection to the server under test: the opening handshake, a writer that can send any octets
 * (rule-breaking frames, chopped writes), and a reading thread that parses the server's frames, checks them
 * against the rules a client must check, reassembles and inflates messages, answers pings and close frames, and
 * records what it saw for the case to compare.
 *
 * <p>Thread-safety: writes come from the case's thread and from the reading thread (pong and close replies), so
 * they are serialised on a lock; the observed state is guarded by {@code this} and waited on with
 * {@link #await}.
 */
public final class Connection implements AutoCloseable {

    /** The largest frame or message the runner accepts from a server: above the 16 MiB of case 9. */
    public static final int MAX_MESSAGE = 64 << 20;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final WireLog log;
    private final FrameWriter writer = new FrameWriter(new SecureRandom());
    private final FrameReader reader = new FrameReader(MAX_MESSAGE);
    private final DeflateParameters deflate;
    private final MessageDeflater deflater;
    private final WindowCheckingInflater inflater;
    private final Object writeLock = new Object();
    private final Thread readerThread;

    // Guarded by this.
    private final List<Observation> observed = new ArrayList<>();
    private final ArrayDeque<Observation> pending = new ArrayDeque<>();
    private boolean retainObservations = true;
    private final ClosingState closing = new ClosingState();
    private String violation;
    private boolean writeFailed;

    // Reading thread only: the message being reassembled (RFC 6455 §5.4).
    private int messageOpcode = -1;
    private boolean messageCompressed;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();

    private Connection(Socket socket, byte[] leftover, WireLog log, DeflateParameters deflate) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.log = log;
        this.deflate = deflate;
        this.deflater = deflate == null ? null : new MessageDeflater(deflate);
        this.inflater = deflate == null ? null : new WindowCheckingInflater(deflate, MAX_MESSAGE);
        this.readerThread = Thread.ofPlatform().daemon().name("conformance-reader").unstarted(() -> readLoop(leftover));
        readerThread.start();
    }

    /**
     * Connects, performs the opening handshake and starts reading.
     *
     * @throws HandshakeException when the server's response breaks RFC 6455 §4.1 or RFC 7692 §7.1
     * @throws IOException        when the connection fails or times out
     */
    public static Connection open(Target target, SocketFactory sockets, List<DeflateOffer> offers, WireLog log,
                                  int timeoutMillis) throws IOException {
        Socket socket = sockets.createSocket();
        try {
            socket.setTcpNoDelay(true); // a chopped write must leave as its own segment
            socket.connect(new InetSocketAddress(target.host(), target.port()), timeoutMillis);
            socket.setSoTimeout(timeoutMillis); // bounds the TLS and the opening handshakes
            if (socket instanceof javax.net.ssl.SSLSocket ssl) {
                ssl.startHandshake();
            }
            Handshake handshake = Handshake.request(target, offers, new SecureRandom());
            socket.getOutputStream().write(handshake.request().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            log.tx("HTTP " + firstLine(handshake.request()) + (offers.isEmpty() ? ""
                    : " | Sec-WebSocket-Extensions: " + String.join(", ", offers.stream().map(DeflateOffer::headerElement).toList())));
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            int end;
            while ((end = headEnd(head)) < 0) {
                int n = socket.getInputStream().read(buf);
                if (n < 0) {
                    throw new HandshakeException("server closed the connection during the opening handshake");
                }
                head.write(buf, 0, n);
                if (head.size() > 65536) {
                    throw new HandshakeException("response headers exceed 64 KiB");
                }
            }
            byte[] all = head.toByteArray();
            String text = new String(all, 0, end, StandardCharsets.ISO_8859_1);
            String extensions = text.lines().filter(l -> l.regionMatches(true, 0, "Sec-WebSocket-Extensions", 0, 24))
                    .findFirst().map(l -> " | " + l).orElse("");
            log.rx("HTTP " + firstLine(text) + extensions);
            DeflateParameters deflate = handshake.checkResponse(text);
            socket.setSoTimeout(0);
            byte[] leftover = java.util.Arrays.copyOfRange(all, end + 4, all.length);
            return new Connection(socket, leftover, log, deflate);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static String firstLine(String s) {
        int i = s.indexOf("\r\n");
        return i < 0 ? s : s.substring(0, i);
    }

    private static int headEnd(ByteArrayOutputStream head) {
        byte[] b = head.toByteArray();
        for (int i = 0; i + 3 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The permessage-deflate parameters the server agreed to, or {@code null}. */
    public DeflateParameters deflate() {
        return deflate;
    }

    public WireLog log() {
        return log;
    }

    // ---- writing -------------------------------------------------------------------------------------------

    /** Sends frames back to back in one write. */
    public void send(Frame... frames) {
        sendChopped(0, 0, frames);
    }

    /**
     * Sends frames; {@code chop} 0 writes them all at once, otherwise in writes of {@code chop} octets, with
     * {@code gapMillis} between writes. With TCP_NODELAY each write leaves as its own segment (or TLS record), so
     * the server sees a frame arrive in pieces.
     */
    public void sendChopped(int chop, int gapMillis, Frame... frames) {
        List<byte[]> encoded = new ArrayList<>();
        for (Frame f : frames) {
            noteSent(f);
            encoded.add(writer.encode(f));
        }
        byte[] octets = Bytes.concat(encoded.toArray(byte[][]::new));
        String what = frames[0].toString();
        if (frames.length > 1) {
            // One line per frame, then the write they went out in.
            for (Frame f : frames) {
                log.tx(f.toString());
            }
            what = "the " + frames.length + " frames above, " + octets.length + " octets";
        }
        writeOctets(octets, chop, gapMillis, what);
    }

    /** Sends each frame in its own write ("frame-wise chops"). */
    public void sendFrameWise(int gapMillis, Frame... frames) {
        for (Frame f : frames) {
            sendChopped(0, 0, f);
            pause(gapMillis);
        }
    }

    /** Writes raw octets, e.g. one frame split across writes at a chosen point. */
    public void writeRaw(byte[] octets, String what) {
        writeOctets(octets, 0, 0, what);
    }

    /** The octets of a frame as the runner would send it (masked with a fresh key). */
    public byte[] encode(Frame frame) {
        noteSent(frame);
        return writer.encode(frame);
    }

    private void writeOctets(byte[] octets, int chop, int gapMillis, String what) {
        synchronized (writeLock) {
            synchronized (this) {
                if (writeFailed || closing.runnerDroppedTcp) {
                    log.note("not sent (connection already closed): " + what);
                    return;
                }
            }
            try {
                if (chop <= 0 || chop >= octets.length) {
                    log.tx(what.startsWith("the ") ? "(" + what + ", in one write)" : what);
                    out.write(octets);
                    out.flush();
                } else {
                    log.tx((what.startsWith("the ") ? "(" + what + ")" : what) + " in " + ((octets.length + chop - 1) / chop)
                            + " chops of " + chop + " octets"
                            + (gapMillis > 0 ? ", " + gapMillis + " ms apart" : ""));
                    for (int at = 0; at < octets.length; at += chop) {
                        out.write(octets, at, Math.min(chop, octets.length - at));
                        out.flush();
                        pause(gapMillis);
                    }
                }
            } catch (IOException e) {
                synchronized (this) {
                    writeFailed = true;
                }
                log.note("write failed: " + e.getMessage());
            }
        }
    }

    private void noteSent(Frame f) {
        // A close frame with reserved bits set (case 3.7) is a protocol violation, not the start of a closing
        // handshake: the server must fail the connection, as for any frame with unexpected RSV bits (§5.2).
        if (f.opcode() == Opcode.CLOSE && f.rsv() == 0) {
            synchronized (this) {
                if (!closing.runnerSentClose) {
                    closing.runnerSentClose = true;
                    closing.runnerClosedFirst = !closing.serverSentClose;
                    closing.runnerCloseCode = f.payload().length >= 2
                            ? ((f.payload()[0] & 0xff) << 8) | (f.payload()[1] & 0xff) : null;
                }
                notifyAll();
            }
        }
    }

    /** Sends a message, compressed when permessage-deflate was agreed and {@code compress} asks for it. */
    public void sendMessage(boolean binary, byte[] payload, boolean compress, int fragmentSize) {
        byte[] body = payload;
        int rsv = 0;
        if (compress && deflater != null) {
            body = deflater.compress(payload);
            rsv = Frame.RSV1; // RFC 7692 §6: RSV1 on the first frame marks a compressed message
        }
        int opcode = binary ? Opcode.BINARY : Opcode.TEXT;
        if (fragmentSize <= 0 || body.length <= fragmentSize) {
            send(new Frame(true, rsv, opcode, true, body));
            return;
        }
        List<Frame> frames = new ArrayList<>();
        for (int at = 0; at < body.length; at += fragmentSize) {
            byte[] part = java.util.Arrays.copyOfRange(body, at, Math.min(body.length, at + fragmentSize));
            boolean first = at == 0;
            boolean last = at + fragmentSize >= body.length;
            frames.add(new Frame(last, first ? rsv : 0, first ? opcode : Opcode.CONTINUATION, true, part));
        }
        send(frames.toArray(Frame[]::new));
    }

    /** Sends a close frame with a code and reason; {@code code} null sends an empty close frame. */
    public void sendClose(Integer code, String reason) {
        byte[] payload = code == null ? new byte[0]
                : Bytes.concat(new byte[] {(byte) (code >> 8), (byte) (int) code}, Bytes.utf8(reason));
        send(Frame.of(Opcode.CLOSE, payload));
    }

    static void pause(int millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- reading -------------------------------------------------------------------------------------------

    private void readLoop(byte[] leftover) {
        byte[] buf = new byte[65536];
        try {
            if (leftover.length > 0) {
                consume(leftover, leftover.length);
            }
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    tcpClosed("server closed the TCP connection");
                    return;
                }
                consume(buf, n);
            }
        } catch (IOException e) {
            tcpClosed("connection error: " + e.getMessage());
        }
    }

    private void consume(byte[] buf, int n) {
        List<Frame> frames;
        try {
            frames = reader.feed(buf, 0, n);
        } catch (MalformedFrameException e) {
            fail(1002, "malformed frame from the server: " + e.getMessage());
            return;
        }
        for (Frame f : frames) {
            log.rx(f.toString());
            handle(f);
        }
    }

    private void tcpClosed(String how) {
        synchronized (this) {
            if (!closing.tcpClosed) {
                closing.tcpClosed = true;
                closing.serverClosedTcp = !closing.runnerDroppedTcp;
                if (closing.serverClosedTcp) {
                    log.note(how);
                }
            }
            notifyAll();
        }
    }

    private void handle(Frame f) {
        synchronized (this) {
            if (violation != null) {
                return; // §7.1.7: after failing, the client discards what follows
            }
            if (closing.serverSentClose) {
                if (f.opcode() == Opcode.CLOSE) {
                    // Not a MUST violation (§5.5.1 forbids data frames after a close frame), but no part of the
                    // closing handshake either: reported in the closing behaviour, otherwise ignored.
                    closing.serverSentSecondClose = true;
                    log.note("ignored: a second close frame from the server");
                } else {
                    fail(1002, "server sent a " + Opcode.name(f.opcode()) + " frame after its close frame (RFC 6455 §5.5.1)");
                }
                return;
            }
        }
        if (f.masked()) {
            fail(1002, "server masked a frame (RFC 6455 §5.1: a client MUST close a connection on a masked frame)");
            return;
        }
        boolean rsv1Allowed = deflate != null && (f.opcode() == Opcode.TEXT || f.opcode() == Opcode.BINARY);
        if (f.rsv() != 0 && !(f.rsv() == Frame.RSV1 && rsv1Allowed)) {
            fail(1002, "server set reserved bits " + f.rsv() + " that no negotiated extension defines (RFC 6455 §5.2"
                    + (deflate != null ? ", RFC 7692 §6: RSV1 only on a message's first frame" : "") + ")");
            return;
        }
        if (Opcode.isReserved(f.opcode())) {
            fail(1002, "server sent reserved opcode " + f.opcode() + " (RFC 6455 §5.2)");
            return;
        }
        if (Opcode.isControl(f.opcode())) {
            if (!f.fin() || f.payload().length > 125) {
                fail(1002, "server sent a fragmented or over-long control frame (RFC 6455 §5.5)");
                return;
            }
            switch (f.opcode()) {
                case Opcode.PING -> {
                    observe(new Observation.Ping(f.payload()));
                    boolean answer;
                    synchronized (this) {
                        answer = !closing.runnerSentClose;
                    }
                    if (answer) {
                        send(Frame.of(Opcode.PONG, f.payload())); // §5.5.2
                    }
                }
                case Opcode.PONG -> observe(new Observation.Pong(f.payload()));
                default -> serverClose(f.payload());
            }
            return;
        }
        if (f.opcode() == Opcode.CONTINUATION) {
            if (messageOpcode < 0) {
                fail(1002, "server sent a continuation frame with no message to continue (RFC 6455 §5.4)");
                return;
            }
        } else {
            if (messageOpcode >= 0) {
                fail(1002, "server started a new message inside a fragmented one (RFC 6455 §5.4)");
                return;
            }
            messageOpcode = f.opcode();
            messageCompressed = f.rsv() == Frame.RSV1;
            message.reset();
        }
        if (message.size() + (long) f.payload().length > MAX_MESSAGE) {
            fail(1009, "server message exceeds the runner's limit of " + MAX_MESSAGE + " bytes");
            return;
        }
        message.writeBytes(f.payload());
        if (!f.fin()) {
            return;
        }
        byte[] payload = message.toByteArray();
        boolean binary = messageOpcode == Opcode.BINARY;
        messageOpcode = -1;
        message.reset();
        if (messageCompressed) {
            try {
                payload = inflater.inflate(payload);
            } catch (InflateException e) {
                fail(1002, "server's compressed message: " + e.getMessage());
                return;
            }
        }
        if (!binary && !validUtf8(payload)) {
            fail(1007, "server sent a text message that is not valid UTF-8 (RFC 6455 §8.1)");
            return;
        }
        observe(new Observation.Message(binary, payload));
    }

    private void serverClose(byte[] payload) {
        Integer code = null;
        String reason = "";
        String problem = null;
        if (payload.length == 1) {
            problem = "a close frame with a 1-byte payload (RFC 6455 §5.5.1)";
        } else if (payload.length >= 2) {
            code = ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
            byte[] reasonBytes = java.util.Arrays.copyOfRange(payload, 2, payload.length);
            if (!CloseCodes.sendable(code)) {
                problem = "close code " + code + ", which must not be sent (RFC 6455 §7.4)";
            } else if (!validUtf8(reasonBytes)) {
                problem = "a close reason that is not valid UTF-8 (RFC 6455 §5.5.1)";
            } else {
                reason = new String(reasonBytes, StandardCharsets.UTF_8);
            }
        }
        boolean reply;
        synchronized (this) {
            closing.serverSentClose = true;
            closing.serverCloseCode = code;
            closing.serverCloseReason = reason;
            reply = !closing.runnerSentClose;
            notifyAll();
        }
        if (problem != null) {
            fail(1002, "server sent " + problem);
            return;
        }
        if (reply) {
            // §5.5.1: "the endpoint typically echos the status code it received".
            sendClose(code, "");
        }
    }

    /** Records a marker the case made (it is compared like anything the server sent). */
    public void observeMarker(Observation.Marker marker) {
        log.note("marker: " + marker.describe());
        observe(marker);
    }

    private void observe(Observation o) {
        synchronized (this) {
            if (retainObservations) {
                observed.add(o);
            }
            pending.add(o);
            notifyAll();
        }
    }

    /**
     * The client fails the connection (RFC 6455 §7.1.7): it records why, sends a close frame with {@code code}
     * unless it already sent one, and drops the TCP connection.
     */
    void fail(int code, String why) {
        boolean sendClose;
        synchronized (this) {
            if (violation != null) {
                return;
            }
            violation = why;
            sendClose = !closing.runnerSentClose;
            notifyAll();
        }
        log.note("runner fails the connection: " + why);
        if (sendClose) {
            sendClose(code, "");
        }
        drop();
    }

    static boolean validUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    // ---- state for the case --------------------------------------------------------------------------------

    /** Waits until {@code condition} holds or the deadline ({@link System#nanoTime()}) passes; returns whether it held. */
    public boolean await(BooleanSupplier condition, long deadlineNanos) {
        synchronized (this) {
            while (!condition.getAsBoolean()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    wait(Math.max(1, left / 1_000_000), 0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** The next observation not yet taken, or {@code null} when none arrives before the deadline or the connection ends. */
    public Observation take(long deadlineNanos) {
        synchronized (this) {
            await(() -> !pending.isEmpty() || closing.tcpClosed || violation != null, deadlineNanos);
            return pending.poll();
        }
    }

    /** Whether observations are kept for the final comparison; bulk cases turn it off and compare as they go. */
    public synchronized void retainObservations(boolean retain) {
        this.retainObservations = retain;
    }

    /** For {@link #await} conditions, which run holding the lock. */
    public List<Observation> observedUnlocked() {
        return observed;
    }

    /** For {@link #await} conditions, which run holding the lock. */
    public boolean tcpClosedUnlocked() {
        return closing.tcpClosed;
    }

    public synchronized List<Observation> observed() {
        return List.copyOf(observed);
    }

    /** Neither side has started the closing handshake, the TCP connection is up and nothing was violated. */
    public synchronized boolean isOpen() {
        return !closing.runnerSentClose && !closing.serverSentClose && !closing.tcpClosed && violation == null
                && !writeFailed;
    }

    public synchronized boolean serverSentClose() {
        return closing.serverSentClose;
    }

    public synchronized boolean runnerSentClose() {
        return closing.runnerSentClose;
    }

    public synchronized boolean tcpClosed() {
        return closing.tcpClosed;
    }

    /** The first rule the server broke, or {@code null}. */
    public synchronized String violation() {
        return violation;
    }

    public synchronized ClosingState closingState() {
        return closing.copy();
    }

    /** The runner closes the TCP connection itself (the server did not, in time). */
    public void drop() {
        synchronized (this) {
            if (!closing.tcpClosed) {
                closing.runnerDroppedTcp = true;
            }
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        drop();
        try {
            readerThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (deflater != null) {
            deflater.close();
        }
    }

    /** What happened while closing, as RFC 6455 §7.1 describes the closing handshake. */
    public static final class ClosingState {
        public boolean runnerSentClose;
        public boolean runnerClosedFirst;
        public Integer runnerCloseCode;
        public boolean serverSentClose;
        public Integer serverCloseCode;
        public String serverCloseReason;
        public boolean tcpClosed;
        public boolean serverClosedTcp;
        public boolean runnerDroppedTcp;
        public boolean serverSentSecondClose;

        ClosingState copy() {
            ClosingState c = new ClosingState();
            c.runnerSentClose = runnerSentClose;
            c.runnerClosedFirst = runnerClosedFirst;
            c.runnerCloseCode = runnerCloseCode;
            c.serverSentClose = serverSentClose;
            c.serverCloseCode = serverCloseCode;
            c.serverCloseReason = serverCloseReason;
            c.tcpClosed = tcpClosed;
            c.serverClosedTcp = serverClosedTcp;
            c.runnerDroppedTcp = runnerDroppedTcp;
            c.serverSentSecondClose = serverSentSecondClose;
            return c;
        }
    }
}
