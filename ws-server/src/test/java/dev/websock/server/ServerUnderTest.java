package dev.websock.server;

import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.TransportProvider;
import dev.websock.transport.epoll.EpollTransportProvider;
import dev.websock.transport.memory.Chunking;
import dev.websock.transport.memory.InMemoryAddress;
import dev.websock.transport.memory.InMemoryTransport;
import dev.websock.transport.nio.NioTransportProvider;
import dev.websock.transport.virtual.VirtualThreadTransportProvider;
import dev.websock.transport.tls.KeyMaterial;
import dev.websock.transport.tls.SelfSignedCertificate;
import dev.websock.transport.tls.TlsConfig;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link WebSocketServer} started on one of the transports the end-to-end tests run over, with the clients
 * that reach it: {@link RawClient} on every transport, the JDK's {@code java.net.http.WebSocket} on socket
 * transports.
 *
 * <p><b>The transports are listed here and nowhere else</b> ({@link Kind}, {@link #transports()},
 * {@link #socketTransports()}). Adding one (TLS over the virtual-thread or the in-memory transport, say) is one
 * more constant: how to configure the
 * builder, how to open a raw byte stream to the server, and for socket transports how to make the JDK client.
 */
final class ServerUnderTest implements AutoCloseable {

    /** Seed of the in-memory transport's random chunking; set {@code -Dwebsock.test.seed} to replay another. */
    static final long SEED = Long.getLong("websock.test.seed", 6455);

    /**
     * The server logs each refused handshake and failed connection at INFO: hundreds of lines in this suite.
     * Quieted to WARNING (or {@code -Dwebsock.test.logLevel}); by reflection, because the test sources compile
     * in the server's module, which does not read java.logging. Held here so the setting is not collected.
     */
    private static final Object QUIET;

    static {
        Object logger = null;
        try {
            Class<?> loggers = Class.forName("java.util.logging.Logger");
            Class<?> levels = Class.forName("java.util.logging.Level");
            logger = loggers.getMethod("getLogger", String.class).invoke(null, "dev.websock");
            Object level = levels.getMethod("parse", String.class)
                    .invoke(null, System.getProperty("websock.test.logLevel", "WARNING"));
            loggers.getMethod("setLevel", levels).invoke(logger, level);
        } catch (ReflectiveOperationException noJul) {
            // Logging stays as configured: noisy, not wrong.
        }
        QUIET = logger;
    }

    /** A transport, and how a client reaches a server on it. */
    enum Kind {
        /** The NIO event-loop transport over loopback TCP. */
        NIO("ws", true) {
            @Override
            void configure(WebSocketServer.Builder builder, ServerUnderTest fixture) {
                builder.transport(new NioTransportProvider()).bind(new InetSocketAddress("127.0.0.1", 0));
            }

            @Override
            RawClient open(ServerUnderTest fixture, int receiveBufferSize) throws IOException {
                return RawClient.tcp((InetSocketAddress) fixture.server.localAddress(), receiveBufferSize);
            }
        },
        /** The epoll transport (Linux, through FFM) over loopback TCP. */
        EPOLL("ws", true) {
            @Override
            void configure(WebSocketServer.Builder builder, ServerUnderTest fixture) {
                builder.transport(new EpollTransportProvider()).bind(new InetSocketAddress("127.0.0.1", 0));
            }

            @Override
            RawClient open(ServerUnderTest fixture, int receiveBufferSize) throws IOException {
                return NIO.open(fixture, receiveBufferSize);
            }
        },
        /** The virtual-thread transport (blocking sockets, a reader and a writer virtual thread per connection). */
        VIRTUAL("ws", true) {
            @Override
            void configure(WebSocketServer.Builder builder, ServerUnderTest fixture) {
                builder.transport(new VirtualThreadTransportProvider()).bind(new InetSocketAddress("127.0.0.1", 0));
            }

            @Override
            RawClient open(ServerUnderTest fixture, int receiveBufferSize) throws IOException {
                return NIO.open(fixture, receiveBufferSize);
            }
        },
        /**
         * The in-memory transport, reads cut at random into 1 to 64 bytes (every decoder path split
         * everywhere); the client end is on the server's own transport.
         */
        MEMORY("ws", false) {
            @Override
            void configure(WebSocketServer.Builder builder, ServerUnderTest fixture) {
                builder.transport(new TransportProvider() {
                    @Override
                    public String name() {
                        return "memory-random-chunks";
                    }

                    @Override
                    public Transport open(TransportOptions options) {
                        InMemoryTransport transport = new InMemoryTransport(options, Chunking.random(1, 64, SEED));
                        fixture.transport = transport;
                        return transport;
                    }
                }).bind(new InMemoryAddress("server"));
            }

            @Override
            RawClient open(ServerUnderTest fixture, int receiveBufferSize) throws IOException {
                return InMemoryRawConnection.connect(fixture.transport, fixture.server.localAddress());
            }
        },
        /** TLS (1.3) over the NIO transport: {@code wss://}, with a self-signed certificate the clients trust. */
        NIO_TLS("wss", true) {
            @Override
            void configure(WebSocketServer.Builder builder, ServerUnderTest fixture) {
                NIO.configure(builder, fixture);
                builder.tls(TlsConfig.forServer(Tls.KEY).build());
            }

            @Override
            RawClient open(ServerUnderTest fixture, int receiveBufferSize) throws IOException {
                javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) Tls.CLIENT.getSocketFactory().createSocket();
                if (receiveBufferSize > 0) {
                    socket.setReceiveBufferSize(receiveBufferSize);
                }
                socket.connect(fixture.server.localAddress(), RawClient.READ_TIMEOUT_MILLIS);
                socket.setSoTimeout(RawClient.READ_TIMEOUT_MILLIS);
                socket.setTcpNoDelay(true);
                socket.startHandshake();
                return RawClient.over(socket);
            }

            @Override
            HttpClient httpClient() {
                return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(Tls.CLIENT).build();
            }
        };

        final String scheme;
        final boolean sockets;

        Kind(String scheme, boolean sockets) {
            this.scheme = scheme;
            this.sockets = sockets;
        }

        /** Chooses the transport and the bind address. */
        abstract void configure(WebSocketServer.Builder builder, ServerUnderTest fixture);

        /** A raw connection to the server, before any handshake. */
        abstract RawClient open(ServerUnderTest fixture, int receiveBufferSize) throws IOException;

        /** The JDK client for this kind (TLS kinds give it an SSLContext that trusts the test certificate). */
        HttpClient httpClient() {
            return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        }
    }

    /** A certificate for localhost and 127.0.0.1, made once per test JVM, and a client context that trusts it. */
    private static final class Tls {
        static final KeyMaterial KEY = SelfSignedCertificate.forLocalhost();
        static final SSLContext CLIENT = TlsConfig.forClient(List.of(KEY.certificate())).build().context();
    }

    /** Every transport the end-to-end tests run over. */
    static List<Kind> transports() {
        // The epoll transport wherever it can run (Linux on x86-64 or aarch64, as CI is).
        return EpollTransportProvider.isAvailable() ? List.of(Kind.NIO, Kind.EPOLL, Kind.VIRTUAL, Kind.MEMORY, Kind.NIO_TLS)
                : List.of(Kind.NIO, Kind.VIRTUAL, Kind.MEMORY, Kind.NIO_TLS);
    }

    /** The transports a real socket client (the JDK's WebSocket) can reach. */
    static List<Kind> socketTransports() {
        return transports().stream().filter(kind -> kind.sockets).toList();
    }

    final Kind kind;
    private WebSocketServer server;
    private Transport transport;

    private ServerUnderTest(Kind kind) {
        this.kind = kind;
    }

    /**
     * Starts a server on {@code kind}'s transport, configured by {@code configure} (routes and limits), with
     * permessage-deflate off unless it turns it on: the JDK client does not offer it, and raw frames are
     * easier to read uncompressed.
     */
    static ServerUnderTest start(Kind kind, Consumer<WebSocketServer.Builder> configure) {
        ServerUnderTest fixture = new ServerUnderTest(kind);
        WebSocketServer.Builder builder = WebSocketServer.builder().noPerMessageDeflate();
        kind.configure(builder, fixture);
        configure.accept(builder);
        try {
            fixture.server = builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fixture;
    }

    WebSocketServer server() {
        return server;
    }

    /** A raw connection, before any handshake. */
    RawClient raw() throws IOException {
        return kind.open(this, -1);
    }

    /** A raw connection whose socket receive buffer is small, for clients that stop reading. */
    RawClient raw(int receiveBufferSize) throws IOException {
        return kind.open(this, receiveBufferSize);
    }

    /** A raw connection upgraded at {@code path}; throws unless the server answered 101. */
    RawClient connect(String path, String... headers) throws IOException {
        return RawClient.upgrade(raw(), path, headers);
    }

    /** The URI of {@code path} for the JDK client. */
    URI uri(String path) {
        if (!kind.sockets) {
            throw new IllegalStateException(kind + " has no sockets for the JDK client");
        }
        return URI.create(kind.scheme + "://127.0.0.1:" + server.port() + path);
    }

    /** Connects the JDK client at {@code path}. */
    JdkClient jdkClient(String path) {
        return JdkClient.connect(kind.httpClient(), uri(path));
    }

    @Override
    public void close() {
        server.stop(Duration.ofSeconds(2)).join();
    }

    @Override
    public String toString() {
        return kind.name();
    }
}
