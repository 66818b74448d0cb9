package dev.websock.transport.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.transport.Connection;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.WriteCallback;
import dev.websock.transport.kit.Recorder;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The blocking client end that server tests drive like a socket. */
class InMemorySocketTest {

    private static final InMemoryAddress SERVER = new InMemoryAddress("server");

    private final InMemoryTransport transport =
            new InMemoryTransport(TransportOptions.defaults(), Chunking.random(1, 300, 11));

    @AfterEach
    void closeTransport() {
        transport.close();
    }

    private Recorder listen(Recorder server) throws IOException {
        transport.listen(SERVER, connection -> server);
        return server;
    }

    @Test
    void bytesWrittenToTheStreamComeBackFromAnEchoServerInOrder() throws Exception {
        listen(new Recorder("echo") {
            @Override
            protected void read(Connection connection, ByteBuffer data) {
                connection.write(ByteBuffer.allocate(data.remaining()).put(data).flip(), WriteCallback.NONE);
            }
        });
        byte[] sent = new byte[200_000];
        new SplittableRandom(3).nextBytes(sent);
        try (InMemorySocket socket = InMemorySocket.connect(transport, SERVER)) {
            socket.getOutputStream().write(sent);
            assertArrayEquals(sent, socket.getInputStream().readNBytes(sent.length));
        }
    }

    @Test
    void shutdownOutputEndsTheServersInputAndTheServersCloseEndsOurs() throws Exception {
        Recorder server = listen(new Recorder("server") {
            @Override
            protected void readShutdown(Connection connection) {
                connection.write(ByteBuffer.wrap(received()), WriteCallback.NONE);
                connection.close();
            }
        });
        try (InMemorySocket socket = InMemorySocket.connect(transport, SERVER)) {
            socket.getOutputStream().write("last words".getBytes());
            socket.shutdownOutput();

            assertEquals("last words", new String(socket.getInputStream().readAllBytes()));
            assertTrue(socket.isInputEnded());
        }
        assertEquals(java.util.Optional.empty(), server.awaitClosed());
    }

    @Test
    void aServerAbortFailsTheNextReadWithTheReset() throws Exception {
        listen(new Recorder("server") {
            @Override
            protected void opened(Connection connection) {
                connection.abort();
            }
        });
        try (InMemorySocket socket = InMemorySocket.connect(transport, SERVER)) {
            IOException failure = assertThrows(IOException.class, () -> socket.getInputStream().read());
            assertTrue(failure.getMessage().contains("reset"), failure.getMessage());
        }
    }

    @Test
    void aReadWithNothingToReadTimesOut() throws Exception {
        listen(new Recorder("silent server"));
        try (InMemorySocket socket = InMemorySocket.connect(transport, SERVER)) {
            socket.setSoTimeout(Duration.ofMillis(50));
            assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read());
        }
    }

    @Test
    void connectingWhereNothingListensThrows() {
        assertThrows(ConnectException.class, () -> InMemorySocket.connect(transport, SERVER));
    }

    @Test
    void aClientThatDoesNotReadPushesBackOnTheServer() throws Exception {
        int size = 3 * 1024 * 1024;
        AtomicReference<Connection> serverEnd = new AtomicReference<>();
        listen(new Recorder("server") {
            @Override
            protected void opened(Connection connection) {
                serverEnd.set(connection);
                connection.write(ByteBuffer.wrap(new byte[size]), WriteCallback.NONE);
            }
        });
        try (InMemorySocket socket = InMemorySocket.connect(transport, SERVER)) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (socket.getInputStream().available() < 1024 * 1024 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(50);
            assertTrue(serverEnd.get().queuedBytes() >= size - 1024 * 1024 - 300,
                    "the server's queue drained although nobody read: " + serverEnd.get().queuedBytes());
            assertFalse(serverEnd.get().isWritable());

            assertEquals(size, socket.getInputStream().readNBytes(size).length);
        }
    }
}
