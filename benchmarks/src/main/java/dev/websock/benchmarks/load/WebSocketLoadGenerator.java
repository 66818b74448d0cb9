package dev.websock.benchmarks.load;

import dev.websock.benchmarks.harness.LatencyHistogram;
import dev.websock.benchmarks.harness.LoadConnection;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.net.ssl.SSLContext;

/**
 * The WebSocket load generator: one thread, one selector, {@code connections} WebSocket client connections, each
 * keeping {@code depth} messages in flight (closed loop: an echoed message is replaced by the next at once). After
 * a warm-up it measures for a fixed time, then stops issuing, waits for every message still in flight, and closes
 * every connection with a closing handshake (RFC 6455 §7.1.2).
 *
 * <p>The frames sent are built before the cell starts ({@link Messages}), so that sending is a write of a slice of a
 * ring. Every echo is checked: its frames are parsed (the server may fragment a message, or compress it when
 * permessage-deflate is on, in which case it is inflated), and its payload must be byte for byte the payload sent,
 * in order, so a server that loses, corrupts or reorders data fails the run with {@link EchoFailure}.
 *
 * <p>Latency is the time from issuing a message (before its first byte is written) until the last byte of its echo
 * is read, recorded without allocation in a {@link LatencyHistogram}. In the steady state nothing here allocates,
 * so the load generator's garbage collector does not show in the servers' tails.
 */
final class WebSocketLoadGenerator {
    private static final int READ_BUFFER = 256 * 1024;
    /** A masked close frame with code 1000 and no reason (RFC 6455 §5.5.1). */
    private static final byte[] CLOSE_FRAME = Messages.frame(8, new byte[] {0x03, (byte) 0xe8}, false, 0x1234_5678);

    /** An echo that came back wrong, short or not at all, or a connection that failed. */
    static final class EchoFailure extends IOException {
        EchoFailure(String message) {
            super(message);
        }
    }

    /** Asks the server JVM for its counters: {bytes allocated by its threads, CPU nanoseconds, …}. */
    interface ServerProbe {
        long[] sample() throws IOException;
    }

    private enum Phase { WARMUP, MEASURE, DRAIN, CLOSING, BLOCKING }

