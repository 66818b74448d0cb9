package dev.websock.transport.tls;

import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.kit.TransportKit;
import dev.websock.transport.nio.NioTransportProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The transport kit against TLS over the NIO event loops: a TLS connection must behave like any other
 * connection. The transport listens and connects, so it presents the development certificate and trusts it,
 * with host name verification against the loopback address in the certificate.
 * Two kit tests are left out ({@link KitTestsNotForTls}).
 */
@ExtendWith(KitTestsNotForTls.class)
class TlsOverNioTransportKitTest extends TransportKit {
    private static final TlsConfig CONFIG = TlsConfig.forServer(TlsTestKit.LOCALHOST)
            .trust(TlsTestKit.LOCALHOST.certificateChain())
            .handshakeTimeout(TlsOverInMemoryTransportKitTest.KIT_HANDSHAKE_TIMEOUT).build();

    @Override
    protected Transport open(TransportOptions options) {
        return new NioTransportProvider().open(options);
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
