package dev.websock.transport.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.transport.Connection;
import dev.websock.transport.ConnectionHandler;
import dev.websock.transport.Listener;
import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.Transports;
import dev.websock.transport.WriteCallback;
import dev.websock.transport.kit.Recorder;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What only the in-memory transport promises: its cutting of reads, its names, its TCP-like resets. */
class InMemoryTransportTest {

    private static final InMemoryAddress SERVER = new InMemoryAddress("server");

    /** Sends {@code bytes} bytes in one write and returns the sizes of the reads that delivered them. */
    private static List<Integer> readSizes(TransportOptions options, Chunking chunking, int bytes) throws Exception {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        try (InMemoryTransport transport = new InMemoryTransport(options, chunking)) {
            Recorder server = new Recorder("server") {
                @Override
                protected void read(Connection connection, ByteBuffer data) {
                    sizes.add(data.remaining());
                }
            };
            transport.listen(SERVER, connection -> server);
            Connection client = transport.connect(SERVER, new Recorder("client")).get(5, TimeUnit.SECONDS);
            client.write(ByteBuffer.allocate(bytes), WriteCallback.NONE);
            server.awaitReceived(bytes);
            assertEquals(List.of(), server.violations());
        }
        return new ArrayList<>(sizes);
    }

    @Test
    void theSameSeedCutsReadsTheSameWayAndADifferentSeedDoesNot() throws Exception {
        TransportOptions options = TransportOptions.defaults();
        List<Integer> first = readSizes(options, Chunking.random(1, 100, 42), 10_000);
        List<Integer> again = readSizes(options, Chunking.random(1, 100, 42), 10_000);
        List<Integer> other = readSizes(options, Chunking.random(1, 100, 43), 10_000);

        assertEquals(first, again);
        assertNotEquals(first, other);
        assertTrue(first.stream().allMatch(size -> size >= 1 && size <= 100), "sizes outside [1, 100]: " + first);
        assertTrue(first.stream().distinct().count() > 10, "sizes hardly vary: " + first);
    }

    @Test
    void fixedChunkingDeliversReadsOfExactlyThatSize() throws Exception {
        List<Integer> sizes = readSizes(TransportOptions.defaults(), Chunking.fixed(7), 100);

        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            expected.add(7);
        }
        expected.add(2);
        assertEquals(expected, sizes);
    }

    @Test
    void readsNeverExceedTheReadBufferSize() throws Exception {
        TransportOptions options = TransportOptions.builder().readBufferSize(1024).build();

        assertEquals(List.of(1024, 1024, 1024, 1024, 904), readSizes(options, Chunking.whole(), 5000));
    }

    @Test
    void theMemoryProviderIsFoundByName() {
        assertInstanceOf(InMemoryTransportProvider.class, Transports.provider("memory"));
        try (Transport transport = Transports.provider("memory").open(TransportOptions.defaults())) {
            assertInstanceOf(InMemoryTransport.class, transport);
        }
    }

    @Test
    void aProviderOfThisTransportLetsCodeThatOpensItsOwnTransportShareIt() throws Exception {
        try (InMemoryTransport transport = new InMemoryTransport()) {
            Transport opened = transport.asProvider().open(TransportOptions.defaults());
            Recorder server = new Recorder("server");
            opened.listen(SERVER, connection -> server);

            Connection client = transport.connect(SERVER, new Recorder("client")).get(5, TimeUnit.SECONDS);
            client.write(ByteBuffer.wrap(new byte[] {42}), WriteCallback.NONE);

            assertEquals(42, server.awaitReceived(1)[0]);
            assertEquals("memory", transport.asProvider().name());
        }
    }

    @Test
    void listeningTwiceAtOneNameFailsUntilTheFirstListenerCloses() throws Exception {
        try (InMemoryTransport transport = new InMemoryTransport()) {
            Listener first = transport.listen(SERVER, connection -> new Recorder("server"));
            assertThrows(BindException.class, () -> transport.listen(SERVER, connection -> new Recorder("server")));
            first.close();
            transport.listen(SERVER, connection -> new Recorder("server")).close();
        }
    }

    @Test
    void anAddressThatIsNotInMemoryIsRefused() {
        try (InMemoryTransport transport = new InMemoryTransport()) {
            InetSocketAddress socket = new InetSocketAddress("localhost", 80);
            IOException failure = assertThrows(IOException.class,
                    () -> transport.listen(socket, connection -> new Recorder("server")));
            assertTrue(failure.getMessage().contains("InMemoryAddress"), failure.getMessage());
            assertTrue(transport.connect(socket, new Recorder("client")).isCompletedExceptionally());
        }
    }

    @Test
    void aGracefulCloseCompletesOnlyOnceThePeerHasEndedItsSideToo() throws Exception {
        try (InMemoryTransport transport = new InMemoryTransport()) {
            Recorder server = new Recorder("server");
            transport.listen(SERVER, connection -> server);
            // This client keeps its side open when the server's stream ends, until the test ends it.
            Recorder client = new Recorder("client") {
                @Override
                protected void readShutdown(Connection connection) {
                }
            };
            Connection connection = transport.connect(SERVER, client).get(5, TimeUnit.SECONDS);
            server.awaitOpen().close();
            client.awaitReadShutdown();
            Thread.sleep(100);
            assertFalse(server.isClosed(), "the server end closed before the client ended its side");

            connection.shutdownOutput();

            assertEquals(Optional.empty(), server.awaitClosed());
            assertTrue(connection.isOpen(), "half-closed is still open");
            connection.close();
            assertEquals(Optional.empty(), client.awaitClosed());
            assertEquals(List.of(), server.violations());
            assertEquals(List.of(), client.violations());
        }
    }

    @Test
    void closeOnTheTransportThreadIsRefusedRatherThanWaitingForever() throws Exception {
        InMemoryTransport transport = new InMemoryTransport();
        try {
            transport.listen(SERVER, connection -> new Recorder("server"));
            List<Throwable> thrown = new CopyOnWriteArrayList<>();
            transport.connect(SERVER, new ConnectionHandler() {
                @Override
                public void onOpen(Connection connection) {
                    try {
                        transport.close();
                    } catch (IllegalStateException e) {
                        thrown.add(e);
                    }
                }

                @Override
                public void onRead(Connection connection, ByteBuffer data) {
                }
            }).get(5, TimeUnit.SECONDS);
            assertEquals(1, thrown.size());
        } finally {
            transport.close();
        }
    }
}
