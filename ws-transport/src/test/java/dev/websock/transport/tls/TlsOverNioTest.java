package dev.websock.transport.tls;

import static dev.websock.transport.tls.TlsTestKit.ANY_LOOPBACK_PORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.transport.Connection;
import dev.websock.transport.Listener;
import dev.websock.transport.WriteCallback;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** TLS between two TlsTransports over the NIO transport: handshake, echo, ALPN, closing, idle memory. */
class TlsOverNioTest {
    private final TlsTransport server = TlsTestKit.nioServer();
    private final TlsTransport client = TlsTestKit.nioClient();

    @AfterEach
    void shutDown() {
        client.close();
        server.close();
    }

    private InetSocketAddress listen(TlsTestKit.Echo echo) throws Exception {
        Listener listener = server.listen(ANY_LOOPBACK_PORT, connection -> echo);
        return (InetSocketAddress) listener.localAddress();
    }

    @Test
    void handshakeCompletesBeforeOnOpenAndTheSessionIsTls13() throws Exception {
        TlsTestKit.Echo echo = new TlsTestKit.Echo();
        InetSocketAddress address = listen(echo);
        TlsTestKit.Recorder recorder = new TlsTestKit.Recorder();
        Connection connection = client.connect(address, recorder).get(10, TimeUnit.SECONDS);

        SSLSession clientSession = connection.tlsSession().orElseThrow();
        assertEquals("TLSv1.3", clientSession.getProtocol());
        Connection serverSide = echo.opened.get(10, TimeUnit.SECONDS);
        assertEquals("TLSv1.3", serverSide.tlsSession().orElseThrow().getProtocol());
        assertEquals(LOCALHOST_SUBJECT, clientSession.getPeerPrincipal().getName());
    }

    private static final String LOCALHOST_SUBJECT = "CN=localhost";

