package dev.websock.benchmarks.server;

import dev.websock.codec.handshake.HandshakeLimits;
import dev.websock.server.HandlerExecution;
import dev.websock.server.HandshakeInterceptor;
import dev.websock.server.MessageDelivery;
import dev.websock.server.OriginPolicy;
import dev.websock.server.Session;
import dev.websock.server.WebSocketHandler;
import dev.websock.server.session.Route;
import dev.websock.server.session.ServerConfig;
import dev.websock.server.session.ServerConnection;
import dev.websock.server.session.Sessions;
import dev.websock.transport.Cancellable;
import dev.websock.transport.Connection;
import dev.websock.transport.WriteCallback;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The server's per-message work for an echo, without a socket: one masked binary or text frame read (the bytes copied
 * into a read buffer, as a transport reads them), decoded, unmasked in place, handed to an echo handler, whose
 * send builds the reply frame in a pooled buffer, "written" by a connection that completes writes after the
 * read returns, as the transport contract says. With {@code -prof gc} it shows what a message allocates on
 * the server: the hot path's target is 0 B.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SessionEcho {

    @Param({"32", "1024", "65536"})
    int size;

    /** Binary, or text (ASCII), which goes through {@code onText(Session, String)} and {@code sendText}. */
    @Param({"binary", "text"})
    String type;

    private ServerConnection server;
    private LoopbackConnection connection;
    private ByteBuffer frame;
    private ByteBuffer readBuffer;

    @Setup
    public void setUp() {
        ServerConfig config = new ServerConfig(
                Map.of("/echo", new Route("/echo", new Echo(), MessageDelivery.WHOLE)), List.of(), null, OriginPolicy.any(),
                HandshakeInterceptor.ACCEPT_ALL, HandshakeLimits.DEFAULTS, 1 << 20, 1 << 20, 16,
                TimeUnit.SECONDS.toNanos(10), 0, TimeUnit.SECONDS.toNanos(5), 0, HandlerExecution.EVENT_LOOP,
                64 * 1024, 64 * 1024 - 14, false, false);
        connection = new LoopbackConnection();
        server = new ServerConnection(config, new Sessions(16));
        server.onOpen(connection);
        server.onRead(connection, ByteBuffer.wrap(("GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII)));
        connection.completeWrites();
        if (connection.written == 0) {
            throw new IllegalStateException("the handshake was not answered");
        }
        frame = maskedFrame(size, type.equals("text"));
        readBuffer = ByteBuffer.allocateDirect(frame.capacity());
    }

    @Benchmark
    public long echo() {
        readBuffer.clear();
        readBuffer.put(0, frame, 0, frame.limit()).limit(frame.limit()); // absolute: no duplicate to allocate
        server.onRead(connection, readBuffer);
        return connection.completeWrites();
    }

    private static ByteBuffer maskedFrame(int size, boolean text) {
        byte[] payload = new byte[size];
        SplittableRandom random = new SplittableRandom(size);
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (text ? 'a' + random.nextInt(26) : random.nextInt(256));
        }
        int lengthBytes = size <= 125 ? 0 : size <= 0xFFFF ? 2 : 8;
        ByteBuffer frame = ByteBuffer.allocate(2 + lengthBytes + 4 + size);
        frame.put((byte) (text ? 0x81 : 0x82));
        if (lengthBytes == 0) {
            frame.put((byte) (0x80 | size));
        } else if (lengthBytes == 2) {
            frame.put((byte) (0x80 | 126)).putShort((short) size);
        } else {
            frame.put((byte) (0x80 | 127)).putLong(size);
        }
        byte[] mask = {0x12, 0x34, 0x56, 0x78};
        frame.put(mask);
        for (int i = 0; i < size; i++) {
            frame.put((byte) (payload[i] ^ mask[i & 3]));
        }
        return frame.flip();
    }

    /** The application: echo binary and text messages. */
    static final class Echo implements WebSocketHandler {
        @Override
        public void onBinary(Session session, ByteBuffer data) {
            session.sendBinary(data);
        }

        @Override
        public void onText(Session session, String text) {
            session.sendText(text);
        }
    }

    /**
     * A connection whose writes succeed: it keeps the written buffers' callbacks and completes them when the
     * benchmark says, after the read that caused them, like a transport's flush. Allocates nothing.
     */
    static final class LoopbackConnection implements Connection {
        private final ByteBuffer[] pending = new ByteBuffer[64];
        private final WriteCallback[] callbacks = new WriteCallback[64];
        private int count;
        long written;

        long completeWrites() {
            long bytes = 0;
            for (int i = 0; i < count; i++) {
                bytes += pending[i].remaining();
                pending[i].position(pending[i].limit());
                pending[i] = null;
                WriteCallback callback = callbacks[i];
                callbacks[i] = null;
                callback.completed(this);
            }
            count = 0;
            written += bytes;
            return bytes;
        }

        @Override
        public void write(ByteBuffer buffer, WriteCallback callback) {
            pending[count] = buffer;
            callbacks[count++] = callback;
        }

        @Override
        public void write(ByteBuffer[] buffers, int offset, int length, WriteCallback callback) {
            for (int i = 0; i < length; i++) {
                write(buffers[offset + i], i == length - 1 ? callback : WriteCallback.NONE);
            }
        }

        @Override
        public SocketAddress localAddress() {
            return InetSocketAddress.createUnresolved("localhost", 8080);
        }

        @Override
        public SocketAddress remoteAddress() {
            return InetSocketAddress.createUnresolved("localhost", 50000);
        }

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public long queuedBytes() {
            return 0;
        }

        @Override
        public void pauseReading() {
        }

        @Override
        public void resumeReading() {
        }

        @Override
        public void shutdownOutput() {
        }

        @Override
        public void close() {
        }

        @Override
        public void abort() {
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public Cancellable schedule(long delay, TimeUnit unit, Runnable task) {
            return () -> { };
        }

        @Override
        public Executor executor() {
            return Runnable::run;
        }

        @Override
        public boolean inConnectionThread() {
            return true;
        }
    }
}
