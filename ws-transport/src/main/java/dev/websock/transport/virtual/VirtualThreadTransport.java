package dev.websock.transport.virtual;

import dev.websock.transport.Acceptor;
import dev.websock.transport.Connection;
import dev.websock.transport.ConnectionHandler;
import dev.websock.transport.Listener;
import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Blocking sockets with virtual threads, behind the same SPI as the NIO event loops: proof that the SPI is
 * pluggable, and a baseline to compare with.
 *
 * <p><b>Design.</b> Each connection has three virtual threads:
 * <ul>
 *   <li>the <em>owner</em>, its connection thread, runs an event queue of callbacks, handed-over calls and
 *       timers, one at a time. Every callback runs there, which is the threading contract taken literally.
 *   <li>the <em>reader</em> blocks in {@code SocketChannel.read} into the connection's read buffer, hands the
 *       filled buffer to the owner and waits until the owner has delivered it, so that one buffer serves every
 *       read without a copy. Pausing simply withholds the next read permit: unread bytes stay in the kernel
 *       and TCP flow control pushes back on the peer.
 *   <li>the <em>writer</em> takes the queued writes in batches (about 256 KiB), writes each batch with a
 *       blocking gathering write, and reports it to the owner, which then runs the write callbacks and
 *       updates the queued-bytes count that drives writability. Writes made during one owner task are
 *       handed to the writer together when the task ends: one batch, one system call for small writes.
 * </ul>
 * Why not one thread per connection that reads and writes? A blocking read cannot be interrupted to write
 * (or to run a timer) without closing the socket, and the contract wants timers to fire and writes to flow
 * while the peer is silent. Why not run callbacks on the reader? Writes, timers and handed-over calls would
 * then have to wait for the peer to send something.
 *
 * <p><b>Costs.</b> Virtual threads park cheaply, but each connection keeps its read buffer
 * ({@link TransportOptions#readBufferSize()}) for its whole life, since the reader must block with it; idle
 * connections therefore cost more memory than on the NIO transport, which shares its read buffer. The
 * buffer is direct: the JDK reads into a heap buffer through a temporary direct one and a copy, which
 * halved the throughput of one connection on loopback (684 against 1198 MiB/s, 64 KiB reads).
 *
 * <p><b>Closing.</b> {@link Connection#shutdownOutput()} and {@link Connection#close()} travel through the
 * writer's queue, so everything written before them is sent first. A graceful close then reads and drops
 * until the peer's FIN, as the NIO transport does, because closing a socket with unread bytes makes Linux
 * send a reset that can destroy our last bytes before the peer reads them; after 10 s it gives up and
 * closes with a {@link java.util.concurrent.TimeoutException}. {@link Connection#abort()} sets
 * {@code SO_LINGER} to 0 and closes the socket, so the peer sees a reset. A connection's threads have all
 * ended before its {@code onClosed} runs.
 *
 * <p>Options: {@code backlog}, {@code readBufferSize}, the water marks and {@code tcpNoDelay} apply;
 * {@code threads} and {@code threadFactory} do not, as every thread is virtual.
 */
public final class VirtualThreadTransport implements Transport {

    private final TransportOptions options;
    private final Set<VirtualListener> listeners = ConcurrentHashMap.newKeySet();
    private final Set<VirtualConnection> connections = ConcurrentHashMap.newKeySet();
    private CompletableFuture<Void> shutdown;
    private volatile boolean closing;

    public VirtualThreadTransport(TransportOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * @throws IOException when {@code address} is not an {@link InetSocketAddress}, cannot be bound, or the
     *                     transport is shut down
     */
    @Override
    public Listener listen(SocketAddress address, Acceptor acceptor) throws IOException {
        Objects.requireNonNull(acceptor, "acceptor");
        if (!(address instanceof InetSocketAddress)) {
            throw new IOException("the virtual-thread transport listens at an InetSocketAddress, not " + address);
        }
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(address, options.backlog());
            VirtualListener listener = new VirtualListener(this, channel, acceptor);
            synchronized (this) {
                if (closing) {
                    throw new IOException("cannot listen at " + address + ": the transport is shut down");
                }
                listeners.add(listener);
            }
            listener.start();
            return listener;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public CompletableFuture<Connection> connect(SocketAddress remote, ConnectionHandler handler) {
        Objects.requireNonNull(handler, "handler");
        CompletableFuture<Connection> connected = new CompletableFuture<>();
        if (!(remote instanceof InetSocketAddress)) {
            connected.completeExceptionally(
                    new IOException("the virtual-thread transport connects to an InetSocketAddress, not " + remote));
            return connected;
        }
        // The thread that connects becomes the connection's owner: no hand-over, no extra thread.
        Thread.ofVirtual().name("websock-vt " + remote).start(() -> {
            SocketChannel socket = null;
            try {
                if (closing) {
                    throw new ConnectException("cannot connect to " + remote + ": the transport is shut down");
                }
                socket = SocketChannel.open();
                socket.connect(remote);
            } catch (IOException | RuntimeException e) {
                closeQuietly(socket);
                connected.completeExceptionally(e);
                return;
            }
            run(socket, connection -> handler, connected);
        });
        return connected;
    }

    /** A listener accepted {@code socket}: it gets its own owner thread. */
    void accepted(SocketChannel socket, Acceptor acceptor) {
        Thread.ofVirtual().name("websock-vt accepted").start(() -> run(socket, acceptor::accept, null));
    }

    private void run(SocketChannel socket, Function<Connection, ConnectionHandler> handlers,
                     CompletableFuture<Connection> connected) {
        VirtualConnection connection;
        try {
            socket.setOption(StandardSocketOptions.TCP_NODELAY, options.tcpNoDelay());
            connection = new VirtualConnection(socket, options);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            if (connected != null) {
                connected.completeExceptionally(e);
            }
            return;
        }
        connections.add(connection);
        try {
            if (closing) {
                // Accepted or connected while shutting down: refused, it opens and is reset at once.
                connection.abort();
            }
            connection.run(handlers, connected);
        } finally {
            connections.remove(connection);
            connection.terminated().complete(null);
        }
    }

    /**
     * Stops accepting at once, waits up to {@code grace} for the open connections to close (the transport does
     * not close them: the protocol above decides how to end), then aborts the rest.
     */
    @Override
    public synchronized CompletableFuture<Void> shutdown(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (shutdown != null) {
            return shutdown;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        shutdown = done;
        closing = true;
        Thread.ofVirtual().name("websock-vt shutdown").start(() -> {
            List.copyOf(listeners).forEach(VirtualListener::close);
            List<VirtualConnection> open = List.copyOf(connections);
            CompletableFuture<?> all = CompletableFuture.allOf(
                    open.stream().map(VirtualConnection::terminated).toArray(CompletableFuture[]::new));
            try {
                all.get(grace.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                open.forEach(VirtualConnection::abort);
            } catch (Exception e) {
                // Interrupted or failed: abort what is left below, as for a timeout.
                open.forEach(VirtualConnection::abort);
            }
            // Connections that raced with shutdown abort themselves on start; wait for every one to end.
            while (!connections.isEmpty()) {
                List<VirtualConnection> left = List.copyOf(connections);
                left.forEach(VirtualConnection::abort);
                CompletableFuture.allOf(left.stream().map(VirtualConnection::terminated)
                        .toArray(CompletableFuture[]::new)).join();
            }
            done.complete(null);
        });
        return done;
    }

    @Override
    public TransportOptions options() {
        return options;
    }

    /**
     * Shuts down with no grace period and waits until every connection has ended.
     *
     * @throws IllegalStateException on a connection thread, which would wait for itself forever
     */
    @Override
    public void close() {
        if (VirtualConnection.onAnyOwnerThread()) {
            throw new IllegalStateException("close() on a connection thread would wait for that connection to end;"
                    + " call shutdown(grace) there instead");
        }
        shutdown(Duration.ZERO).join();
    }

    void unbind(VirtualListener listener) {
        listeners.remove(listener);
    }

    private static void closeQuietly(SocketChannel socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Nothing was sent on it; the descriptor is released either way.
            }
        }
    }
}
