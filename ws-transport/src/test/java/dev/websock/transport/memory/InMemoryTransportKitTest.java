package dev.websock.transport.memory;

import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.kit.TransportKit;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/** The transport kit against in-memory pairs whose reads are cut at random, 1 to 1500 bytes. */
class InMemoryTransportKitTest extends TransportKit {

    private static final AtomicLong NAMES = new AtomicLong();

    @Override
    protected Transport open(TransportOptions options) {
        return new InMemoryTransport(options, Chunking.random(1, 1500, 6455));
    }

    @Override
    protected SocketAddress listenAddress() {
        return new InMemoryAddress("kit-" + NAMES.incrementAndGet());
    }
}
