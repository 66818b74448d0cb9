package dev.websock.transport.epoll;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.websock.transport.Connection;
import dev.websock.transport.ConnectionHandler;
import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.WriteCallback;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gathering write ({@link EpollWriter}) sends every queued buffer whole, in order, at its own place in the
 * stream: bursts of buffers written in one callback, recycled once written (as the TLS layer recycles its record
 * buffers), heap ones staged and direct ones by address. The first test is the sequence that caught a C2-compiled
 * {@code writeTo} sending the second of two large heap buffers in the place of the first (TLS clients saw
 * {@code bad_record_mac}): thousands of small bursts on one connection, then large ones on the next.
 */
class EpollWriterTest {

    private static final int[] SMALL = {133, 6, 106};
    private static final int[] LARGE = {196, 16405, 16405, 16405, 16405};
    /** Negative sizes are direct buffers: by address between staged ones, and small direct ones staged. */
    private static final int[] MIXED = {196, 16405, -4096, 16405, 100, -16405, -300, 5000};

    private Transport transport;
    private InetSocketAddress address;

    /** The byte at {@code offset} of every connection's stream. */
    private static byte at(long offset) {
        long x = offset * 0x9E3779B97F4A7C15L;
        return (byte) (x >>> 56 ^ x >>> 29);
    }

    /** For each request byte (0 small, 1 large, 2 mixed), writes that burst of the stream, one write per buffer. */
    private static final class Burster implements ConnectionHandler {
        private final ArrayDeque<ByteBuffer> heap = new ArrayDeque<>();
        private final ArrayDeque<ByteBuffer> direct = new ArrayDeque<>();
        private long offset;

        @Override
        public void onRead(Connection connection, ByteBuffer data) {
            while (data.hasRemaining()) {
                for (int size : burst(data.get())) {
                    ArrayDeque<ByteBuffer> pool = size < 0 ? direct : heap;
                    ByteBuffer buffer = pool.pollFirst();
                    if (buffer == null) {
                        buffer = size < 0 ? ByteBuffer.allocateDirect(16709) : ByteBuffer.allocate(16709);
                    }
                    buffer.clear();
                    for (int i = 0; i < Math.abs(size); i++) {
                        buffer.put(at(offset++));
                    }
                    ByteBuffer written = buffer.flip();
                    connection.write(written, new WriteCallback() {
                        @Override
                        public void completed(Connection c) {
                            pool.addLast(written); // reused by a later burst, as TLS reuses record buffers
                        }

                        @Override
                        public void failed(Connection c, Throwable cause) {
                        }
                    });
                }
            }
        }
    }

    private static int[] burst(int kind) {
        return kind == 0 ? SMALL : kind == 1 ? LARGE : MIXED;
    }

    @BeforeEach
    void listen() throws Exception {
        assumeTrue(EpollTransportProvider.isAvailable(), EpollTransportProvider.unavailableReason());
        transport = new EpollTransportProvider().open(TransportOptions.builder().threads(1).build());
        address = (InetSocketAddress) transport.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                connection -> new Burster()).localAddress();
    }

    @AfterEach
    void close() {
        if (transport != null) {
            transport.close();
        }
    }

    /** Opens a connection, asks for {@code rounds} bursts of {@code kind} one after the other, checks every byte. */
    private void requestBursts(int kind, int rounds) throws Exception {
        int expected = 0;
        for (int size : burst(kind)) {
            expected += Math.abs(size);
        }
        byte[] received = new byte[expected];
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            long offset = 0;
            for (int round = 0; round < rounds; round++) {
                out.write(kind);
                int got = in.readNBytes(received, 0, expected);
                if (got < expected) {
                    throw new AssertionError("the stream ended " + got + " bytes into burst " + round);
                }
                for (int i = 0; i < expected; i++) {
                    if (received[i] != at(offset + i)) {
                        throw new AssertionError("burst " + round + " of kind " + kind + ": stream offset "
                                + (offset + i) + " holds the bytes of offset " + find(received, i, offset)
                                + " (a buffer sent in another's place)");
                    }
                }
                offset += expected;
            }
        }
    }

    /** Where in the stream the 16 bytes at {@code received[i]} belong, or -1. */
    private static long find(byte[] received, int i, long offset) {
        int length = Math.min(16, received.length - i);
        for (long q = 0; q < offset + 4 * received.length; q++) {
            boolean match = true;
            for (int z = 0; z < length && match; z++) {
                match = received[i + z] == at(q + z);
            }
            if (match) {
                return q;
            }
        }
        return -1;
    }

    @Test
    void largeHeapBuffersAfterManySmallWritesGoOutWholeAndInOrder() throws Exception {
        for (int i = 0; i < 3; i++) {
            requestBursts(0, 20_000); // thousands of small staged writes: C2 compiles writeTo for them
            requestBursts(1, 300);    // then records the size of TLS's, several queued at once
        }
    }

    @Test
    void directBuffersBetweenStagedOnesKeepTheirPlace() throws Exception {
        requestBursts(0, 20_000);
        requestBursts(2, 500);
        requestBursts(1, 100);
    }
}
