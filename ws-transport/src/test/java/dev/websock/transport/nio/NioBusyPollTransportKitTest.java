package dev.websock.transport.nio;

import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.kit.TransportKit;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;

/**
 * The transport kit against NIO event loops that poll without blocking for a while after each I/O: tasks handed
 * over from other threads, timers, backpressure and closing must work the same while a loop polls.
 */
class NioBusyPollTransportKitTest extends TransportKit {

    @Override
    protected Transport open(TransportOptions options) {
        return new NioTransportProvider().open(options.toBuilder().busyPoll(Duration.ofMillis(2)).build());
    }

    @Override
    protected SocketAddress listenAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }
}
