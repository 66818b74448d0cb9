package dev.websock.transport.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * How a {@link TlsTransport} makes its {@link SSLEngine}s; immutable, built once. Each setting is written next
 * to its default and the reason for it.
 *
 * <p>Fixed, not configurable: the protocols are TLS 1.3 and TLS 1.2 only ({@link #PROTOCOLS}: 1.0 and 1.1
 * are deprecated by RFC 8996), the cipher suites are the JDK's defaults for them, client authentication is
 * off, and TLS 1.2 renegotiation is refused (see {@link TlsTransport}). A server made {@link #forServer} from its
 * key material offers only the signature schemes of its key's type and its certificate chain, and none with SHA-1
 * or SHA-224 (RFC 9155), which keeps every connection's session up to ~350 B smaller (see {@code SignatureSchemes};
 * a host that sets {@code jdk.tls.server.SignatureSchemes} keeps its own list).
 */
public final class TlsConfig {
    /** The protocols every engine enables, most preferred first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final SSLContext context;
    private final List<String> applicationProtocols;
    private final BiFunction<SSLEngine, List<String>, String> applicationProtocolSelector;
    private final Duration handshakeTimeout;
    private final Executor delegatedTaskExecutor;
    private final boolean verifyHostname;
    private final int pooledBuffers;
    private final String[] serverSignatureSchemes;

    private TlsConfig(Builder builder, SSLContext context) {
        this.context = context;
        this.applicationProtocols = builder.applicationProtocols;
        this.applicationProtocolSelector = builder.applicationProtocolSelector;
        this.handshakeTimeout = builder.handshakeTimeout;
        this.delegatedTaskExecutor = builder.delegatedTaskExecutor;
        this.verifyHostname = builder.verifyHostname;
        this.pooledBuffers = builder.pooledBuffers;
        this.serverSignatureSchemes = builder.keyMaterial == null ? null
                : SignatureSchemes.forServer(builder.keyMaterial.privateKey(), builder.keyMaterial.certificateChain(),
                        serverEngineSchemes(context));
    }

    /** The signature schemes a server engine of {@code context} starts with: null unless the host configured some. */
    private static String[] serverEngineSchemes(SSLContext context) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        return engine.getSSLParameters().getSignatureSchemes();
    }

    /**
     * A server presenting {@code keyMaterial}. Connections it opens as a client trust the JDK's default CAs
     * unless {@link Builder#trust} says otherwise.
     */
    public static Builder forServer(KeyMaterial keyMaterial) {
        return new Builder(Objects.requireNonNull(keyMaterial, "keyMaterial"), null);
    }

    /**
     * A client that trusts exactly {@code trusted} (for a self-signed development server: its certificate), or
     * the JDK's default CAs ({@code cacerts}) when the list is empty.
     */
    public static Builder forClient(List<X509Certificate> trusted) {
        return new Builder(null, null).trust(trusted);
    }

    /** Engines from {@code context}, for key and trust managers built elsewhere (a hardware key, a CRL check). */
    public static Builder forContext(SSLContext context) {
        return new Builder(null, Objects.requireNonNull(context, "context"));
    }

    private static SSLContext context(KeyMaterial keyMaterial, List<X509Certificate> trusted) {
        try {
            KeyManager[] keyManagers = null;
            if (keyMaterial != null) {
                char[] password = new char[0];
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(keyMaterial.toKeyStore(password), password);
                keyManagers = keys.getKeyManagers();
            }
            TrustManager[] trustManagers = null;
            if (!trusted.isEmpty()) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                for (int i = 0; i < trusted.size(); i++) {
                    store.setCertificateEntry("trusted-" + i, trusted.get(i));
                }
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
                trustManagers = trust.getTrustManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("this JDK cannot build a TLS context: " + e.getMessage(), e);
        }
    }

    public SSLContext context() {
        return context;
    }

    /** ALPN protocols (RFC 7301): offered by a client; for a server, its choices in order of preference. */
    public List<String> applicationProtocols() {
        return applicationProtocols;
    }

    /** The server's ALPN selector, or {@code null} to choose from {@link #applicationProtocols()}. */
    public BiFunction<SSLEngine, List<String>, String> applicationProtocolSelector() {
        return applicationProtocolSelector;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    public Executor delegatedTaskExecutor() {
        return delegatedTaskExecutor;
    }

    public boolean verifyHostname() {
        return verifyHostname;
    }

    public int pooledBuffers() {
        return pooledBuffers;
    }

    /**
     * The signature schemes server engines are limited to, or {@code null} to keep the JDK's list (a config
     * {@link #forContext}, a host that configured its own, or key material of a kind {@code SignatureSchemes} does
     * not know). Not to be changed: every engine's {@code SSLParameters} copies it.
     */
    String[] serverSignatureSchemes() {
        return serverSignatureSchemes;
    }

    /** Builds a {@link TlsConfig}; values are checked by the setters. */
    public static final class Builder {
        private final KeyMaterial keyMaterial;
        private final SSLContext givenContext;
        private List<X509Certificate> trusted = List.of();
        private List<String> applicationProtocols = List.of();
        private BiFunction<SSLEngine, List<String>, String> applicationProtocolSelector;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Executor delegatedTaskExecutor = task -> Thread.ofVirtual().name("websock-tls-task").start(task);
        private boolean verifyHostname = true;
        private int pooledBuffers = 256;

        private Builder(KeyMaterial keyMaterial, SSLContext context) {
            this.keyMaterial = keyMaterial;
            this.givenContext = context;
        }

        /**
         * The certificates this side trusts when it verifies its peer (as a client: the server's); default
         * none, meaning the JDK's default CAs. For a development server with a self-signed certificate, give
         * that certificate. Not for {@link #forContext} configs, whose context has its own trust.
         */
        public Builder trust(List<X509Certificate> certificates) {
            if (givenContext != null) {
                throw new IllegalStateException("the SSLContext given to forContext already decides trust; "
                        + "build its TrustManagers with these certificates instead");
            }
            this.trusted = List.copyOf(certificates);
            return this;
        }

        /**
         * ALPN protocol names (RFC 7301 §3.1), such as {@code "http/1.1"}; default none, because a WebSocket
         * server over HTTP/1.1 works without ALPN. A server selects the first of these that the client offers
         * and fails the handshake with {@code no_application_protocol} when the client offers only others.
         */
        public Builder applicationProtocols(String... protocols) {
            for (String protocol : protocols) {
                if (protocol.isEmpty() || protocol.length() > 255) {
                    throw new IllegalArgumentException("an ALPN protocol name has 1 to 255 bytes (RFC 7301 §3.1): '"
                            + protocol + "'");
                }
            }
            this.applicationProtocols = List.of(protocols);
            return this;
        }

        /**
         * The server's ALPN hook, called during the handshake with the client's offered protocols; it returns
         * one of them, {@code ""} to negotiate none, or {@code null} to fail the handshake (see
         * {@link SSLEngine#setHandshakeApplicationProtocolSelector}). Default: unset, choose from
         * {@link #applicationProtocols}. It runs on the delegated-task thread: it must not block for long.
         */
        public Builder applicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
            this.applicationProtocolSelector = Objects.requireNonNull(selector, "selector");
            return this;
        }

        /**
         * How long a handshake may take from the first byte exchanged; default 10 s, generous for a slow mobile
         * link yet short enough that clients which connect and say nothing cannot pile up.
         */
        public Builder handshakeTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("handshakeTimeout must be positive, was " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /**
         * Runs the engine's delegated tasks (key exchange, signatures, certificate checks: the slow parts of a
         * handshake); default: a new virtual thread per batch, so an event loop never runs them and a burst
         * of handshakes is limited by the CPUs, not by a pool size.
         */
        public Builder delegatedTaskExecutor(Executor executor) {
            this.delegatedTaskExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Whether client engines check the server's certificate against the host connected to (RFC 6125,
         * endpoint identification "HTTPS"); default {@code true}, because without it any certificate from a
         * trusted CA passes for any host.
         */
        public Builder verifyHostname(boolean verify) {
            this.verifyHostname = verify;
            return this;
        }

        /**
         * How many record-sized (about 17 KiB) buffers' worth of bytes the transport keeps for reuse; default
         * 256 (about 4.3 MiB), enough for that many connections moving data at once, fewer when they pause
         * reading mid-read and keep larger buffers; idle connections hold none.
         */
        public Builder pooledBuffers(int buffers) {
            if (buffers < 0) {
                throw new IllegalArgumentException("pooledBuffers must not be negative, was " + buffers);
            }
            this.pooledBuffers = buffers;
            return this;
        }

        /**
         * @throws IllegalArgumentException when the context does not support both {@link #PROTOCOLS}
         */
        public TlsConfig build() {
            SSLContext context = givenContext != null ? givenContext : context(keyMaterial, trusted);
            List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getProtocols());
            if (!supported.containsAll(PROTOCOLS)) {
                throw new IllegalArgumentException("the SSLContext (" + context.getProtocol() + " from "
                        + context.getProvider().getName() + ") supports " + supported + " but TLS needs "
                        + PROTOCOLS + "; use a context from SSLContext.getInstance(\"TLS\")");
            }
            return new TlsConfig(this, context);
        }
    }
}
