package dev.websock.transport.memory;

import dev.websock.transport.Acceptor;
import dev.websock.transport.Cancellable;
import dev.websock.transport.Connection;
import dev.websock.transport.ConnectionHandler;
import dev.websock.transport.Listener;
import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.TransportProvider;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Connected pairs of {@link Connection}s inside one JVM, with no sockets: for codec and server tests that
 * must run fast and the same way every time.
 *
 * <p><b>Addresses.</b> {@link #listen} binds an {@link InMemoryAddress}; {@link #connect} to that address,
 * on the same transport, creates a pair: the listener's acceptor and handler get the server end, the caller
 * gets the client end. {@link InMemorySocket} offers that client end as blocking streams, for tests that
 * talk to a server in raw bytes.
 *
 * <p><b>Determinism.</b> Every connection of a transport runs on one thread, made by the options' thread
 * factory, and writes reach the peer in reads cut by a {@link Chunking}. Given the same calls in the same
 * order and the same seed, a run produces the same callbacks in the same order; only timers follow the real
 * clock.
 *
 * <p><b>Backpressure.</b> The pipe between the ends holds no bytes: a write is queued, and counted by
 * {@link Connection#queuedBytes()}, until the peer has read it, and its callback completes then. A peer that
 * pauses reading or reads slowly turns the writer unwritable above the high-water mark, and
 * {@link ConnectionHandler#onWritable onWritable} follows once the peer has read it down to the low-water
 * mark. A graceful {@link Connection#close()} therefore waits for the peer to read what was queued, as the
 * SPI says.
 *
 * <p><b>Closing, like the socket transports.</b> {@link Connection#shutdownOutput()} ends the stream once the
 * peer has read everything before it, and the peer then sees
 * {@link ConnectionHandler#onReadShutdown onReadShutdown}. A graceful close delivers no more reads: it drops
 * what the peer still sends, ends its own stream once the peer has read it, and completes when the peer has
 * ended its stream too, or after 10 s with a {@link java.util.concurrent.TimeoutException}, as the NIO
 * transport does. Writing to an end that has closed resets the writer, which then closes with an
 * {@link IOException} as cause; {@link Connection#abort()} resets the peer at once, whether or not it is
 * reading.
 *
 * <p>Reads are at most {@link TransportOptions#readBufferSize()} bytes, into one buffer shared by every
 * connection of the transport; after each {@code onRead} the bytes it held are overwritten, so a handler that
 * keeps the buffer against the contract fails in tests rather than in production. Options that concern
 * sockets ({@code threads}, {@code backlog}, {@code tcpNoDelay}) are ignored.
 */
public final class InMemoryTransport implements Transport {

    private final TransportOptions options;
    private final Chunking chunking;
    private final EventLoop loop;
    private final ByteBuffer readBuffer;
    private final Map<InMemoryAddress, InMemoryListener> listeners = new ConcurrentHashMap<>();
    /** Open connections, in the order they were opened; touched only on the loop. */
    private final Set<InMemoryConnection> connections = new LinkedHashSet<>();
    private long connectionCount;
    private CompletableFuture<Void> shutdown;
    private boolean closing;
    private Cancellable graceTimer;

    /** A transport with the default options whose reads carry everything waiting ({@link Chunking#whole()}). */
    public InMemoryTransport() {
        this(TransportOptions.defaults(), Chunking.whole());
    }

    /** A transport that cuts reads as {@code chunking} says, with {@code options}' marks and read buffer size. */
    public InMemoryTransport(TransportOptions options, Chunking chunking) {
        this.options = Objects.requireNonNull(options, "options");
        this.chunking = Objects.requireNonNull(chunking, "chunking");
        this.readBuffer = ByteBuffer.allocate(options.readBufferSize());
        this.loop = new EventLoop(options.threadFactory());
    }

    /**
     * A provider whose {@link TransportProvider#open open} returns this very transport, ignoring the options
     * it is given: for code that opens its own transport from a provider (a server's builder, say) while the
     * test connects to it through this one. Addresses live in one transport, so both sides must share it.
     * Whoever shuts the transport down ends it for both.
     */
    public TransportProvider asProvider() {
        return new TransportProvider() {
            @Override
            public String name() {
                return InMemoryTransportProvider.NAME;
            }

            @Override
            public Transport open(TransportOptions ignored) {
                return InMemoryTransport.this;
            }
        };
    }

    /** How this transport cuts reads. */
    public Chunking chunking() {
        return chunking;
    }

    /**
     * Binds {@code address}, an {@link InMemoryAddress}, in this transport.
     *
     * @throws BindException when another listener of this transport holds the name, or the transport is shut down
     * @throws IOException   when {@code address} is not an {@link InMemoryAddress}
     */
    @Override
    public Listener listen(SocketAddress address, Acceptor acceptor) throws IOException {
        InMemoryAddress name = inMemory(address);
        Objects.requireNonNull(acceptor, "acceptor");
        InMemoryListener listener = new InMemoryListener(this, name, acceptor);
        synchronized (this) {
            if (shutdown != null) {
                throw new BindException("cannot listen at " + name + ": the in-memory transport is shut down");
            }
            if (listeners.putIfAbsent(name, listener) != null) {
                throw new BindException(name + " is already bound in this transport; close its listener first"
                        + " or choose another name");
            }
        }
        return listener;
    }

    /**
     * Connects to the listener bound at {@code remote} in this transport. The server end is accepted and
     * opened first, then {@code handler}'s {@code onOpen} runs, then the future completes with the client end.
     * The future fails with a {@link ConnectException} when nothing listens there.
     */
    @Override
    public CompletableFuture<Connection> connect(SocketAddress remote, ConnectionHandler handler) {
        Objects.requireNonNull(handler, "handler");
        CompletableFuture<Connection> connected = new CompletableFuture<>();
        InMemoryAddress name;
        try {
            name = inMemory(remote);
        } catch (IOException e) {
            connected.completeExceptionally(e);
            return connected;
        }
        loop.execute(() -> connectNow(name, handler, connected));
        return connected;
    }

    private void connectNow(InMemoryAddress remote, ConnectionHandler handler,
                            CompletableFuture<Connection> connected) {
        if (closing) {
            connected.completeExceptionally(
                    new ConnectException("cannot connect to " + remote + ": the in-memory transport is shut down"));
            return;
        }
        InMemoryListener listener = listeners.get(remote);
        if (listener == null) {
            connected.completeExceptionally(new ConnectException("nothing listens at " + remote
                    + " in this in-memory transport; listen() there first, on the same InMemoryTransport"));
            return;
        }
        long number = connectionCount++;
        InMemoryAddress clientAddress = new InMemoryAddress("client-" + number);
        InMemoryConnection client = new InMemoryConnection(this, clientAddress, remote, chunking.sizes(2 * number));
        InMemoryConnection server = new InMemoryConnection(this, remote, clientAddress, chunking.sizes(2 * number + 1));
        InMemoryConnection.pair(client, server);
        connections.add(client);
        connections.add(server);
        ConnectionHandler serverHandler;
        try {
            serverHandler = listener.acceptor().accept(server);
        } catch (RuntimeException e) {
            // A failing acceptor refuses the connection: the client sees a reset, as from a full backlog.
            serverHandler = new ConnectionHandler() {
                @Override
                public void onRead(Connection connection, ByteBuffer data) {
                }
            };
            server.abort();
        }
        server.open(serverHandler);
        client.open(handler);
        connected.complete(client);
    }

    /**
     * Stops accepting at once, waits up to {@code grace} for the open connections to close (the transport does
     * not close them: the protocol above decides how to end, a WebSocket closing handshake, say), then aborts
     * the rest and ends the loop thread.
     */
    @Override
    public CompletableFuture<Void> shutdown(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        CompletableFuture<Void> done;
        synchronized (this) {
            if (shutdown != null) {
                return shutdown;
            }
            shutdown = done = new CompletableFuture<>();
            listeners.clear();
        }
        loop.execute(() -> {
            closing = true;
            if (connections.isEmpty()) {
                finish();
            } else {
                graceTimer = loop.schedule(grace.toNanos(), TimeUnit.NANOSECONDS, this::abortAll);
            }
        });
        loop.terminated().whenComplete((ignored, failure) -> done.complete(null));
        return done;
    }

    /**
     * Shuts down with no grace period and waits until the loop thread has ended.
     *
     * @throws IllegalStateException on the transport's own thread, which would wait for itself forever
     */
    @Override
    public void close() {
        if (loop.inLoop()) {
            throw new IllegalStateException("close() on the in-memory transport's own thread would wait for itself;"
                    + " call shutdown(grace) there instead");
        }
        shutdown(Duration.ZERO).join();
    }

    @Override
    public String toString() {
        return "InMemoryTransport[" + chunking + ", listening at " + listeners.keySet() + "]";
    }

    private void abortAll() {
        for (InMemoryConnection connection : new ArrayList<>(connections)) {
            connection.abort();
        }
    }

    private void finish() {
        if (graceTimer != null) {
            graceTimer.cancel();
        }
        loop.stop();
    }

    @Override
    public TransportOptions options() {
        return options;
    }

    EventLoop loop() {
        return loop;
    }

    /** The read buffer shared by every connection: they all read on the one loop thread, one at a time. */
    ByteBuffer readBuffer() {
        return readBuffer;
    }

    /** A connection closed for good; on the loop. */
    void released(InMemoryConnection connection) {
        if (connections.remove(connection) && closing && connections.isEmpty()) {
            finish();
        }
    }

    void unbind(InMemoryListener listener) {
        listeners.remove(listener.address(), listener);
    }

    private static InMemoryAddress inMemory(SocketAddress address) throws IOException {
        if (address instanceof InMemoryAddress name) {
            return name;
        }
        throw new IOException("an in-memory transport takes an InMemoryAddress, not " + address
                + (address == null ? "" : " (" + address.getClass().getName() + ")")
                + "; use new InMemoryAddress(\"name\")");
    }
}
