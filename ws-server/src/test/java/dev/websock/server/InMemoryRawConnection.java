package dev.websock.server;

import dev.websock.transport.Connection;
import dev.websock.transport.ConnectionHandler;
import dev.websock.transport.Transport;
import dev.websock.transport.WriteCallback;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The client end of a connection over a test's transport (the in-memory one), as blocking streams, so that
 * {@link RawClient} speaks raw frames over it exactly as over a socket. Bytes the server sends are taken from
 * the transport as they arrive (unless {@linkplain #pauseReading() paused}) and wait in a queue for the test.
 */
final class InMemoryRawConnection implements ConnectionHandler {
    private static final byte[] END = new byte[0];

    private final LinkedBlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private volatile Connection connection;

    private InMemoryRawConnection() {
    }

    /** Connects to {@code address} over {@code transport} and wraps the client end in a {@link RawClient}. */
    static RawClient connect(Transport transport, SocketAddress address) throws IOException {
        InMemoryRawConnection handler = new InMemoryRawConnection();
        try {
            handler.connection = transport.connect(address, handler).get(RawClient.READ_TIMEOUT_MILLIS,
                    TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IOException("could not connect to " + address + " over " + transport, e);
        }
        Connection connection = handler.connection;
        return new RawClient(handler.new In(), handler.new Out(), connection::close, connection::pauseReading,
                connection::resumeReading).unsent(connection::queuedBytes);
    }

    @Override
    public void onRead(Connection connection, ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        arrived.add(bytes);
    }

    @Override
    public void onReadShutdown(Connection connection) {
        arrived.add(END); // the server's FIN; our side stays open until the test closes it, as a socket's would
    }

    @Override
    public void onClosed(Connection connection, Throwable cause) {
        arrived.add(cause == null ? END : cause);
    }

    private final class In extends InputStream {
        private byte[] current = new byte[0];
        private int index;
        private Object ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (index == current.length) {
                if (ended != null) {
                    return end();
                }
                Object next;
                try {
                    next = arrived.poll(RawClient.READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                if (next == null) {
                    throw new SocketTimeoutException("nothing from the server in " + RawClient.READ_TIMEOUT_MILLIS + " ms");
                }
                if (next == END || next instanceof Throwable) {
                    ended = next;
                } else {
                    current = (byte[]) next;
                    index = 0;
                }
            }
            int n = Math.min(len, current.length - index);
            System.arraycopy(current, index, b, off, n);
            index += n;
            return n;
        }

        private int end() throws IOException {
            if (ended instanceof Throwable cause) {
                throw new IOException("connection reset: " + cause, cause);
            }
            return -1;
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            connection.write(ByteBuffer.wrap(Arrays.copyOfRange(b, off, off + len)), WriteCallback.NONE);
        }
    }
}
