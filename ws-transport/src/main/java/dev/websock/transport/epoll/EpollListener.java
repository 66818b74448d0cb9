package dev.websock.transport.epoll;

import dev.websock.transport.Acceptor;
import dev.websock.transport.Listener;
import dev.websock.transport.tasks.ScheduledTask;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A listening socket watched (edge-triggered) by one event loop; it spreads the connections it accepts over all
 * loops. It accepts until accept4(2) says EAGAIN, up to {@link #MAX_ACCEPTS_PER_TURN} per turn of the loop, and
 * comes back on the next turn when more may be pending, since the edge that announced them will not come again.
 */
final class EpollListener implements Listener {
    private static final System.Logger LOG = System.getLogger(EpollListener.class.getName());
    /** Accepts per turn of the loop, so that a connection storm cannot starve the loop's other work. */
    private static final int MAX_ACCEPTS_PER_TURN = 64;
    /** How long accepting pauses when the process (or system) is out of descriptors or memory. */
    private static final long ACCEPT_BACKOFF_MILLIS = 100;

    final int fd;
    /** The generation of its registration with the loop; loop thread only. */
    int generation;
    private final EpollTransport transport;
    private final EpollEventLoop loop;
    private final Acceptor acceptor;
    private final SocketAddress localAddress;
    private final Runnable acceptAgain = this::acceptReady;
    /** Accepting pauses after running out of descriptors; loop thread only. */
    private boolean backingOff;
    /** Whether the current run of failures has been logged; loop thread only. */
    private boolean failureLogged;
    /** Whether the descriptor has been closed; loop thread only. */
    private boolean released;
    private volatile boolean closed;

    EpollListener(EpollTransport transport, EpollEventLoop loop, int fd, SocketAddress localAddress,
            Acceptor acceptor) {
        this.transport = transport;
        this.loop = loop;
        this.fd = fd;
        this.localAddress = localAddress;
        this.acceptor = acceptor;
    }

    /** Starts accepting; loop thread only. */
    void register() {
        if (closed || loop.isStopped()) {
            closeNow(); // the loop ended before it could register the listener
            return;
        }
        try {
            loop.register(this);
        } catch (IOException e) {
            LOG.log(Level.ERROR, "the listener at " + localAddress + " could not be registered; it is closed", e);
            closeNow();
        }
    }

    void acceptReady() {
        if (backingOff) {
            return; // the back-off timer accepts again
        }
        for (int i = 0; i < MAX_ACCEPTS_PER_TURN && !closed; i++) {
            int accepted = loop.sys.accept(fd);
            if (accepted < 0) {
                int errno = -accepted;
                switch (errno) {
                    case Errno.EAGAIN:
                        failureLogged = false;
                        return;
                    case Errno.ECONNABORTED, Errno.EPERM, Errno.EINTR:
                        continue; // that connection is gone (accept(2)); others may be pending
                    case Errno.ENETDOWN, Errno.EPROTO, Errno.ENOPROTOOPT, Errno.EHOSTDOWN, Errno.ENONET,
                            Errno.EHOSTUNREACH, Errno.EOPNOTSUPP, Errno.ENETUNREACH:
                        // accept(2): Linux passes a pending network error of the new connection on to accept;
                        // for TCP these are to be treated like EAGAIN, by retrying.
                        continue;
                    case Errno.EMFILE, Errno.ENFILE, Errno.ENOBUFS, Errno.ENOMEM:
                        backOff(errno);
                        return;
                    default:
                        LOG.log(Level.ERROR, "accepting at " + localAddress + " failed: "
                                + Errno.exception("accept4", errno).getMessage() + "; the listener is closed");
                        close();
                        return;
                }
            }
            failureLogged = false;
            EpollEventLoop target = transport.nextLoop();
            if (target == loop) {
                target.adopt(accepted, acceptor);
                target.flushDirty();
            } else {
                target.execute(() -> target.adopt(accepted, acceptor));
            }
        }
        if (!closed) {
            loop.execute(acceptAgain); // more may be pending, and no new edge will say so
        }
    }

    /**
     * Out of descriptors: the pending connections stay in the backlog, and accepting pauses instead of spinning
     * on a listener that is always ready but cannot be served. Logged once per run of failures.
     */
    private void backOff(int errno) {
        if (!failureLogged) {
            failureLogged = true;
            LOG.log(Level.WARNING, "accepting at " + localAddress + " failed ("
                    + Errno.exception("accept4", errno).getMessage() + "); accepting pauses for "
                    + ACCEPT_BACKOFF_MILLIS + " ms at a time until it succeeds; raise the descriptor limit"
                    + " (ulimit -n) or lower the load");
        }
        backingOff = true;
        loop.schedule(new ScheduledTask(loop.timers(), null,
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ACCEPT_BACKOFF_MILLIS), () -> {
                    backingOff = false;
                    if (!closed) {
                        acceptReady();
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
        if (released) {
            return;
        }
        released = true;
        loop.deregister(this);
        loop.sys.close(fd);
    }

    @Override
    public String toString() {
        return "EpollListener[" + localAddress + "]";
    }
}
