package dev.websock.transport.tls;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.epoll.EpollTransportProvider;
import dev.websock.transport.kit.TransportKit;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The transport kit against TLS over the epoll event loops, as {@link TlsOverNioTransportKitTest} does over NIO:
 * a TLS connection must behave like any other connection. Two kit tests are left out ({@link KitTestsNotForTls}).
 */
@ExtendWith(KitTestsNotForTls.class)
class TlsOverEpollTransportKitTest extends TransportKit {
    private static final TlsConfig CONFIG = TlsConfig.forServer(TlsTestKit.LOCALHOST)
            .trust(TlsTestKit.LOCALHOST.certificateChain())
            .handshakeTimeout(TlsOverInMemoryTransportKitTest.KIT_HANDSHAKE_TIMEOUT).build();

    @BeforeAll
    static void epollIsAvailable() {
        assumeTrue(EpollTransportProvider.isAvailable(), EpollTransportProvider::unavailableReason);
    }

    @Override
    protected Transport open(TransportOptions options) {
        return new EpollTransportProvider().open(options);
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
