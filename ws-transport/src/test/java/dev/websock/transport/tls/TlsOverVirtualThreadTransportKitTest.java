package dev.websock.transport.tls;

import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.kit.TransportKit;
import dev.websock.transport.virtual.VirtualThreadTransportProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The transport kit against TLS over blocking sockets on virtual threads, whose connection thread is a
 * virtual thread rather than an event loop. Two kit tests are left out ({@link KitTestsNotForTls}).
 */
@ExtendWith(KitTestsNotForTls.class)
class TlsOverVirtualThreadTransportKitTest extends TransportKit {
    private static final TlsConfig CONFIG = TlsConfig.forServer(TlsTestKit.LOCALHOST)
            .trust(TlsTestKit.LOCALHOST.certificateChain())
            .handshakeTimeout(TlsOverInMemoryTransportKitTest.KIT_HANDSHAKE_TIMEOUT).build();

    @Override
    protected Transport open(TransportOptions options) {
        return new VirtualThreadTransportProvider().open(options);
    }

    @Override
    protected Transport wrap(Transport plain) {
        return new TlsTransport(plain, CONFIG);
    }

    @Override
    protected SocketAddress listenAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }
}
