package dev.websock.transport.virtual;

import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.kit.TransportKit;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** The transport kit against blocking sockets on virtual threads. */
class VirtualThreadTransportKitTest extends TransportKit {

    @Override
    protected Transport open(TransportOptions options) {
        return new VirtualThreadTransportProvider().open(options);
    }

    @Override
    protected SocketAddress listenAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }
}
