package dev.websock.transport.memory;

import dev.websock.transport.Acceptor;
import dev.websock.transport.Listener;
import java.net.SocketAddress;

/** A name bound in one {@link InMemoryTransport}, with the acceptor for connections to it. */
record InMemoryListener(InMemoryTransport transport, InMemoryAddress address, Acceptor acceptor) implements Listener {

    @Override
    public SocketAddress localAddress() {
        return address;
    }

    @Override
    public void close() {
        transport.unbind(this);
    }
}
