package dev.websock.transport.tls;

import dev.websock.transport.Acceptor;
import dev.websock.transport.Connection;
import dev.websock.transport.ConnectionHandler;
import dev.websock.transport.Listener;
import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * TLS 1.3 and 1.2 over any {@link Transport}: every connection the inner transport accepts or opens is
 * wrapped in a {@link TlsConnection}, so the application's handler reads and writes plaintext. The inner
 * transport belongs to this one: shutting this down shuts it down.
 *
 * <pre>{@code
 * KeyMaterial key = KeyMaterial.fromPem(Path.of("cert.pem"), Path.of("key.pem"));
 * Transport tls = new TlsTransport(Transports.defaultProvider().open(TransportOptions.defaults()),
 *         TlsConfig.forServer(key).build());
 * Listener listener = tls.listen(new InetSocketAddress(8443), connection -> new EchoHandler());
 * }</pre>
 *
 * <p>What every engine is set to: protocols {@link TlsConfig#PROTOCOLS}; the server's cipher-suite order and,
 * for key material it was given, the signature schemes that key can use; ALPN from the config; on clients, SNI (RFC 6066 §3) for host names and, unless turned off, host name
 * verification. TLS 1.2 renegotiation is refused by the connection: the JDK only offers a JVM-wide switch
 * ({@code jdk.tls.rejectClientInitiatedRenegotiation}), which a library must not set for its host, so each
 * connection closes itself when a handshake message arrives after its first handshake.
 *
 * <p>All methods are thread-safe.
 */
public final class TlsTransport implements Transport {
    private static final Set<String> PROTOCOL_SET = Set.copyOf(TlsConfig.PROTOCOLS);

    private final Transport transport;
    private final TlsConfig config;
    private final BufferPool pool;
    private final long highWaterMark;

    /**
     * @param transport the transport that carries the ciphertext; owned from now on
     * @param config    how engines are made
     */
    public TlsTransport(Transport transport, TlsConfig config) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.config = Objects.requireNonNull(config, "config");
        // An engine's session reports the largest sizes before any handshake (SSLEngine's documented usage).
        SSLSession sizes = config.context().createSSLEngine().getSession();
        this.pool = new BufferPool(Math.max(sizes.getPacketBufferSize(), sizes.getApplicationBufferSize()),
                config.pooledBuffers());
        this.highWaterMark = transport.options().highWaterMark();
    }

    TlsConfig config() {
        return config;
    }

    /** The inner transport's: a TLS connection's queue counts its plaintext, ciphertext and the inner queue. */
    @Override
    public TransportOptions options() {
        return transport.options();
    }

    long highWaterMark() {
        return highWaterMark;
    }

    BufferPool pool() {
        return pool;
    }

    /**
     * Listens on the inner transport; {@code acceptor} is asked for the handler of each connection once its
     * handshake is complete, so it can look at {@link Connection#tlsSession()} and the ALPN protocol.
     */
    @Override
    public Listener listen(SocketAddress address, Acceptor acceptor) throws IOException {
        Objects.requireNonNull(acceptor, "acceptor");
        return transport.listen(address,
                inner -> TlsConnection.server(this, serverEngine(), acceptor).innerHandler());
    }

    /**
     * Opens a TLS connection: the future completes, and {@code handler} receives {@code onOpen}, once the
     * handshake is complete; a failed handshake fails the future with its {@link javax.net.ssl.SSLException}.
     */
    @Override
    public CompletableFuture<Connection> connect(SocketAddress remote, ConnectionHandler handler) {
        Objects.requireNonNull(handler, "handler");
        CompletableFuture<Connection> connected = new CompletableFuture<>();
        TlsConnection connection = TlsConnection.client(this, clientEngine(remote), handler, connected);
        transport.connect(remote, connection.innerHandler()).whenComplete((inner, failure) -> {
            if (failure != null) {
                connected.completeExceptionally(failure);
            }
        });
        return connected;
    }

    /** A server engine set as the class comment says; package-private for the tests. */
    SSLEngine serverEngine() {
        SSLEngine engine = config.context().createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = changesTo(engine);
        parameters.setUseCipherSuitesOrder(true);
        parameters.setNeedClientAuth(false);
        if (config.serverSignatureSchemes() != null) {
            parameters.setSignatureSchemes(config.serverSignatureSchemes());
        }
        if (!config.applicationProtocols().isEmpty()) {
            parameters.setApplicationProtocols(config.applicationProtocols().toArray(new String[0]));
        }
        engine.setSSLParameters(parameters);
        if (config.applicationProtocolSelector() != null) {
            engine.setHandshakeApplicationProtocolSelector(config.applicationProtocolSelector());
        }
        return engine;
    }

    /** A client engine for {@code remote}, set as the class comment says; package-private for the tests. */
    SSLEngine clientEngine(SocketAddress remote) {
        String host = null;
        int port = -1;
        if (remote instanceof InetSocketAddress inet) {
            host = inet.getHostString();
            port = inet.getPort();
        }
        // The peer's host and port key the context's session cache, so a second connection to the same peer
        // resumes (RFC 8446 §2.2) instead of verifying the certificate chain again; other kinds of address
        // key it by their text.
        SSLEngine engine = config.context().createSSLEngine(host != null ? host : String.valueOf(remote), port);
        engine.setUseClientMode(true);
        SSLParameters parameters = changesTo(engine);
        if (config.verifyHostname()) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (host != null && isHostName(host)) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        if (!config.applicationProtocols().isEmpty()) {
            parameters.setApplicationProtocols(config.applicationProtocols().toArray(new String[0]));
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    /**
     * Parameters that change nothing of {@code engine} yet, except {@link TlsConfig#PROTOCOLS} where its
     * context enables others; the caller adds its changes. Not {@code engine.getSSLParameters()}: that returns
     * copies of the cipher suites, protocols and named groups, and {@code setSSLParameters} keeps them, about
     * 320 B per connection for lists equal to the ones every engine of the context shares. What is left
     * {@code null} here the engine keeps (see {@link SSLEngine#setSSLParameters}); the settings a fresh
     * {@link SSLParameters} would reset (packet size, retransmissions, cipher-suite order) are copied.
     */
    private static SSLParameters changesTo(SSLEngine engine) {
        SSLParameters current = engine.getSSLParameters();
        SSLParameters changes = new SSLParameters();
        changes.setMaximumPacketSize(current.getMaximumPacketSize());
        changes.setEnableRetransmissions(current.getEnableRetransmissions());
        changes.setUseCipherSuitesOrder(current.getUseCipherSuitesOrder());
        if (!Set.of(current.getProtocols()).equals(PROTOCOL_SET)) {
            changes.setProtocols(TlsConfig.PROTOCOLS.toArray(new String[0]));
        }
        return changes;
    }

    /** RFC 6066 §3: SNI carries host names only, never address literals. */
    private static boolean isHostName(String host) {
        return !host.isEmpty() && !host.contains(":") && !host.chars().allMatch(c -> c == '.' || Character.isDigit(c))
                && !host.endsWith(".");
    }

    @Override
    public CompletableFuture<Void> shutdown(Duration grace) {
        return transport.shutdown(grace);
    }

    @Override
    public void close() {
        transport.close();
    }
}
