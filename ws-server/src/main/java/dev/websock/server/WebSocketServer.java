package dev.websock.server;

import dev.websock.codec.extension.ExtensionNegotiation;
import dev.websock.codec.extension.PerMessageDeflate;
import dev.websock.codec.handshake.HandshakeLimits;
import dev.websock.server.session.Route;
import dev.websock.server.session.ServerConfig;
import dev.websock.server.session.ServerConnection;
import dev.websock.server.session.Sessions;
import dev.websock.transport.Listener;
import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.TransportProvider;
import dev.websock.transport.Transports;
import dev.websock.transport.tls.TlsConfig;
import dev.websock.transport.tls.TlsTransport;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * A WebSocket server (RFC 6455, with permessage-deflate, RFC 7692): the HTTP/1.1 upgrade, sessions and limits,
 * over any transport.
 *
 * <pre>{@code
 * WebSocketServer server = WebSocketServer.builder()
 *         .bind(new InetSocketAddress(8080))
 *         .route("/echo", new WebSocketHandler() {
 *             public void onText(Session session, String text) { session.sendText(text); }
 *         })
 *         .build()
 *         .start();
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} (or {@link #stop(Duration)}) shuts down the transport the server opened.
 */
public final class WebSocketServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WebSocketServer.class.getName());

    private final ServerConfig config;
    private final SocketAddress bindAddress;
    private final Transport transport;
    private final Sessions sessions;
    private volatile Listener listener;
    private CompletableFuture<Void> stopped;

    private WebSocketServer(Builder builder, ServerConfig config) {
        this.config = config;
        this.bindAddress = builder.bindAddress;
        this.sessions = new Sessions(config.maxConnections());
        Transport base = builder.provider.open(builder.transportOptions);
        this.transport = builder.transportLayer.apply(base);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds and starts accepting.
     *
     * @throws IOException when the address cannot be bound (in use, say); the transport is then shut down
     */
    public synchronized WebSocketServer start() throws IOException {
        if (listener != null) {
            throw new IllegalStateException("the server is already started");
        }
        try {
            listener = transport.listen(bindAddress, connection -> new ServerConnection(config, sessions));
        } catch (IOException | RuntimeException e) {
            transport.close();
            throw e;
        }
        LOG.log(Level.INFO, () -> "WebSocket server listening at " + listener.localAddress() + " ("
                + (config.secure() ? "wss" : "ws") + ", endpoints " + config.routes().keySet() + ")");
        return this;
    }

    /** The address the server listens at, with the real port when port 0 was asked for. */
    public SocketAddress localAddress() {
        Listener current = listener;
        if (current == null) {
            throw new IllegalStateException("the server is not started");
        }
        return current.localAddress();
    }

    /** The port the server listens at (socket transports). */
    public int port() {
        return ((InetSocketAddress) localAddress()).getPort();
    }

    /** Open connections, handshaking ones included. */
    public int connectionCount() {
        return sessions.count();
    }

    /**
     * Shuts down gracefully: stops accepting, sends 1001 (going away) to every open session, waits up to
     * {@code grace} for their closing handshakes, then closes what is left and the transport. The future
     * completes when everything is released; calling again returns the same future.
     */
    public synchronized CompletableFuture<Void> stop(Duration grace) {
        if (stopped != null) {
            return stopped;
        }
        long deadline = System.nanoTime() + grace.toNanos();
        if (listener != null) {
            listener.close();
        }
        sessions.shutDown();
        stopped = new CompletableFuture<>();
        Thread.ofVirtual().name("websock-server-stop").start(() -> {
            try {
                while (sessions.count() > 0 && deadline - System.nanoTime() > 0) {
                    Thread.sleep(10);
                }
                long left = Math.max(0, deadline - System.nanoTime());
                transport.shutdown(Duration.ofNanos(left)).join();
                LOG.log(Level.INFO, "WebSocket server stopped");
                stopped.complete(null);
            } catch (Throwable t) {
                stopped.completeExceptionally(t);
            }
        });
        return stopped;
    }

    /** Stops with a grace period of the close timeout, and waits. */
    @Override
    public void close() {
        stop(Duration.ofNanos(config.closeTimeoutNanos())).join();
    }

    /**
     * Configures a {@link WebSocketServer}. Every setting has a default, written next to it with its reason;
     * only {@link #bind} and at least one {@link #route} are needed.
     */
    public static final class Builder {
        /** RFC 6455 §5.5: a control frame carries at most 125 bytes; every frame limit must admit them. */
        private static final int MAX_CONTROL_PAYLOAD = 125;
        /** The largest message one heap buffer gathers (the codec's MessageDecoder limit for whole delivery). */
        private static final long MAX_WHOLE_MESSAGE_SIZE = Integer.MAX_VALUE - 8;
        private SocketAddress bindAddress;
        private final Map<String, Route> routes = new LinkedHashMap<>();
        private List<String> subprotocols = List.of();
        private PerMessageDeflate perMessageDeflate = PerMessageDeflate.defaults();
        private OriginPolicy originPolicy = OriginPolicy.sameOrigin();
        private HandshakeInterceptor interceptor = HandshakeInterceptor.ACCEPT_ALL;
        private HandshakeLimits handshakeLimits = HandshakeLimits.DEFAULTS;
        private long maxMessageSize = 1 << 20;
        private long maxFrameSize = -1;
        private int maxConnections = 65_536;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofMinutes(5);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private Duration pingInterval = Duration.ZERO;
        private HandlerExecution execution = HandlerExecution.EVENT_LOOP;
        private int fragmentSize = 64 * 1024 - 14;
        private boolean retainHandshakeRequest;
        private TransportProvider provider;
        private TransportOptions transportOptions = TransportOptions.defaults();
        private UnaryOperator<Transport> transportLayer = UnaryOperator.identity();
        private boolean secure;

        private Builder() {
        }

        /** Where to listen: an {@link InetSocketAddress} for socket transports (port 0 picks a free one). */
        public Builder bind(SocketAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Listens at {@code host} ({@code "0.0.0.0"} for every interface) and {@code port}. */
        public Builder bind(String host, int port) {
            return bind(new InetSocketAddress(host, port));
        }

        /** Serves {@code handler} at request path {@code path} (exact match, such as {@code /chat}), whole messages. */
        public Builder route(String path, WebSocketHandler handler) {
            return route(path, handler, MessageDelivery.WHOLE);
        }

        /** Serves {@code handler} at {@code path}, with messages delivered as {@code delivery} says. */
        public Builder route(String path, WebSocketHandler handler, MessageDelivery delivery) {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("a route path starts with '/': " + path);
            }
            routes.put(path, new Route(path, handler, delivery));
            return this;
        }

        /** The subprotocols served, in order of preference when a client offers several. Default: none. */
        public Builder subprotocols(String... subprotocols) {
            this.subprotocols = List.of(subprotocols);
            return this;
        }

        /**
         * permessage-deflate settings. Default: on, {@link PerMessageDeflate#defaults()}, because most WebSocket
         * traffic is text that compresses several times over; a connection's deflate memory is bounded by
         * its settings (see {@link PerMessageDeflate}) and inflated messages by {@link #maxMessageSize}.
         */
        public Builder perMessageDeflate(PerMessageDeflate settings) {
            this.perMessageDeflate = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Turns permessage-deflate off: offers are declined and messages go uncompressed. */
        public Builder noPerMessageDeflate() {
            this.perMessageDeflate = null;
            return this;
        }

        /** Which origins may connect. Default: {@link OriginPolicy#sameOrigin()} (cross-site hijacking). */
        public Builder originPolicy(OriginPolicy policy) {
            this.originPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Sees each handshake before it is accepted (authentication). Default: accept all. */
        public Builder interceptor(HandshakeInterceptor interceptor) {
            this.interceptor = Objects.requireNonNull(interceptor, "interceptor");
            return this;
        }

        /** Limits on the handshake request. Default: {@link HandshakeLimits#DEFAULTS} (8 KiB of headers, 100 fields). */
        public Builder handshakeLimits(HandshakeLimits limits) {
            this.handshakeLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * The longest message received, inflated, in bytes; longer fails the connection with 1009. Default 1 MiB:
         * more than typical JSON messages, while 10,000 sessions with a message each in progress stay within
         * a few GiB at worst. With {@link MessageDelivery#STREAMING} it bounds nothing in memory, only length.
         */
        public Builder maxMessageSize(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxMessageSize must not be negative: " + bytes);
            }
            this.maxMessageSize = bytes;
            return this;
        }

        /**
         * The longest frame payload received; longer fails with 1009. Default: the message limit, and at least
         * 125 bytes, the largest control frame (RFC 6455 §5.5), which every endpoint must take.
         *
         * @throws IllegalArgumentException when {@code bytes} is below 125
         */
        public Builder maxFrameSize(long bytes) {
            if (bytes < MAX_CONTROL_PAYLOAD) {
                throw new IllegalArgumentException("maxFrameSize " + bytes + " is below " + MAX_CONTROL_PAYLOAD
                        + ", the payload of the largest control frame (RFC 6455 §5.5); use " + MAX_CONTROL_PAYLOAD
                        + " or more, and maxMessageSize to bound data messages");
            }
            this.maxFrameSize = bytes;
            return this;
        }

        /** Open connections at most; more are answered 503. Default 65,536 (about one port range of clients). */
        public Builder maxConnections(int connections) {
            if (connections <= 0) {
                throw new IllegalArgumentException("maxConnections must be positive: " + connections);
            }
            this.maxConnections = connections;
            return this;
        }

        /** Time for a connection to send its whole handshake; then 408. Default 10 s, against slow-loris clients. */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive("handshakeTimeout", timeout);
            return this;
        }

        /** A session that receives nothing this long is closed with 1001. Default 5 min; zero turns it off. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = notNegative("idleTimeout", timeout);
            return this;
        }

        /** How long a close started here waits for the peer's close frame before closing TCP. Default 5 s. */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = positive("closeTimeout", timeout);
            return this;
        }

        /** Sends a ping this often to keep idle sessions alive through proxies. Default zero: off. */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = notNegative("pingInterval", interval);
            return this;
        }

        /** Where handlers run. Default {@link HandlerExecution#EVENT_LOOP}. */
        public Builder handlerExecution(HandlerExecution execution) {
            this.execution = Objects.requireNonNull(execution, "execution");
            return this;
        }

        /**
         * The largest frame payload sent; longer messages are fragmented (RFC 6455 §5.4). Default 65,522 bytes, so
         * that a frame with its header fits one pooled 64 KiB buffer, and pings can pass between fragments.
         */
        public Builder fragmentSize(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("fragmentSize must be positive: " + bytes);
            }
            this.fragmentSize = bytes;
            return this;
        }

        /**
         * Whether {@link Session#request()} stays available for the whole session. Default false: the request
         * (its header bytes, parsed fields and strings, about 600 bytes for a browser's) is given up when
         * {@link WebSocketHandler#onOpen} returns, because a server of many idle connections should not pay for
         * headers that most applications read once. Read what you need in the {@link HandshakeInterceptor} (and
         * pass it on as session attributes) or in {@code onOpen}, or set this for sessions that need the request
         * later.
         */
        public Builder retainHandshakeRequest(boolean retain) {
            this.retainHandshakeRequest = retain;
            return this;
        }

        /** The transport. Default: {@link Transports#defaultProvider()}, the NIO event loops. */
        public Builder transport(TransportProvider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** Settings of the transport: event loops, water marks, backlog. Default {@link TransportOptions#defaults()}. */
        public Builder transportOptions(TransportOptions options) {
            this.transportOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Serves {@code wss://}: TLS 1.3 and 1.2 over the transport, with {@code config}'s key material (from
         * PEM files, a PKCS#12 keystore, or {@link dev.websock.transport.tls.SelfSignedCertificate} for
         * development). Default: none, plain {@code ws://}.
         */
        public Builder tls(TlsConfig config) {
            Objects.requireNonNull(config, "config");
            return transportLayer(transport -> new TlsTransport(transport, config), true);
        }

        /**
         * A layer over the transport, such as TLS; {@code secure} says whether it makes the connections
         * {@code wss://}.
         */
        public Builder transportLayer(UnaryOperator<Transport> layer, boolean secure) {
            this.transportLayer = Objects.requireNonNull(layer, "layer");
            this.secure = secure;
            return this;
        }

        /**
         * Builds the server and opens its transport (its threads start; nothing is bound until
         * {@link WebSocketServer#start()}).
         */
        public WebSocketServer build() {
            if (bindAddress == null) {
                throw new IllegalStateException("no bind address: call bind(host, port) or bind(address)");
            }
            if (routes.isEmpty()) {
                throw new IllegalStateException("no routes: call route(path, handler) for each endpoint");
            }
            if (maxMessageSize > MAX_WHOLE_MESSAGE_SIZE && routes.values().stream()
                    .anyMatch(route -> route.delivery() == MessageDelivery.WHOLE)) {
                // Checked here, not per connection: the message decoder would refuse it after every 101.
                throw new IllegalStateException("maxMessageSize " + maxMessageSize + " is more than one buffer holds ("
                        + MAX_WHOLE_MESSAGE_SIZE + ") for the routes with MessageDelivery.WHOLE; lower it, or route"
                        + " with MessageDelivery.STREAMING");
            }
            if (provider == null) {
                provider = Transports.defaultProvider();
            }
            ExtensionNegotiation extensions = perMessageDeflate == null ? null
                    : new ExtensionNegotiation(List.of(perMessageDeflate));
            ServerConfig config = new ServerConfig(routes, subprotocols, extensions, originPolicy, interceptor,
                    handshakeLimits, maxFrameSize < 0 ? Math.max(MAX_CONTROL_PAYLOAD, maxMessageSize) : maxFrameSize,
                    maxMessageSize, maxConnections,
                    handshakeTimeout.toNanos(), idleTimeout.toNanos(), closeTimeout.toNanos(), pingInterval.toNanos(),
                    execution, transportOptions.highWaterMark(), fragmentSize, retainHandshakeRequest, secure);
            return new WebSocketServer(this, config);
        }

        private static Duration positive(String name, Duration duration) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + duration);
            }
            return duration;
        }

        private static Duration notNegative(String name, Duration duration) {
            if (duration.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative: " + duration);
            }
            return duration;
        }
    }
}
