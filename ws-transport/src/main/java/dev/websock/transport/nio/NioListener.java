package dev.websock.transport.nio;

import dev.websock.transport.Acceptor;
import dev.websock.transport.Listener;
import dev.websock.transport.tasks.ScheduledTask;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * A listening socket registered with one event loop; it spreads the connections it accepts over all loops.
 */
final class NioListener implements Listener {
    private static final System.Logger LOG = System.getLogger(NioListener.class.getName());
    /** Accepts per readiness event, so that a connection storm cannot starve the loop's other work. */
    private static final int MAX_ACCEPTS_PER_EVENT = 64;
    /** How long accepting pauses when the process is out of file descriptors. */
    private static final long ACCEPT_BACKOFF_MILLIS = 100;

    private final NioTransport transport;
    private final EventLoop loop;
    private final ServerSocketChannel server;
    private final Acceptor acceptor;
    private final SocketAddress localAddress;
    private SelectionKey key;
    private volatile boolean closed;

    NioListener(NioTransport transport, EventLoop loop, ServerSocketChannel server, Acceptor acceptor)
            throws IOException {
        this.transport = transport;
        this.loop = loop;
        this.server = server;
        this.acceptor = acceptor;
        this.localAddress = server.getLocalAddress();
    }

    /** Registers for accepting; loop thread only. */
    void register() {
        if (closed || loop.isStopped()) {
            closeNow(); // the loop ended before it could register the listener
            return;
        }
        try {
            key = loop.register(server, SelectionKey.OP_ACCEPT, this);
        } catch (IOException e) {
            LOG.log(Level.ERROR, "the listener at " + localAddress + " could not be registered; it is closed", e);
            closeNow();
        }
    }

    void acceptReady() {
        for (int i = 0; i < MAX_ACCEPTS_PER_EVENT && !closed; i++) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                // Typically "Too many open files": the pending connection stays in the backlog. Pausing keeps
                // the loop from spinning on a listener that is always ready but cannot be served.
                LOG.log(Level.WARNING, "accepting at " + localAddress + " failed (" + e.getMessage()
                        + "); accepting pauses for " + ACCEPT_BACKOFF_MILLIS + " ms");
                pauseAccepting();
                return;
            }
            if (channel == null) {
                return;
            }
            EventLoop target = transport.nextLoop();
            if (target == loop) {
                target.adopt(channel, acceptor);
                target.flushDirty();
            } else {
                target.execute(() -> target.adopt(channel, acceptor));
            }
        }
    }

    private void pauseAccepting() {
        key.interestOps(0);
        loop.schedule(new ScheduledTask(loop.timers(), null,
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ACCEPT_BACKOFF_MILLIS), () -> {
                    if (!closed && key.isValid()) {
                        key.interestOps(SelectionKey.OP_ACCEPT);
                    }
                }));
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        loop.execute(this::closeNow);
        transport.listenerClosed(this);
    }

    /** Closes the socket; loop thread only. */
    void closeNow() {
        closed = true;
        if (key != null) {
            key.cancel();
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the listener at " + localAddress + " failed", e);
        }
    }

    @Override
    public String toString() {
        return "NioListener[" + localAddress + "]";
    }
}
