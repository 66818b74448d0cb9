package dev.websock.transport.tls;

import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.kit.TransportKit;
import dev.websock.transport.memory.Chunking;
import dev.websock.transport.memory.InMemoryAddress;
import dev.websock.transport.memory.InMemoryTransport;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The transport kit against TLS over in-memory pairs whose reads are cut at random, 1 to 1500 bytes: records
 * split across reads and several records per read, in every test. In-memory addresses have no host name, so
 * host name verification is off; the certificate is still verified against the trusted one.
 * Two kit tests are left out ({@link KitTestsNotForTls}).
 */
@ExtendWith(KitTestsNotForTls.class)
class TlsOverInMemoryTransportKitTest extends TransportKit {
    /**
     * Some kit tests open hundreds of connections at once, and as many handshakes take seconds on two cores:
     * the default 10 s timeout is about silent peers, not this.
     */
    static final Duration KIT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicLong NAMES = new AtomicLong();
    private static final TlsConfig CONFIG = TlsConfig.forServer(TlsTestKit.LOCALHOST)
            .trust(TlsTestKit.LOCALHOST.certificateChain())
            .handshakeTimeout(KIT_HANDSHAKE_TIMEOUT).verifyHostname(false).build();

    @Override
    protected Transport open(TransportOptions options) {
        return new InMemoryTransport(options, Chunking.random(1, 1500, 8446));
    }

    @Override
    protected Transport wrap(Transport plain) {
        return new TlsTransport(plain, CONFIG);
    }

    @Override
    protected SocketAddress listenAddress() {
        return new InMemoryAddress("tls-kit-" + NAMES.incrementAndGet());
    }
}
