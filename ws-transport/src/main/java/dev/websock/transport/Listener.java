package dev.websock.transport;

import java.net.SocketAddress;

/** A bound listening endpoint. Closing it stops accepting; connections already accepted stay open. */
public interface Listener extends AutoCloseable {

    /** The address actually bound (with the real port when port 0 was asked for). */
    SocketAddress localAddress();

    /** Stops accepting and releases the address. Idempotent. */
    @Override
    void close();
}
