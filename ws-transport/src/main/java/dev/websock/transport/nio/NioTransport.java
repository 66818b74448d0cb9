package dev.websock.transport.nio;

import dev.websock.transport.Acceptor;
import dev.websock.transport.Connection;
import dev.websock.transport.ConnectionHandler;
import dev.websock.transport.Listener;
import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The NIO event-loop transport: {@link TransportOptions#threads()} event loops, each a thread with one
 * selector; connections are spread over the loops round robin and stay on theirs for life.
 *
 * <p>Built by {@link NioTransportProvider#open}.
 */
final class NioTransport implements Transport {
    private final TransportOptions options;
    private final EventLoop[] loops;
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final AtomicInteger nextListenerLoop = new AtomicInteger();
    private final Set<NioListener> listeners = ConcurrentHashMap.newKeySet();
    private volatile CompletableFuture<Void> shutdown;

    NioTransport(TransportOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.loops = new EventLoop[options.threads()];
        for (int i = 0; i < loops.length; i++) {
            try {
                loops[i] = new EventLoop(this, options.readBufferSize());
            } catch (RuntimeException | Error e) {
                for (int made = 0; made < i; made++) {
                    loops[made].discard(); // never started, so nothing else would release what it holds
                }
                throw e;
            }
        }
        for (EventLoop loop : loops) {
            loop.start();
        }
    }

    @Override
    public TransportOptions options() {
        return options;
    }

    EventLoop nextLoop() {
        return loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
    }

    @Override
    public Listener listen(SocketAddress address, Acceptor acceptor) throws IOException {
        Objects.requireNonNull(acceptor, "acceptor");
        if (!(address instanceof InetSocketAddress)) {
            throw new IOException("the NIO transport listens on an InetSocketAddress, not " + address);
        }
        if (shutdown != null) {
            throw new ClosedChannelException();
        }
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(address, options.backlog());
            server.configureBlocking(false);
            EventLoop loop = loops[Math.floorMod(nextListenerLoop.getAndIncrement(), loops.length)];
            NioListener listener = new NioListener(this, loop, server, acceptor);
            listeners.add(listener);
            loop.execute(listener::register);
            return listener;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    void listenerClosed(NioListener listener) {
        listeners.remove(listener);
    }

    @Override
    public CompletableFuture<Connection> connect(SocketAddress remote, ConnectionHandler handler) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(handler, "handler");
        CompletableFuture<Connection> future = new CompletableFuture<>();
        if (shutdown != null) {
            future.completeExceptionally(new ClosedChannelException());
            return future;
        }
        EventLoop loop = nextLoop();
        loop.execute(() -> loop.connect(remote, handler, future));
        return future;
    }

    @Override
    public synchronized CompletableFuture<Void> shutdown(Duration grace) {
        if (shutdown == null) {
            for (NioListener listener : listeners) {
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
        for (EventLoop loop : loops) {
            count += loop.connectionCount();
        }
        return count;
    }
}
