/**
 * A pluggable transport of byte streams with backpressure; knows nothing of WebSocket.
 *
 * <p>{@code dev.websock.transport} is the SPI; each implementation package is exported too, so that it can
 * be built directly by constructor. Providers are declared for {@link java.util.ServiceLoader} here and, for
 * OSGi, as Declarative Services components in the bundle.
 */
module dev.websock.transport {
    exports dev.websock.transport;
    exports dev.websock.transport.epoll;
    exports dev.websock.transport.memory;
    exports dev.websock.transport.nio;
    exports dev.websock.transport.tls;
    exports dev.websock.transport.virtual;

    uses dev.websock.transport.TransportProvider;

    provides dev.websock.transport.TransportProvider with
            dev.websock.transport.nio.NioTransportProvider,
            dev.websock.transport.epoll.EpollTransportProvider,
            dev.websock.transport.memory.InMemoryTransportProvider,
            dev.websock.transport.virtual.VirtualThreadTransportProvider;
}
