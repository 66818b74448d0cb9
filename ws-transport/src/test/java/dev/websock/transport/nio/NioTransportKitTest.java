package dev.websock.transport.nio;

import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.kit.TransportKit;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** The transport kit against the NIO event loops over loopback TCP. */
class NioTransportKitTest extends TransportKit {

    @Override
    protected Transport open(TransportOptions options) {
        return new NioTransportProvider().open(options);
    }

    @Override
    protected SocketAddress listenAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }
}
