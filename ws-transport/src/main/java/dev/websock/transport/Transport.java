package dev.websock.transport;

import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A running transport: the threads and resources that move bytes for its listeners and connections.
 *
 * <p>All methods are thread-safe.
 */
public interface Transport extends AutoCloseable {

    /**
     * Binds a listener at {@code address}; each accepted connection is handed to {@code acceptor} on its
     * connection thread, and the handler that {@code acceptor} returns then receives
     * {@link ConnectionHandler#onOpen onOpen} and every later callback.
     *
     * @param address where to listen; for socket transports an {@link java.net.InetSocketAddress} (port 0
     *                picks a free port, see {@link Listener#localAddress()})
     * @throws IOException when the address cannot be bound (in use, not local, wrong address type)
     */
    Listener listen(SocketAddress address, Acceptor acceptor) throws IOException;

    /**
     * Opens a connection to {@code remote}. On success {@code handler} receives
     * {@link ConnectionHandler#onOpen onOpen} on the connection thread and the future completes with the
     * connection; on failure the future completes exceptionally and the handler is not called.
     */
    CompletableFuture<Connection> connect(SocketAddress remote, ConnectionHandler handler);

    /**
     * Shuts down gracefully: stops accepting at once, lets open connections finish for up to {@code grace},
     * then aborts the rest and releases the threads. The future completes when everything is released.
     * Calling it again returns the same future.
     */
    CompletableFuture<Void> shutdown(Duration grace);

    /**
     * The options this transport runs with. A layer over another transport (TLS) reports the inner one's and
     * applies its water marks to what it queues itself.
     */
    TransportOptions options();

    /** Shuts down with no grace period and waits until everything is released. */
    @Override
    void close();
}
