package dev.websock.transport;

/**
 * A kind of transport (NIO, virtual threads, in-memory, …) that opens {@link Transport} instances.
 *
 * <p>Providers are found with {@link java.util.ServiceLoader} (see {@link Transports}), can be built directly
 * by their public constructor, and are registered as OSGi services by the bundle that contains them. A
 * provider holds no resources; each {@link #open} starts a transport that owns threads and must be closed.
 */
public interface TransportProvider {

    /** A short, stable name that selects this provider, such as {@code "nio"}. */
    String name();

    /**
     * Starts a transport configured by {@code options}.
     *
     * @throws java.io.UncheckedIOException when the transport cannot acquire what it needs (a selector)
     */
    Transport open(TransportOptions options);
}
