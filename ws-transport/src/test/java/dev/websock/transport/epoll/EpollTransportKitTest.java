package dev.websock.transport.epoll;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.kit.TransportKit;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.junit.jupiter.api.BeforeAll;

/** The transport kit against the epoll event loops over loopback TCP. */
class EpollTransportKitTest extends TransportKit {

    @BeforeAll
    static void epollIsAvailable() {
        assumeTrue(EpollTransportProvider.isAvailable(), EpollTransportProvider::unavailableReason);
    }

    @Override
    protected Transport open(TransportOptions options) {
        return new EpollTransportProvider().open(options);
    }

    @Override
    protected SocketAddress listenAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }
}
