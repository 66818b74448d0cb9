package dev.websock.transport.epoll;

import dev.websock.transport.Acceptor;
import dev.websock.transport.Connection;
import dev.websock.transport.ConnectionHandler;
import dev.websock.transport.Listener;
import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The epoll transport: {@link TransportOptions#threads()} event loops, each a thread with one epoll instance;
 * connections are spread over the loops round robin and stay on theirs for life, as with NIO.
 *
 * <p>Built by {@link EpollTransportProvider#open}.
 */
final class EpollTransport implements Transport {
    private final TransportOptions options;
    private final EpollEventLoop[] loops;
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final AtomicInteger nextListenerLoop = new AtomicInteger();
    private final Set<EpollListener> listeners = ConcurrentHashMap.newKeySet();
    private volatile CompletableFuture<Void> shutdown;

    EpollTransport(TransportOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.loops = new EpollEventLoop[options.threads()];
        for (int i = 0; i < loops.length; i++) {
            try {
                loops[i] = new EpollEventLoop(this);
            } catch (RuntimeException | Error e) {
                for (int made = 0; made < i; made++) {
                    loops[made].discard(); // never started, so nothing else would release what it holds
                }
                throw e;
            }
        }
        for (EpollEventLoop loop : loops) {
            loop.start();
        }
    }

    @Override
    public TransportOptions options() {
        return options;
    }

    EpollEventLoop nextLoop() {
        return loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
    }

    @Override
    public Listener listen(SocketAddress address, Acceptor acceptor) throws IOException {
        Objects.requireNonNull(acceptor, "acceptor");
        if (!(address instanceof InetSocketAddress inet) || inet.isUnresolved()) {
            throw new IOException("the epoll transport listens on a resolved InetSocketAddress, not " + address);
        }
        if (shutdown != null) {
            throw new ClosedChannelException();
        }
        try (Arena arena = Arena.ofConfined()) {
            Syscalls sys = new Syscalls(arena);
            int fd = bound(sys, inet);
            try {
                EpollEventLoop loop = loops[Math.floorMod(nextListenerLoop.getAndIncrement(), loops.length)];
                EpollListener listener = new EpollListener(this, loop, fd, sys.localAddress(fd), acceptor);
                listeners.add(listener);
                loop.execute(listener::register);
                return listener;
            } catch (RuntimeException e) {
                sys.close(fd);
                throw e;
            }
        }
    }

    /**
     * A listening socket bound to {@code address}, with SO_REUSEADDR (a restarted server can bind while old
     * connections linger in TIME_WAIT) and the configured backlog. The IPv4 wildcard binds a dual-stack IPv6
     * socket where IPv6 exists, accepting both families as the JDK's own sockets do (ipv6(7): IPV6_V6ONLY off).
     */
    private int bound(Syscalls sys, InetSocketAddress address) throws IOException {
        if (Syscalls.isAnyLocalIpv4(address)) {
            int fd;
            try {
                fd = sys.socket(Syscalls.AF_INET6);
            } catch (IOException noIpv6) {
                fd = -1;
            }
            if (fd >= 0) {
                try {
                    sys.setIntOption(fd, Syscalls.IPPROTO_IPV6, Syscalls.IPV6_V6ONLY, 0);
                    return bindAndListen(sys, fd,
                            new InetSocketAddress(Inet6Address.getByAddress(null, new byte[16], 0), address.getPort()));
                } catch (IOException e) {
                    sys.close(fd);
                    throw e;
                }
            }
        }
        int fd = sys.socket(address.getAddress() instanceof Inet4Address ? Syscalls.AF_INET : Syscalls.AF_INET6);
        try {
            return bindAndListen(sys, fd, address);
        } catch (IOException e) {
            sys.close(fd);
            throw e;
        }
    }

    private int bindAndListen(Syscalls sys, int fd, InetSocketAddress address) throws IOException {
        sys.setIntOption(fd, Syscalls.SOL_SOCKET, Syscalls.SO_REUSEADDR, 1);
        sys.bind(fd, address);
        sys.listen(fd, options.backlog());
        return fd;
    }

    void listenerClosed(EpollListener listener) {
        listeners.remove(listener);
    }

    @Override
    public CompletableFuture<Connection> connect(SocketAddress remote, ConnectionHandler handler) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(handler, "handler");
        CompletableFuture<Connection> future = new CompletableFuture<>();
        if (!(remote instanceof InetSocketAddress inet) || inet.isUnresolved()) {
            future.completeExceptionally(new IOException(
                    "the epoll transport connects to a resolved InetSocketAddress, not " + remote));
            return future;
        }
        if (shutdown != null) {
            future.completeExceptionally(new ClosedChannelException());
            return future;
        }
        EpollEventLoop loop = nextLoop();
        loop.execute(() -> loop.connect(inet, handler, future));
        return future;
    }

    @Override
    public synchronized CompletableFuture<Void> shutdown(Duration grace) {
        if (shutdown == null) {
            for (EpollListener listener : listeners) {
                listener.close();
            }
            long deadline = System.nanoTime() + Math.max(0, grace.toNanos());
            CompletableFuture<?>[] terminated = new CompletableFuture<?>[loops.length];
            for (int i = 0; i < loops.length; i++) {
                loops[i].drain(deadline);
                terminated[i] = loops[i].terminated();
            }
            shutdown = CompletableFuture.allOf(terminated);
        }
        return shutdown;
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO).join();
    }

    /** Open connections over all loops; for tests and monitoring, racy while connections come and go. */
    int connectionCount() {
        int count = 0;
        for (EpollEventLoop loop : loops) {
            count += loop.connectionCount();
        }
        return count;
    }
}
