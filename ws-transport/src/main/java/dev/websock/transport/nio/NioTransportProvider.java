package dev.websock.transport.nio;

import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.TransportProvider;

/**
 * The NIO event-loop transport, the default: non-blocking sockets on {@code threads} event loops, one
 * {@link java.nio.channels.Selector} and one shared read buffer per loop, gathering writes, and no
 * allocation per read or write once warm.
 *
 * <p>Found by {@link java.util.ServiceLoader} under the name {@code "nio"}, registered as an OSGi service by
 * the bundle, or built directly: {@code new NioTransportProvider().open(TransportOptions.defaults())}.
 */
public final class NioTransportProvider implements TransportProvider {

    /** The provider's {@link #name()}. */
    public static final String NAME = "nio";

    public NioTransportProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Transport open(TransportOptions options) {
        return new NioTransport(options);
    }
}
