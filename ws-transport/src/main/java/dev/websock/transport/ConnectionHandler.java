package dev.websock.transport;

import java.nio.ByteBuffer;

/**
 * Receives the events of one connection. Every method runs on the connection thread, one at a time (see the
 * package documentation), so an implementation needs no locks for its connection's state. A method that
 * throws aborts the connection, with the exception as the cause given to {@link #onClosed}.
 */
public interface ConnectionHandler {

    /** The connection is established; the first callback. Reading starts after it returns. */
    default void onOpen(Connection connection) {
    }

    /**
     * Bytes arrived. {@code data} is valid only during this call: the transport reuses it afterwards, so
     * bytes the handler needs later must be copied or consumed now. Bytes left unread in {@code data} are
     * dropped.
     */
    void onRead(Connection connection, ByteBuffer data);

    /**
     * The bytes waiting to be written fell to the low-water mark after the connection had been
     * {@linkplain Connection#isWritable() unwritable}: producing may resume.
     */
    default void onWritable(Connection connection) {
    }

    /**
     * The peer closed its sending side (end of stream). Writing is still possible. The default closes the
     * connection gracefully, which is what a request/response protocol with nothing left to say does.
     */
    default void onReadShutdown(Connection connection) {
        connection.close();
    }

    /**
     * The connection is closed and its resources released; the last callback, called exactly once.
     *
     * @param cause {@code null} after a graceful close from either side; otherwise what ended the connection:
     *              a {@link java.net.SocketException} for {@link Connection#abort()}, the {@link java.io.IOException}
     *              of a reset or failed socket, a {@link java.util.concurrent.TimeoutException} for a graceful close
     *              the peer did not finish, or the exception a callback of this handler threw
     */
    default void onClosed(Connection connection, Throwable cause) {
    }
}
