package dev.websock.transport.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.transport.Connection;
import dev.websock.transport.Listener;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.WriteCallback;
import dev.websock.transport.memory.Chunking;
import dev.websock.transport.memory.InMemoryAddress;
import dev.websock.transport.memory.InMemoryTransport;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * TLS records against the reads that carry them (RFC 8446 §5.1: a record may be split over reads, and a read
 * may hold many records), over in-memory pairs that cut reads exactly as asked; and a stream that ends
 * without close_notify.
 */
class TlsRecordFramingTest {
    private static final TlsConfig CONFIG = TlsConfig.forServer(TlsTestKit.LOCALHOST)
            .trust(TlsTestKit.LOCALHOST.certificateChain()).verifyHostname(false).build();

    private static TlsTransport inMemory(Chunking chunking) {
        return new TlsTransport(new InMemoryTransport(TransportOptions.defaults(), chunking), CONFIG);
    }

    @Test
    void handshakeEchoAndCloseNotifyWorkWhenEveryReadCarriesOneByte() throws Exception {
        try (TlsTransport transport = inMemory(Chunking.fixed(1))) {
            TlsTestKit.Echo echo = new TlsTestKit.Echo();
            Listener listener = transport.listen(new InMemoryAddress("one-byte"), connection -> echo);
            TlsTestKit.Recorder recorder = new TlsTestKit.Recorder();
            Connection connection = transport.connect(listener.localAddress(), recorder).get(30, TimeUnit.SECONDS);
            byte[] payload = new byte[20_000]; // two records, each arriving in 16 KiB of one-byte reads
            new Random(11).nextBytes(payload);
            connection.write(ByteBuffer.wrap(payload), WriteCallback.NONE);
            assertArrayEquals(payload, recorder.receive(payload.length).get(30, TimeUnit.SECONDS));

            connection.close();
            assertNull(recorder.closed.get(30, TimeUnit.SECONDS));
            assertNull(echo.closed.get(30, TimeUnit.SECONDS), "close_notify arrived byte by byte, intact");
        }
    }

    @Test
    void manyRecordsInOneReadAreAllDecryptedAndDeliveredInOrder() throws Exception {
        try (TlsTransport transport = inMemory(Chunking.whole())) {
            TlsTestKit.Recorder serverSide = new TlsTestKit.Recorder();
            Listener listener = transport.listen(new InMemoryAddress("whole"), connection -> serverSide);
            Connection connection = transport.connect(listener.localAddress(), new TlsTestKit.Recorder())
                    .get(30, TimeUnit.SECONDS);
            // 300 small writes made in one callback become one record; made from here they are handed over one
            // by one and may become many small records that arrive together in one read.
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 300; i++) {
                String line = "record " + i + "\n";
                expected.append(line);
                connection.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)), WriteCallback.NONE);
            }
            byte[] big = new byte[60_000]; // four records, all in one 64 KiB read
            new Random(12).nextBytes(big);
            connection.write(ByteBuffer.wrap(big), WriteCallback.NONE);
            int total = expected.length() + big.length;
            byte[] received = serverSide.receive(total).get(30, TimeUnit.SECONDS);
            assertEquals(expected.toString(), new String(received, 0, expected.length(), StandardCharsets.US_ASCII));
            byte[] tail = java.util.Arrays.copyOfRange(received, expected.length(), total);
            assertArrayEquals(big, tail);
        }
    }

    @Test
    void randomCuttingsDeliverEveryByteInOrder() throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            try (TlsTransport transport = inMemory(Chunking.random(1, 40_000, seed))) {
                TlsTestKit.Echo echo = new TlsTestKit.Echo();
                Listener listener = transport.listen(new InMemoryAddress("random-" + seed), connection -> echo);
                TlsTestKit.Recorder recorder = new TlsTestKit.Recorder();
                Connection connection = transport.connect(listener.localAddress(), recorder).get(30, TimeUnit.SECONDS);
                byte[] payload = new byte[500_000];
                new Random(seed).nextBytes(payload);
                for (int offset = 0; offset < payload.length; offset += 7_777) {
                    connection.write(ByteBuffer.wrap(payload, offset, Math.min(7_777, payload.length - offset)),
                            WriteCallback.NONE);
                }
                assertArrayEquals(payload, recorder.receive(payload.length).get(30, TimeUnit.SECONDS), "seed " + seed);
            }
        }
    }

    @Test
    void aStreamThatEndsWithoutCloseNotifyClosesWithATruncationError() throws Exception {
        try (TlsTransport server = TlsTestKit.nioServer()) {
            TlsTestKit.Echo echo = new TlsTestKit.Echo();
            Listener listener = server.listen(TlsTestKit.ANY_LOOPBACK_PORT, connection -> echo);
            InetSocketAddress address = (InetSocketAddress) listener.localAddress();
            try (Socket plain = new Socket(address.getAddress(), address.getPort());
                    SSLSocket tls = (SSLSocket) TlsTestKit.trustingSocketFactory().createSocket(plain, "localhost",
                            address.getPort(), false)) {
                plain.setSoTimeout(10_000);
                tls.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                tls.getOutputStream().flush();
                assertEquals("ping", new String(tls.getInputStream().readNBytes(4), StandardCharsets.US_ASCII));
                plain.shutdownOutput(); // TCP FIN with no close_notify before it
                Throwable cause = echo.closed.get(10, TimeUnit.SECONDS);
                assertInstanceOf(SSLException.class, cause);
                assertTrue(cause.getMessage().contains("without a TLS close_notify"), cause.getMessage());
            }
        }
    }
}