    @Test
    void echoesSmallWrites() throws Exception {
        InetSocketAddress address = listen(new TlsTestKit.Echo());
        TlsTestKit.Recorder recorder = new TlsTestKit.Recorder();
        Connection connection = client.connect(address, recorder).get(10, TimeUnit.SECONDS);

        for (int i = 0; i < 100; i++) {
            connection.write(ByteBuffer.wrap(("message " + i + "\n").getBytes(StandardCharsets.US_ASCII)),
                    WriteCallback.NONE);
        }
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            expected.append("message ").append(i).append('\n');
        }
        byte[] received = recorder.receive(expected.length()).get(10, TimeUnit.SECONDS);
        assertEquals(expected.toString(), new String(received, StandardCharsets.US_ASCII));
    }

    @Test
    void echoesFourMegabytesSpanningManyRecordsPerRead() throws Exception {
        InetSocketAddress address = listen(new TlsTestKit.Echo());
        TlsTestKit.Recorder recorder = new TlsTestKit.Recorder();
        Connection connection = client.connect(address, recorder).get(10, TimeUnit.SECONDS);
        byte[] payload = new byte[4 * 1024 * 1024];
        new Random(42).nextBytes(payload);

        // Mixed write sizes: several writes per record and records split across writes.
        int position = 0;
        Random sizes = new Random(7);
        while (position < payload.length) {
            int size = Math.min(payload.length - position, 1 + sizes.nextInt(40_000));
            connection.write(ByteBuffer.wrap(payload, position, size), WriteCallback.NONE);
            position += size;
        }
        assertArrayEquals(payload, recorder.receive(payload.length).get(30, TimeUnit.SECONDS));
    }

    @Test
    void alpnAgreesOnTheServersPreferredProtocolThatTheClientOffers() throws Exception {
        TlsTransport alpnServer = new TlsTransport(TlsTestKit.nio(), TlsConfig.forServer(TlsTestKit.LOCALHOST)
                .applicationProtocols("x-websock", "http/1.1").build());
        TlsTransport alpnClient = new TlsTransport(TlsTestKit.nio(), TlsConfig.forClient(
                TlsTestKit.LOCALHOST.certificateChain()).applicationProtocols("h2", "http/1.1").build());
        try (alpnServer; alpnClient) {
            TlsTestKit.Echo echo = new TlsTestKit.Echo();
            Listener listener = alpnServer.listen(ANY_LOOPBACK_PORT, connection -> echo);
            Connection connection = alpnClient.connect(listener.localAddress(), new TlsTestKit.Recorder())
                    .get(10, TimeUnit.SECONDS);
            assertEquals("http/1.1", ((TlsConnection) connection).applicationProtocol().orElseThrow());
            TlsConnection serverSide = (TlsConnection) echo.opened.get(10, TimeUnit.SECONDS);
            assertEquals("http/1.1", serverSide.applicationProtocol().orElseThrow());
        }
    }

    @Test
    void alpnSelectorHookChoosesTheProtocol() throws Exception {
        TlsTransport alpnServer = new TlsTransport(TlsTestKit.nio(), TlsConfig.forServer(TlsTestKit.LOCALHOST)
                .applicationProtocolSelector((engine, offered) -> offered.getLast()).build());
        TlsTransport alpnClient = new TlsTransport(TlsTestKit.nio(), TlsConfig.forClient(
                TlsTestKit.LOCALHOST.certificateChain()).applicationProtocols("a", "b", "c").build());
        try (alpnServer; alpnClient) {
            Listener listener = alpnServer.listen(ANY_LOOPBACK_PORT, connection -> new TlsTestKit.Echo());
            TlsConnection connection = (TlsConnection) alpnClient.connect(listener.localAddress(),
                    new TlsTestKit.Recorder()).get(10, TimeUnit.SECONDS);
            assertEquals("c", connection.applicationProtocol().orElseThrow());
        }
    }

    @Test
    void shutdownOutputSendsCloseNotifyWhichThePeerSeesAsReadShutdown() throws Exception {
        TlsTestKit.Recorder serverSide = new TlsTestKit.Recorder(false);
        Listener listener = server.listen(ANY_LOOPBACK_PORT, connection -> serverSide);
        TlsTestKit.Recorder clientSide = new TlsTestKit.Recorder();
        Connection connection = client.connect(listener.localAddress(), clientSide).get(10, TimeUnit.SECONDS);

        connection.write(ByteBuffer.wrap("last words".getBytes(StandardCharsets.US_ASCII)), WriteCallback.NONE);
        connection.shutdownOutput();
        serverSide.readShutdown.get(10, TimeUnit.SECONDS);
        assertEquals("last words", new String(serverSide.received(), StandardCharsets.US_ASCII));

        // TLS 1.3 half-close (RFC 8446 §6.1): the server may still answer before it closes.
        Connection serverConnection = serverSide.opened.get(10, TimeUnit.SECONDS);
        serverConnection.write(ByteBuffer.wrap("reply".getBytes(StandardCharsets.US_ASCII)), WriteCallback.NONE);
        serverConnection.close();
        clientSide.readShutdown.get(10, TimeUnit.SECONDS);
        assertEquals("reply", new String(clientSide.received(), StandardCharsets.US_ASCII));
        assertNull(clientSide.closed.get(10, TimeUnit.SECONDS), "a close after close_notify is graceful");
        assertNull(serverSide.closed.get(10, TimeUnit.SECONDS));
    }

    @Test
    void closeSendsCloseNotifyAndBothSidesCloseGracefully() throws Exception {
        TlsTestKit.Echo echo = new TlsTestKit.Echo();
        InetSocketAddress address = listen(echo);
        TlsTestKit.Recorder recorder = new TlsTestKit.Recorder();
        Connection connection = client.connect(address, recorder).get(10, TimeUnit.SECONDS);
        connection.close();
        assertNull(recorder.closed.get(10, TimeUnit.SECONDS));
        assertNull(echo.closed.get(10, TimeUnit.SECONDS), "the server saw close_notify, not a truncation");
    }

    @Test
    void idleConnectionsHoldNoRecordBuffers() throws Exception {
        TlsTestKit.Echo echo = new TlsTestKit.Echo();
        InetSocketAddress address = listen(echo);
        TlsTestKit.Recorder recorder = new TlsTestKit.Recorder();
        Connection connection = client.connect(address, recorder).get(10, TimeUnit.SECONDS);
        byte[] payload = new byte[100_000];
        connection.write(ByteBuffer.wrap(payload), WriteCallback.NONE);
        recorder.receive(payload.length).get(10, TimeUnit.SECONDS);

        TlsConnection clientSide = (TlsConnection) connection;
        TlsConnection serverSide = (TlsConnection) echo.opened.get(10, TimeUnit.SECONDS);
        // The last inner write callbacks may still be on their way; they come back within moments.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((TlsTestKit.onConnectionThread(clientSide, clientSide::heldBuffers) != 0
                || TlsTestKit.onConnectionThread(serverSide, serverSide::heldBuffers) != 0)
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, TlsTestKit.onConnectionThread(clientSide, clientSide::heldBuffers));
        assertEquals(0, TlsTestKit.onConnectionThread(serverSide, serverSide::heldBuffers));
        assertTrue(server.pool().available() > 0, "the buffers went back to the pool");
    }

    @Test
    void aFailedConnectFailsTheFutureWithTheHandshakeError() throws Exception {
        // A client trusting another certificate: the server's is not trusted, so the handshake fails.
        TlsTransport distrusting = new TlsTransport(TlsTestKit.nio(), TlsConfig.forClient(
                SelfSignedCertificate.forLocalhost().certificateChain()).build());
        try (distrusting) {
            InetSocketAddress address = listen(new TlsTestKit.Echo());
            TlsTestKit.Recorder recorder = new TlsTestKit.Recorder();
            Throwable failure = distrusting.connect(address, recorder).handle((c, e) -> e).get(10, TimeUnit.SECONDS);
            assertInstanceOf(javax.net.ssl.SSLHandshakeException.class, failure);
            assertTrue(!recorder.opened.isDone(), "the handler never saw the connection");
        }
    }
}
