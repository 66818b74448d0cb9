package dev.websock.transport.virtual;

import dev.websock.transport.Acceptor;
import dev.websock.transport.Listener;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/** A bound server socket and the virtual thread that accepts on it, blocking in {@code accept()}. */
final class VirtualListener implements Listener {

    private static final System.Logger LOG = System.getLogger(VirtualListener.class.getName());

    /** How long {@link #close()} waits for the accept thread, which only has to wake and return. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

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

    /**
     * Closes the channel and waits for the accept thread to end: the JDK closes the descriptor of a channel that a
     * virtual thread is blocked accepting on only when that thread wakes and leaves {@code accept}, so until then
     * the kernel still completes connections to the address. Not from the accept thread itself (an acceptor that
     * closes its listener), which is not in {@code accept} then, so the descriptor closes at once.
     */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the listener at " + localAddress + " failed", e);
        }
        if (Thread.currentThread() != acceptThread) {
            try {
                if (!acceptThread.join(CLOSE_WAIT)) {
                    LOG.log(System.Logger.Level.WARNING, "the accept thread of " + localAddress + " did not end within "
                            + CLOSE_WAIT + " of closing; the address may stay bound until it does");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        transport.unbind(this);
    }
}
