/**
 * TLS 1.3 and 1.2 over any {@link dev.websock.transport.Transport}, with the JDK's
 * {@link javax.net.ssl.SSLEngine} and nothing else.
 *
 * <p>{@link dev.websock.transport.tls.TlsTransport} wraps a transport: the connections it accepts and opens
 * are {@link dev.websock.transport.tls.TlsConnection}s, which the application uses like any
 * {@link dev.websock.transport.Connection}, with {@link dev.websock.transport.Connection#tlsSession()} and the
 * ALPN protocol ready when its handler's {@code onOpen} runs. {@link dev.websock.transport.tls.TlsConfig} says
 * how engines are made; {@link dev.websock.transport.tls.KeyMaterial} loads a key and certificate chain from
 * PEM files (PKCS#8, RFC 7468) or a PKCS#12 keystore; {@link dev.websock.transport.tls.SelfSignedCertificate}
 * makes a development certificate.
 *
 * <pre>{@code
 * KeyMaterial keys = SelfSignedCertificate.loadOrCreate(Path.of("cert.pem"), Path.of("key.pem"));
 * Transport tls = new TlsTransport(Transports.defaultProvider().open(TransportOptions.defaults()),
 *         TlsConfig.forServer(keys).build());
 * tls.listen(new InetSocketAddress(8443), connection -> handler);
 * }</pre>
 *
 * <h2>What the layer guarantees</h2>
 * <ul>
 *   <li>Only TLS 1.3 and 1.2 are negotiated (RFC 8996 retires 1.0 and 1.1); TLS 1.2 renegotiation is refused.
 *   <li>The connection thread never blocks: the engine's delegated tasks run on
 *       {@link dev.websock.transport.tls.TlsConfig#delegatedTaskExecutor()}, and the connection resumes on its
 *       own thread when they are done.
 *   <li>Records split over reads, and many records in one read, are handled (RFC 8446 §5.1).
 *   <li>{@code close_notify} is sent by {@code shutdownOutput} and {@code close}, and a received one is
 *       {@code onReadShutdown}; a stream that ends without one after the handshake closes with an
 *       {@link javax.net.ssl.SSLException} (RFC 8446 §6.1).
 *   <li>A failed handshake (a refused version, a garbage ClientHello, a timeout) closes only that connection,
 *       with one log line, and never reaches the application's handler.
 *   <li>Record buffers, sized from the {@link javax.net.ssl.SSLSession}, are taken from a pool shared by the
 *       transport's connections when bytes arrive or leave and given back when nothing is buffered: an idle
 *       connection holds none.
 * </ul>
 */
package dev.websock.transport.tls;
