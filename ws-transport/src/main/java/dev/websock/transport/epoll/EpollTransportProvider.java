package dev.websock.transport.epoll;

import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.TransportProvider;

/**
 * The Linux epoll transport: event loops like the NIO transport's, on sockets and an epoll instance driven
 * directly through the Foreign Function and Memory API. An idle connection costs one small object instead of the
 * JDK's socket channel, selection key, locks, descriptor object and cached addresses, and a read or a write is one
 * system call with no lock and no selected-key bookkeeping. It keeps the SPI contract exactly as NIO does.
 *
 * <p>It runs on Linux on x86-64 or aarch64 with native access granted to this module:
 * {@code --enable-native-access=dev.websock.transport} on the module path, {@code --enable-native-access=ALL-UNNAMED}
 * on the class path. Elsewhere {@link #isAvailable()} is false, {@link #unavailableReason()} says why, and
 * {@link #open} throws. NIO stays the default ({@link dev.websock.transport.Transports#DEFAULT}); choose this one
 * by name, {@code "epoll"}, or build it directly.
 *
 * <p>Unlike NIO's connections, an epoll connection keeps no copy of its addresses: {@code localAddress()} and
 * {@code remoteAddress()} ask the kernel each time, and return {@code null} once the connection has closed.
 */
public final class EpollTransportProvider implements TransportProvider {

    /** The provider's {@link #name()}. */
    public static final String NAME = "epoll";

    public EpollTransportProvider() {
    }

    /** Whether the transport can run here: Linux, x86-64 or aarch64, native access granted, epoll usable. */
    public static boolean isAvailable() {
        return Syscalls.unavailableReason() == null;
    }

    /** Why the transport cannot run here, as advice a person can act on; {@code null} when it can. */
    public static String unavailableReason() {
        return Syscalls.unavailableReason();
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * @throws UnsupportedOperationException when the transport cannot run here, with {@link #unavailableReason()}
     * @throws java.io.UncheckedIOException  when an epoll instance or eventfd cannot be created
     */
    @Override
    public Transport open(TransportOptions options) {
        String reason = unavailableReason();
        if (reason != null) {
            throw new UnsupportedOperationException(reason);
        }
        return new EpollTransport(options);
    }
}
