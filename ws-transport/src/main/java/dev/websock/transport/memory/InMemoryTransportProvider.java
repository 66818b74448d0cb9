package dev.websock.transport.memory;

import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.TransportProvider;

/**
 * The {@code "memory"} provider: connected pairs inside one JVM, with no sockets. Transports it opens cut
 * reads with {@link Chunking#whole()}; build an {@link InMemoryTransport} directly to choose the cutting.
 */
public final class InMemoryTransportProvider implements TransportProvider {

    /** The provider's name, {@value}. */
    public static final String NAME = "memory";

    public InMemoryTransportProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Transport open(TransportOptions options) {
        return new InMemoryTransport(options, Chunking.whole());
    }
}
