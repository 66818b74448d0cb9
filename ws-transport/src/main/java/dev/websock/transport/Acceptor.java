package dev.websock.transport;

/**
 * Chooses the handler for a newly accepted connection. Called on the new connection's thread, before any
 * callback of the handler it returns.
 */
@FunctionalInterface
public interface Acceptor {

    /**
     * Returns the handler for {@code connection}, never {@code null}. To refuse a connection (too many open,
     * an address not allowed), return a handler and call {@link Connection#abort()} or
     * {@link Connection#close()}; the handler then receives only {@code onOpen} and {@code onClosed}.
     */
    ConnectionHandler accept(Connection connection);
}
