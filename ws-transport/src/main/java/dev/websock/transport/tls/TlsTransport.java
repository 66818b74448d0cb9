package dev.websock.transport.tls;

import dev.websock.transport.Acceptor;
import dev.websock.transport.Connection;
import dev.websock.transport.ConnectionHandler;
import dev.websock.transport.Listener;
import dev.websock.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
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
 * <p>What every engine is set to: protocols {@link TlsConfig#PROTOCOLS}; the server's cipher-suite order; ALPN
 * from the config; on clients, SNI (RFC 6066 §3) for host names and, unless turned off, host name
 * verification. TLS 1.2 renegotiation is refused by the connection: the JDK only offers a JVM-wide switch
 * ({@code jdk.tls.rejectClientInitiatedRenegotiation}), which a library must not set for its host, so each
 * connection closes itself when a handshake message arrives after its first handshake.
 *
 * <p>All methods are thread-safe.
 */
public final class TlsTransport implements Transport {
    private final Transport transport;
    private final TlsConfig config;
    private final BufferPool pool;

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
    }

    TlsConfig config() {
        return config;
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

    private SSLEngine serverEngine() {
        SSLEngine engine = config.context().createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(TlsConfig.PROTOCOLS.toArray(new String[0]));
        parameters.setUseCipherSuitesOrder(true);
        parameters.setNeedClientAuth(false);
        if (!config.applicationProtocols().isEmpty()) {
            parameters.setApplicationProtocols(config.applicationProtocols().toArray(new String[0]));
        }
        engine.setSSLParameters(parameters);
        if (config.applicationProtocolSelector() != null) {
            engine.setHandshakeApplicationProtocolSelector(config.applicationProtocolSelector());
        }
        return engine;
    }

    private SSLEngine clientEngine(SocketAddress remote) {
        String host = null;
        int port = -1;
        if (remote instanceof InetSocketAddress inet) {
            host = inet.getHostString();
            port = inet.getPort();
        }
        SSLEngine engine = host != null ? config.context().createSSLEngine(host, port)
                : config.context().createSSLEngine();
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(TlsConfig.PROTOCOLS.toArray(new String[0]));
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
