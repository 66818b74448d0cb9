package dev.websock.transport.virtual;

import dev.websock.transport.Acceptor;
import dev.websock.transport.Listener;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** A bound server socket and the virtual thread that accepts on it, blocking in {@code accept()}. */
final class VirtualListener implements Listener {

    private static final System.Logger LOG = System.getLogger(VirtualListener.class.getName());

    private final VirtualThreadTransport transport;
    private final ServerSocketChannel channel;
    private final Acceptor acceptor;
    private final SocketAddress localAddress;
    private final Thread acceptThread;

    VirtualListener(VirtualThreadTransport transport, ServerSocketChannel channel, Acceptor acceptor)
            throws IOException {
        this.transport = transport;
        this.channel = channel;
        this.acceptor = acceptor;
        this.localAddress = channel.getLocalAddress();
        this.acceptThread = Thread.ofVirtual().name("websock-vt-accept " + localAddress).unstarted(this::acceptLoop);
    }

    void start() {
        acceptThread.start();
    }

    private void acceptLoop() {
        while (channel.isOpen()) {
            SocketChannel socket;
            try {
                socket = channel.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // Out of descriptors, most often: keep the listener, and let closed connections free some.
                LOG.log(System.Logger.Level.WARNING, "accept at " + localAddress + " failed; retrying in 10 ms", e);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException interrupted) {
                    return;
                }
                continue;
            }
            transport.accepted(socket, acceptor);
        }
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the listener at " + localAddress + " failed", e);
        }
        transport.unbind(this);
    }
}
