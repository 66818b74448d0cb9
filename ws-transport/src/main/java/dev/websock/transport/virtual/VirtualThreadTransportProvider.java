package dev.websock.transport.virtual;

import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.TransportProvider;

/** The {@code "virtual"} provider: blocking sockets with virtual threads, see {@link VirtualThreadTransport}. */
public final class VirtualThreadTransportProvider implements TransportProvider {

    /** The provider's name, {@value}. */
    public static final String NAME = "virtual";

    public VirtualThreadTransportProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Transport open(TransportOptions options) {
        return new VirtualThreadTransport(options);
    }
}
