package dev.websock.transport.epoll;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.kit.TransportKit;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;

/**
 * The transport kit against epoll event loops that poll without blocking for a while after each I/O: tasks handed
 * over from other threads, timers, backpressure and closing must work the same while a loop polls.
 */
class EpollBusyPollTransportKitTest extends TransportKit {

    @BeforeAll
    static void epollIsAvailable() {
        assumeTrue(EpollTransportProvider.isAvailable(), EpollTransportProvider::unavailableReason);
    }

    @Override
    protected Transport open(TransportOptions options) {
        return new EpollTransportProvider().open(options.toBuilder().busyPoll(Duration.ofMillis(2)).build());
    }

    @Override
    protected SocketAddress listenAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }
}
