package dev.websock.transport.tls;

import static dev.websock.transport.tls.TlsTestKit.ANY_LOOPBACK_PORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.transport.Listener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A TlsTransport server over NIO against clients it did not write: the JDK's blocking {@link SSLSocket}, and
 * raw sockets sending ClientHellos it must refuse.
 */
class JdkSslSocketClientTest {
    private final TlsTransport server = TlsTestKit.nioServer();
    private InetSocketAddress address;

    @BeforeEach
    void listen() throws Exception {
        Listener listener = server.listen(ANY_LOOPBACK_PORT, connection -> new TlsTestKit.Echo());
        address = (InetSocketAddress) listener.localAddress();
    }

    @AfterEach
    void shutDown() {
        server.close();
    }

    private SSLSocket connect(String... protocols) throws Exception {
        SSLSocket socket = (SSLSocket) TlsTestKit.trustingSocketFactory().createSocket("localhost",
                address.getPort());
        socket.setSoTimeout(10_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(protocols);
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate's SAN must say localhost
        socket.setSSLParameters(parameters);
        return socket;
    }

    private static void assertEchoes(Socket socket, byte[] payload) throws IOException {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        out.write(payload);
        out.flush();
        assertArrayEquals(payload, in.readNBytes(payload.length));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void jdkClientNegotiatesTheProtocolAndGetsItsBytesEchoed(String protocol) throws Exception {
        try (SSLSocket socket = connect(protocol)) {
            socket.startHandshake();
            assertEquals(protocol, socket.getSession().getProtocol());
            byte[] payload = new byte[200_000];
            new Random(1).nextBytes(payload);
            assertEchoes(socket, payload);
        }
    }

    @Test
    void jdkClientsCloseNotifyEndsTheConnectionCleanly() throws Exception {
        try (SSLSocket socket = connect("TLSv1.3")) {
            assertEchoes(socket, "ping".getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput(); // close_notify; the echo handler then closes with its own
            assertEquals(-1, socket.getInputStream().read(), "the server answered with close_notify");
        }
    }

    @Test
    void tls12RenegotiationIsRefusedAndOtherConnectionsCarryOn() throws Exception {
        try (SSLSocket bystander = connect("TLSv1.3"); SSLSocket socket = connect("TLSv1.2")) {
            assertEchoes(bystander, "before".getBytes(StandardCharsets.US_ASCII));
            assertEchoes(socket, "first handshake".getBytes(StandardCharsets.US_ASCII));
            // A second startHandshake on a TLS 1.2 socket sends a new ClientHello (RFC 5246 §7.4.1.2).
            assertThrows(IOException.class, () -> {
                socket.startHandshake();
                socket.getOutputStream().write(1);
                socket.getOutputStream().flush();
                if (socket.getInputStream().read() < 0) {
                    throw new IOException("closed by the server");
                }
            });
            assertEchoes(bystander, "after".getBytes(StandardCharsets.US_ASCII));
        }
    }

    /**
     * A ClientHello of an old protocol version that offers only CBC suites and no supported_versions
     * extension: what a TLS 1.0 or 1.1 client sends (RFC 2246 §7.4.1.2, RFC 4346 §7.4.1.2).
     */
    private static byte[] legacyClientHello(int minor) {
        ByteBuffer body = ByteBuffer.allocate(256);
        body.put((byte) 3).put((byte) minor);            // client_version
        body.put(new byte[32]);                           // random
        body.put((byte) 0);                               // session_id: empty
        body.putShort((short) 4).putShort((short) 0xc009).putShort((short) 0x002f); // cipher_suites
        body.put((byte) 1).put((byte) 0);                 // compression_methods: null
        body.flip();
        ByteBuffer record = ByteBuffer.allocate(9 + body.remaining());
        record.put((byte) 22).put((byte) 3).put((byte) minor).putShort((short) (4 + body.remaining()));
        record.put((byte) 1).put((byte) 0).putShort((short) body.remaining());
        record.put(body);
        return record.array();
    }

    /** Sends {@code bytes} on a plain socket and returns all the server sends back until it closes. */
    private byte[] sendRaw(byte[] bytes) throws IOException {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] chunk = new byte[1024];
            try {
                for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                    response.write(chunk, 0, n);
                }
            } catch (java.net.SocketException reset) {
                // A reset after the alert is a refusal too.
            }
            return response.toByteArray();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void tls10And11ClientHellosAreRefusedWithAFatalAlert(int minor) throws Exception {
        try (SSLSocket bystander = connect("TLSv1.3")) {
            assertEchoes(bystander, "before".getBytes(StandardCharsets.US_ASCII));
            byte[] response = sendRaw(legacyClientHello(minor));
            assertTrue(response.length >= 7, "the server answered before closing: " + response.length + " bytes");
            assertEquals(21, response[0], "an alert record (RFC 8446 §6)");
            assertEquals(2, response[5], "a fatal alert");
            assertAlertIs(response[6], 70, 40); // protocol_version or handshake_failure
            assertEchoes(bystander, "after".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void assertAlertIs(byte description, int... allowed) {
        for (int a : allowed) {
            if (description == a) {
                return;
            }
        }
        throw new AssertionError("alert description " + description);
    }

    @Test
    void anHttpRequestInsteadOfAClientHelloIsRefusedAndOtherConnectionsCarryOn() throws Exception {
        try (SSLSocket bystander = connect("TLSv1.3")) {
            assertEchoes(bystander, "before".getBytes(StandardCharsets.US_ASCII));
            byte[] response = sendRaw("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(response.length == 0 || response[0] == 21, "nothing or an alert, never data");
            assertEchoes(bystander, "after".getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void randomBytesInsteadOfAClientHelloAreRefusedAndOtherConnectionsCarryOn() throws Exception {
        try (SSLSocket bystander = connect("TLSv1.3")) {
            byte[] garbage = new byte[4096];
            new Random(3).nextBytes(garbage);
            garbage[0] = 22; // looks like a handshake record at first glance
            byte[] response = sendRaw(garbage);
            assertTrue(response.length == 0 || response[0] == 21, "nothing or an alert, never data");
            assertEchoes(bystander, "still here".getBytes(StandardCharsets.US_ASCII));
        }
    }
}
