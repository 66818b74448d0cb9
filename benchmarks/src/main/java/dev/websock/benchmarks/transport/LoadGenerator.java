package dev.websock.benchmarks.transport;

import dev.websock.benchmarks.harness.LatencyHistogram;
import dev.websock.benchmarks.harness.LoadConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * The load generator: one thread, one selector, {@code connections} sockets, each keeping {@code depth} messages of
 * {@code size} bytes in flight (closed loop: an echoed message is replaced by a new one at once). After a warm-up
 * it measures for a fixed time, then stops sending and waits for every byte still in flight.
 *
 * <p>Every echoed byte is checked: connection {@code c} sends the byte stream {@code pattern[(base(c) + offset) %
 * P]} (random bytes, a prime period P, a different start per connection), so a byte lost, duplicated, reordered,
 * corrupted or delivered to the wrong connection fails the run with {@link EchoFailure}; at the end every
 * connection must have received exactly what it sent.
 *
 * <p>Latency is the time from issuing a message (before its first byte is written) until its last byte is back,
 * recorded without allocation into a {@link LatencyHistogram}. The steady state allocates nothing here either,
 * so the load generator's GC does not show in the server's tail.
 */
final class LoadGenerator {
    /** The period of the byte pattern: prime, so no message size lines up with it. */
    static final int PERIOD = 65_521;
    /** The longest piece written or checked at once. */
    static final int WINDOW = LoadConnection.WINDOW;
    private static final ByteBuffer PATTERN = pattern();

    /** A cell of the benchmark matrix. */
    record Cell(int connections, int size, int depth) {
        @Override
        public String toString() {
            return connections + " conn, " + size + " B, depth " + depth;
        }
    }

    /**
     * What one cell measured. {@code serverAllocated} (bytes allocated by all the server's threads),
     * {@code serverCpuNanos} (CPU time of the server process) and {@code loopAllocated} (bytes allocated by its
     * event-loop threads) cover the measured interval; -1 when not known.
     */
    record Measurement(long messages, double seconds, long p50, long p99, long p999, long max, long serverAllocated,
            long serverCpuNanos, long loopAllocated) {
        double messagesPerSecond() {
            return messages / seconds;
        }

        /** The share of one core the server used: near 1 the server is the bottleneck, well below it the load generator is. */
        double serverCpuShare() {
            return serverCpuNanos < 0 ? Double.NaN : serverCpuNanos / (seconds * 1e9);
        }

        /** Server CPU time per echoed message: its cost, whichever side limits the rate. */
        double serverCpuNanosPerMessage() {
            return serverCpuNanos < 0 ? Double.NaN : (double) serverCpuNanos / messages;
        }

        double allocatedPerMessage() {
            return serverAllocated < 0 ? Double.NaN : (double) serverAllocated / messages;
        }

        /** Bytes allocated per message by the server's event-loop threads alone; NaN for virtual threads. */
        double loopAllocatedPerMessage() {
            return loopAllocated < 0 ? Double.NaN : (double) loopAllocated / messages;
        }
    }

    /** An echo that came back wrong, short or not at all. */
    static final class EchoFailure extends IOException {
        EchoFailure(String message) {
            super(message);
        }
    }

    /** Asks the server JVM how many bytes its threads have allocated so far, and how much CPU time it used. */
    interface ServerProbe {
        /** {bytes allocated, CPU nanoseconds, bytes allocated by the event loops or -1}. */
        long[] sample() throws IOException;
    }

    private enum Phase { WARMUP, MEASURE, DRAIN }

    private final SSLContext tls;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(WINDOW);
    private final LatencyHistogram histogram = new LatencyHistogram();
    private final Consumer<SelectionKey> keyHandler = this::handleKey;
    /** Plaintext unwrapped from TLS records, handed to one connection at a time. */
    private final ByteBuffer applicationIn = ByteBuffer.allocate(64 * 1024);
    /** The protocol and cipher suite of the last TLS handshake, such as "TLSv1.3 TLS_AES_256_GCM_SHA384". */
    private String negotiated = "";
    private Cell cell;
    private Phase phase;
    private long messages;
    private IOException failure;

    private final String[] cipherSuites;
    /** The clients of {@link #openIdle}'s channels, for {@link #echoOnce}. */
    private final Map<SocketChannel, Client> idleClients = new HashMap<>();