    private final SSLContext tls;
    private final String[] cipherSuites;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER);
    /** Inflated bytes of a compressed echo, checked and dropped chunk by chunk. */
    private final ByteBuffer inflated = ByteBuffer.allocateDirect(64 * 1024);
    private final ByteBuffer deflateTail = ByteBuffer.wrap(Messages.DEFLATE_TAIL).asReadOnlyBuffer();
    private final LatencyHistogram histogram = new LatencyHistogram();
    private final Consumer<SelectionKey> keyHandler = this::handleKey;
    private final com.sun.management.OperatingSystemMXBean system =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final SecureRandom random = new SecureRandom();
    /** Plaintext unwrapped from TLS records, handed to one connection at a time. */
    private final ByteBuffer applicationIn = ByteBuffer.allocateDirect(READ_BUFFER);
    private String negotiated = "";
    private String extensions = "";
    private Messages messages;
    private Phase phase;
    private long completedMessages;
    private int closedConnections;
    private IOException failure;

    /**
     * @param tls          the client context for TLS cells, {@code null} for plain TCP
     * @param cipherSuites the TLS 1.3 suites the client offers, or {@code null} for the JDK's defaults
     */
    WebSocketLoadGenerator(SSLContext tls, String[] cipherSuites) {
        this.tls = tls;
        this.cipherSuites = cipherSuites;
    }

    /** The protocol and cipher suite of the last TLS handshake, such as "TLSv1.3 TLS_AES_128_GCM_SHA256". */
    String negotiated() {
        return negotiated;
    }

    /** The {@code Sec-WebSocket-Extensions} the server answered in the last opening handshake, or "". */
    String extensions() {
        return extensions;
    }

    /** Runs one cell against the echo server at {@code address}, path {@code /echo}. */
    Result run(String server, InetSocketAddress address, Messages messages, long warmupNanos, long measureNanos,
            ServerProbe probe) throws IOException {
        Cell cell = messages.cell();
        this.messages = messages;
        this.failure = null;
        List<Client> clients = new ArrayList<>(cell.connections());
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < cell.connections(); i++) {
                Client client = connect(address, i);
                clients.add(client);
                client.register(selector);
            }
            phase = Phase.WARMUP;
            completedMessages = 0;
            histogram.reset();
            long now = System.nanoTime();
            long warmupEnd = now + warmupNanos;
            long measureEnd = warmupEnd + measureNanos;
            long measureStart = 0;
            long deadline = 0;
            long clientCpuBefore = 0;
            long[] before = null;
            Result result = null;
            for (Client client : clients) {
                for (int i = 0; i < cell.depth(); i++) {
                    client.issue(now);
                }
                client.flush();
            }
            while (true) {
                selector.select(keyHandler, 10);
                if (failure != null) {
                    throw failure;
                }
                now = System.nanoTime();
                if (phase == Phase.WARMUP && now - warmupEnd >= 0) {
                    before = probe == null ? null : probe.sample();
                    clientCpuBefore = system.getProcessCpuTime();
                    histogram.reset();
                    completedMessages = 0;
                    measureStart = System.nanoTime();
                    measureEnd = measureStart + measureNanos;
                    phase = Phase.MEASURE;
                } else if (phase == Phase.MEASURE && now - measureEnd >= 0) {
                    double seconds = (now - measureStart) / 1e9;
                    long counted = completedMessages;
                    long clientCpu = system.getProcessCpuTime() - clientCpuBefore;
                    long[] after = probe == null ? null : probe.sample();
                    result = new Result(cell, server, counted, seconds, histogram.percentile(0.50),
                            histogram.percentile(0.99), histogram.percentile(0.999),
                            after == null ? Double.NaN : (after[1] - before[1]) / (seconds * 1e9),
                            clientCpu / (seconds * 1e9), after == null ? -1 : after[0] - before[0]);
                    phase = Phase.DRAIN;
                    // What is in flight needs about in-flight ÷ rate to come back; a slow cell (deflate at 1 MiB)
                    // gets more than the 10 s that are ample for the rest.
                    double drainSeconds = Math.max(10, 4.0 * cell.connections() * cell.depth()
                            / Math.max(1, result.messagesPerSecond()));
                    deadline = System.nanoTime() + (long) (drainSeconds * 1e9);
                } else if (phase == Phase.DRAIN) {
                    long missing = 0;
                    for (Client client : clients) {
                        missing += client.issued - client.completed;
                    }
                    if (missing == 0) {
                        phase = Phase.CLOSING;
                        closedConnections = 0;
                        deadline = System.nanoTime() + 10_000_000_000L;
                        for (Client client : clients) {
                            client.startClose();
                            client.flush();
                        }
                    } else if (now - deadline >= 0) {
                        throw new EchoFailure(cell + ": " + missing + " messages sent were not echoed in time (4× what"
                                + " the measured rate needs, at least 10 s)");
                    }
                } else if (phase == Phase.CLOSING) {
                    if (closedConnections == clients.size()) {
                        break;
                    }
                    if (now - deadline >= 0) {
                        throw new EchoFailure(cell + ": " + (clients.size() - closedConnections)
                                + " connections did not answer our close frame within 10 s");
                    }
                }
            }
            for (Client client : clients) {
                if (client.completed != client.issued) {
                    throw new EchoFailure(cell + ", connection " + client.index + ": sent " + client.issued
                            + " messages but " + client.completed + " came back");
                }
            }
            return result;
        } finally {
            for (Client client : clients) {
                client.close();
            }
        }
    }

    /**
     * Opens {@code count} connections (TLS and opening handshakes), has each echo one message so that whatever a
     * server sets up on first use (buffers, deflate contexts) is counted, and leaves them open and idle; for the
     * memory measurement. {@code progress} is called after each connection.
     */
    List<SocketChannel> openIdle(InetSocketAddress address, Messages messages, int count, IntConsumer progress)
            throws IOException {
        this.messages = messages;
        this.phase = Phase.BLOCKING;
        List<SocketChannel> channels = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                Client client = connect(address, i);
                channels.add(client.channel());
                client.channel().configureBlocking(true);
                client.issue(System.nanoTime());
                while (client.completed == 0) {
                    client.flush();
                    if (!client.read(readBuffer, applicationIn)) {
                        throw client.failure("the server closed the connection before echoing");
                    }
                }
                progress.accept(i + 1);
            }
        } catch (IOException | RuntimeException e) {
            for (SocketChannel channel : channels) {
                channel.close();
            }
            throw e;
        }
        return channels;
    }

    private Client connect(InetSocketAddress address, int index) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(address);
            Client client = new Client(channel, index);
            if (tls != null) {
                negotiated = client.startTls(tls, address, cipherSuites);
            }
            client.upgrade(address);
            channel.configureBlocking(false);
            return client;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void handleKey(SelectionKey key) {
        Client client = (Client) key.attachment();
        try {
            if (key.isWritable()) {
                client.flush();
            }
            if (key.isReadable()) {
                if (!client.read(readBuffer, applicationIn)) {
                    endOfStream(client);
                }
                client.flush();
            }
        } catch (IOException e) {
            if (failure == null) {
                failure = e instanceof EchoFailure ? e
                        : new EchoFailure(messages.cell() + ", connection " + client.index + ": " + e);
            }
        }
    }

    /** The server ended the stream: expected once we sent our close frame, a failure before. */
    private void endOfStream(Client client) throws IOException {
        if (phase == Phase.CLOSING && client.closeSent) {
            client.closedByServer();
            return;
        }
        throw client.failure("the server closed the connection with " + (client.issued - client.completed)
                + " messages in flight");
    }

    /** One connection: its place on the ring, the messages in flight, and the parser of the server's frames. */
    private final class Client extends LoadConnection {
        final int index;
        final int firstMessage;
        final long[] issuedAt;
        final ByteBuffer outgoing = messages.ringView();
        final ByteBuffer close = ByteBuffer.wrap(CLOSE_FRAME);
        long issued;
        long completed;
        /** Where the next byte to send lies in the ring. */
        int ringAt;
        boolean closeSent;
        boolean closed;
        Inflater inflater;

        // The parser of the server's frames (RFC 6455 §5.2): a header gathered in `header`, then its payload.
        final byte[] header = new byte[10];
        int headerHave;
        int headerNeed = 2;
        long payloadLeft = -1;
        boolean fin;
        int opcode;
        /** The data message being received: compressed (RSV1 on its first frame), and how much of it has come. */
        boolean messageCompressed;
        boolean inMessage;
        int messageOpcode;
        long messageHave;
        ByteBuffer expected;

        Client(SocketChannel channel, int index) {
            super(channel);
            this.index = index;
            this.firstMessage = index % Messages.COUNT;
            this.ringAt = messages.frameStart(firstMessage);
            this.issuedAt = new long[Math.max(1, messages.cell().depth())];
        }

        int messageIndex(long n) {
            return (int) ((firstMessage + n) % Messages.COUNT);
        }

        void issue(long now) {
            issuedAt[(int) (issued % issuedAt.length)] = now;
            owed += messages.frameLength(messageIndex(issued));
            issued++;
        }

        /** The next bytes to send, at most {@code max}: the close frame once closing, else a slice of the ring. */
        @Override
        protected ByteBuffer nextSlice(int max) {
            if (closeSent && owed > 0 && issued == completed) {
                return close;
            }
            int length = (int) Math.min(owed, max);
            outgoing.limit(ringAt + length).position(ringAt);
            return outgoing;
        }

        @Override
        protected void sent(int bytes) {
            if (!(closeSent && issued == completed)) {
                ringAt = (ringAt + bytes) % messages.ringLength();
            }
        }

        void startClose() {
            closeSent = true;
            owed += close.remaining();
        }

        void closedByServer() {
            if (!closed) {
                closed = true;
                closedConnections++;
                interest(0);
            }
        }

        @Override
        protected boolean doneReading() {
            return closed;
        }

        /** Parses the server's frames in {@code data} and checks every payload byte. */
        @Override
        protected void consume(ByteBuffer data) throws IOException {
            while (data.hasRemaining() && !closed) {
                if (payloadLeft < 0) {
                    if (!readHeader(data)) {
                        return;
                    }
                    if (payloadLeft == 0) {
                        endFrame();
                    }
                    continue;
                }
                int length = (int) Math.min(payloadLeft, data.remaining());
                int limit = data.limit();
                data.limit(data.position() + length);
                payload(data);
                data.limit(limit);
                payloadLeft -= length;
                if (payloadLeft == 0) {
                    endFrame();
                }
            }
        }

        /** Gathers the header; false when more bytes are needed. */
        private boolean readHeader(ByteBuffer data) throws EchoFailure {
            while (headerHave < headerNeed) {
                if (!data.hasRemaining()) {
                    return false;
                }
                header[headerHave++] = data.get();
                if (headerHave == 2) {
                    int length = header[1] & 0x7f;
                    if ((header[1] & 0x80) != 0) {
                        throw failure("the server sent a masked frame (RFC 6455 §5.1 forbids it)");
                    }
                    headerNeed = length == 126 ? 4 : length == 127 ? 10 : 2;
                }
            }
            int b0 = header[0] & 0xff;
            int length = header[1] & 0x7f;
            long payload = length;
            if (length == 126) {
                payload = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
            } else if (length == 127) {
                payload = 0;
                for (int i = 2; i < 10; i++) {
                    payload = (payload << 8) | (header[i] & 0xff);
                }
            }
            fin = (b0 & 0x80) != 0;
            opcode = b0 & 0x0f;
            boolean rsv1 = (b0 & 0x40) != 0;
            headerHave = 0;
            headerNeed = 2;
            payloadLeft = payload;
            if (opcode == 1 || opcode == 2) {
                if (inMessage) {
                    throw failure("a new message started inside a fragmented one");
                }
                int wanted = messages.cell().text() ? 1 : 2;
                if (opcode != wanted) {
                    throw failure("the echo is a " + (opcode == 1 ? "text" : "binary") + " message, expected "
                            + (wanted == 1 ? "text" : "binary"));
                }
                if (completed == issued) {
                    throw failure("a message arrived that was not sent");
                }
                inMessage = true;
                messageOpcode = opcode;
                messageCompressed = rsv1;
                if (rsv1 && !messages.cell().deflate()) {
                    throw failure("RSV1 set without permessage-deflate");
                }
                messageHave = 0;
                expected = messages.payloadView(messageIndex(completed));
                expected.limit(0);
            } else if (opcode == 0) {
                if (!inMessage) {
                    throw failure("a continuation frame outside a message");
                }
            } else if (opcode == 8) {
                if (!closeSent) {
                    throw failure("the server closed the connection with " + (issued - completed)
                            + " messages in flight");
                }
            } else if (opcode != 9 && opcode != 10) {
                throw failure("a frame with opcode " + opcode);
            }
            return true;
        }

        private void payload(ByteBuffer data) throws IOException {
            if (opcode == 9 || opcode == 10 || opcode == 8) {
                data.position(data.limit()); // pings need no answer here: the servers do not send any unasked
                return;
            }
            if (!messageCompressed) {
                check(data);
                return;
            }
            inflate(data);
        }

        private void inflate(ByteBuffer data) throws IOException {
            if (inflater == null) {
                inflater = new Inflater(true);
            }
            inflater.setInput(data);
            try {
                while (true) {
                    inflated.clear();
                    int n = inflater.inflate(inflated);
                    if (n > 0) {
                        inflated.flip();
                        check(inflated);
                    }
                    if (n == 0 && (inflater.needsInput() || inflater.finished())) {
                        break;
                    }
                }
            } catch (DataFormatException e) {
                throw failure("the compressed echo does not inflate: " + e.getMessage());
            }
            if (data.hasRemaining()) {
                throw failure("the inflater left " + data.remaining() + " bytes of input");
            }
        }

        /** Compares echoed payload bytes with the next bytes of the message sent. */
        private void check(ByteBuffer data) throws EchoFailure {
            int length = data.remaining();
            if (messageHave + length > messages.cell().size()) {
                throw failure("the echo is longer than the " + messages.cell().size() + " bytes sent");
            }
            int at = (int) messageHave;
            expected.limit(at + length).position(at);
            int mismatch = data.mismatch(expected);
            if (mismatch >= 0) {
                throw failure("echoed byte " + (at + mismatch) + " of message " + completed + " is "
                        + data.get(data.position() + mismatch) + ", expected " + expected.get(at + mismatch)
                        + " (lost, corrupted or crossed data)");
            }
            data.position(data.limit());
            messageHave += length;
        }

        private void endFrame() throws IOException {
            payloadLeft = -1;
            if (opcode == 8) {
                closedByServer();
                return;
            }
            if (opcode > 7 || !fin) {
                return;
            }
            if (messageCompressed) {
                inflate(deflateTail.clear());
            }
            if (messageHave != messages.cell().size()) {
                throw failure("the echo of message " + completed + " has " + messageHave + " bytes, expected "
                        + messages.cell().size());
            }
            inMessage = false;
            long now = System.nanoTime();
            if (phase == Phase.MEASURE) {
                histogram.record(now - issuedAt[(int) (completed % issuedAt.length)]);
            }
            completed++;
            completedMessages++;
            if (phase == Phase.WARMUP || phase == Phase.MEASURE) {
                issue(now);
            }
        }

        @Override
        protected EchoFailure failure(String what) {
            return new EchoFailure(messages.cell() + ", connection " + index + ": " + what);
        }

        void close() {
            if (inflater != null) {
                inflater.end();
            }
            try {
                channel.close();
            } catch (IOException e) {
                // closing after the run: nothing left to report
            }
        }

        /** The opening handshake (RFC 6455 §4.1), blocking, before the channel turns non-blocking. */
        void upgrade(InetSocketAddress address) throws IOException {
            byte[] nonce = new byte[16];
            random.nextBytes(nonce);
            String request = "GET /echo HTTP/1.1\r\nHost: " + address.getHostString() + ":" + address.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                    + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n"
                    + (messages.cell().deflate() ? "Sec-WebSocket-Extensions: permessage-deflate\r\n" : "") + "\r\n";
            writeFully(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer response = ByteBuffer.allocate(8192);
            String head;
            while (true) {
                if (!readSome(response)) {
                    throw failure("the server closed the connection during the opening handshake");
                }
                String text = new String(response.array(), 0, response.position(), StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end >= 0) {
                    if (end + 4 != response.position()) {
                        throw failure("the server sent bytes after its 101 response before any message");
                    }
                    head = text.substring(0, end);
                    break;
                }
                if (!response.hasRemaining()) {
                    throw failure("the handshake response is longer than 8 KiB");
                }
            }
            if (!head.startsWith("HTTP/1.1 101")) {
                throw failure("the server refused the upgrade: " + head.lines().findFirst().orElse(""));
            }
            extensions = "";
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-extensions:")) {
                    extensions = line.substring(line.indexOf(':') + 1).trim();
                }
            }
            boolean deflate = extensions.toLowerCase(Locale.ROOT).startsWith("permessage-deflate");
            if (deflate != messages.cell().deflate()) {
                throw failure(messages.cell().deflate() ? "the server declined permessage-deflate"
                        : "the server accepted an extension that was not offered: " + extensions);
            }
        }
    }
}