    /**
     * @param tls          the client context for TLS cells, {@code null} for plain TCP
     * @param cipherSuites the TLS 1.3 suites the client offers, or {@code null} for the JDK's defaults
     */
    LoadGenerator(SSLContext tls, String[] cipherSuites) {
        this.tls = tls;
        this.cipherSuites = cipherSuites;
    }

    LoadGenerator(SSLContext tls) {
        this(tls, null);
    }

    /** Runs one cell against the echo server at {@code address}. */
    Measurement run(InetSocketAddress address, Cell cell, long warmupNanos, long measureNanos, ServerProbe probe)
            throws IOException {
        this.cell = cell;
        this.failure = null;
        List<Client> clients = new ArrayList<>(cell.connections());
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < cell.connections(); i++) {
                Client client = connect(address, i, cell.depth());
                clients.add(client);
                client.register(selector);
            }
            phase = Phase.WARMUP;
            messages = 0;
            histogram.reset();
            long now = System.nanoTime();
            long warmupEnd = now + warmupNanos;
            long measureEnd = warmupEnd + measureNanos;
            long drainEnd = 0;
            long measureStart = 0;
            long[] before = null;
            Measurement result = null;
            for (Client client : clients) {
                for (int i = 0; i < cell.depth(); i++) {
                    client.issue(now, cell.size());
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
                    histogram.reset();
                    messages = 0;
                    measureStart = System.nanoTime();
                    measureEnd = measureStart + measureNanos;
                    phase = Phase.MEASURE;
                } else if (phase == Phase.MEASURE && now - measureEnd >= 0) {
                    double seconds = (now - measureStart) / 1e9;
                    long counted = messages;
                    long[] after = probe == null ? null : probe.sample();
                    result = new Measurement(counted, seconds, histogram.percentile(0.50), histogram.percentile(0.99),
                            histogram.percentile(0.999), histogram.max(), after == null ? -1 : after[0] - before[0],
                            after == null ? -1 : after[1] - before[1],
                            after == null || after[2] < 0 ? -1 : after[2] - before[2]);
                    phase = Phase.DRAIN;
                    drainEnd = System.nanoTime() + 10_000_000_000L;
                } else if (phase == Phase.DRAIN) {
                    long missing = 0;
                    for (Client client : clients) {
                        missing += client.sentTotal() - client.received;
                    }
                    if (missing == 0) {
                        break;
                    }
                    if (now - drainEnd >= 0) {
                        throw new EchoFailure(cell + ": " + missing + " bytes sent were not echoed within 10 s");
                    }
                }
            }
            for (Client client : clients) {
                if (client.received != client.issued * cell.size() || client.completed != client.issued) {
                    throw new EchoFailure(cell + ", connection " + client.index + ": sent " + client.issued
                            + " messages (" + client.issued * cell.size() + " bytes) but received " + client.received
                            + " bytes");
                }
            }
            return result;
        } finally {
            for (Client client : clients) {
                client.channel().close();
            }
        }
    }

    /**
     * Opens {@code count} connections (completing the TLS handshake when this generator has a context) and leaves
     * them idle; for the memory mode. {@code progress} is called after each connection.
     */
    List<SocketChannel> openIdle(InetSocketAddress address, int count, java.util.function.IntConsumer progress)
            throws IOException {
        List<SocketChannel> channels = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Client client = connect(address, i, 1);
            channels.add(client.channel());
            idleClients.put(client.channel(), client);
            progress.accept(i + 1);
        }
        return channels;
    }

    /**
     * Sends {@code size} bytes on each channel of {@link #openIdle} and waits for them to come back, one
     * connection at a time: afterwards every connection has carried data both ways and is idle again, as a
     * WebSocket connection is after its upgrade (over TLS, the server's engine has then used both its ciphers).
     */
    void echoOnce(List<SocketChannel> channels, int size) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(size);
        ByteBuffer in = ByteBuffer.allocate(Math.max(size, 64 * 1024)); // TLS unwraps only into a record's worth
        for (int i = 0; i < channels.size(); i++) {
            Client client = idleClients.get(channels.get(i));
            client.channel().configureBlocking(true);
            for (int b = 0; b < size; b++) {
                out.put(b, (byte) (i + b));
            }
            client.writeAll(out.clear());
            in.clear();
            while (in.position() < size) {
                if (!client.readInto(in)) {
                    throw client.failure("the server closed the connection before echoing " + size + " bytes");
                }
            }
            if (!in.flip().equals(out.flip())) {
                throw client.failure("the echo of " + size + " bytes came back changed");
            }
            client.channel().configureBlocking(false);
        }
    }

    String negotiated() {
        return negotiated;
    }

    private Client connect(InetSocketAddress address, int index, int depth) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(address);
            Client client = new Client(channel, index, depth);
            if (tls != null) {
                negotiated = client.startTls(tls, address, cipherSuites);
            }
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
                    throw client.failure("the server closed the connection after " + client.received + " of "
                            + client.sentTotal() + " bytes");
                }
                client.flush();
            }
        } catch (IOException e) {
            if (failure == null) {
                failure = e instanceof EchoFailure ? e
                        : new EchoFailure(cell + ", connection " + client.index + ": " + e);
            }
        }
    }

    /** Checks the echoed bytes in {@code data} and completes the messages they end. */
    private void consume(Client client, ByteBuffer data) throws EchoFailure {
        int offset = data.position();
        int end = data.limit();
        ByteBuffer expected = client.expected;
        while (offset < end) {
            int at = (int) ((client.base + client.received) % PERIOD);
            int length = Math.min(end - offset, WINDOW);
            data.limit(offset + length).position(offset);
            expected.limit(at + length).position(at);
            int mismatch = data.mismatch(expected);
            if (mismatch >= 0) {
                throw new EchoFailure(cell + ", connection " + client.index + ": echoed byte at stream offset "
                        + (client.received + mismatch) + " is " + data.get(offset + mismatch) + ", expected "
                        + expected.get(at + mismatch) + " (lost, duplicated, corrupted or crossed bytes)");
            }
            client.received += length;
            offset += length;
        }
        int size = cell.size();
        long now = System.nanoTime();
        while ((client.completed + 1) * size <= client.received) {
            if (phase == Phase.MEASURE) {
                histogram.record(now - client.issuedAt[(int) (client.completed % client.issuedAt.length)]);
            }
            client.completed++;
            messages++;
            if (phase != Phase.DRAIN) {
                client.issue(now, size);
            }
        }
        if (client.completed > client.issued) {
            throw new EchoFailure(cell + ", connection " + client.index + ": received more bytes than were sent");
        }
    }

    private static ByteBuffer pattern() {
        byte[] period = new byte[PERIOD];
        new SplittableRandom(0x5eed_ec40L).nextBytes(period);
        ByteBuffer buffer = ByteBuffer.allocateDirect(PERIOD + WINDOW);
        for (int i = 0; i < buffer.capacity(); i++) {
            buffer.put(i, period[i % PERIOD]);
        }
        return buffer.asReadOnlyBuffer();
    }

    /** One connection of the load generator. */
    private final class Client extends LoadConnection {
        final int index;
        final long base;
        final long[] issuedAt;
        /** Views of the pattern: the next bytes to send, the next bytes expected back. */
        final ByteBuffer outgoing = PATTERN.duplicate();
        final ByteBuffer expected = PATTERN.duplicate();
        long issued;
        long completed;
        /** Bytes written (plain) or wrapped (TLS). */
        long sent;
        long received;

        Client(SocketChannel channel, int index, int depth) {
            super(channel);
            this.index = index;
            this.base = (long) index * 7919 % PERIOD;
            this.issuedAt = new long[depth];
        }

        void writeAll(ByteBuffer data) throws IOException {
            writeFully(data);
        }

        boolean readInto(ByteBuffer into) throws IOException {
            return readSome(into);
        }

        long sentTotal() {
            return sent + owed;
        }

        void issue(long now, int size) {
            issuedAt[(int) (issued % issuedAt.length)] = now;
            issued++;
            owed += size;
        }

        @Override
        protected ByteBuffer nextSlice(int max) {
            int at = (int) ((base + sent) % PERIOD);
            int length = (int) Math.min(owed, max);
            return outgoing.limit(at + length).position(at);
        }

        @Override
        protected void sent(int bytes) {
            sent += bytes;
        }

        @Override
        protected void consume(ByteBuffer data) throws EchoFailure {
            LoadGenerator.this.consume(this, data);
        }

        @Override
        protected EchoFailure failure(String what) {
            return new EchoFailure(cell + ", connection " + index + ": " + what);
        }
    }
}
