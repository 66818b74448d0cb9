package dev.websock.benchmarks.load;

import dev.websock.benchmarks.harness.ServerConsole;
import dev.websock.benchmarks.harness.TlsMaterial;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.internal.MessageHandler;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * Jetty 12.1's WebSocket core as the load benchmark's echo, as in Jetty's own Autobahn server: a
 * {@link MessageHandler} echoing whole text and binary messages, the received message's callback completed when
 * its echo is sent. One {@link ServerConnector} with one acceptor and one selector per available processor, the
 * default {@link QueuedThreadPool} (callbacks run on its threads, as Jetty's execution strategy decides),
 * permessage-deflate from Jetty's extension registry (or removed from it), TLS 1.3/1.2 from the run's key store
 * with the JDK provider. Limits and idle timeouts are raised for the matrix; the rest is Jetty's default.
 */
final class JettyLoadEcho implements LoadServer.Echo {
    /** Pending connections the kernel queues; the JDK's default, 50, overflows when thousands connect at once. */
    private static final int ACCEPT_QUEUE = 1024;
    /** Jetty's documented default since 10.0 (issue 5306): one acceptor thread is enough for any core count. */
    private static final int ACCEPTORS = 1;
    /** RFC 7692's name for the extension, the key of Jetty's extension registry. */
    private static final String PERMESSAGE_DEFLATE = "permessage-deflate";

    private final Server server;
    private final ServerConnector connector;

    /**
     * @param keyStore the PKCS#12 key store for {@code wss://}, or null for {@code ws://}
     * @param deflate  whether permessage-deflate is negotiated when a client offers it
     * @param open     counts the sessions currently open
     */
    JettyLoadEcho(Path keyStore, boolean deflate, AtomicInteger open) throws Exception {
        server = new Server(new QueuedThreadPool());
        HttpConnectionFactory http = new HttpConnectionFactory();
        ConnectionFactory[] factories = keyStore == null ? new ConnectionFactory[] {http}
                : new ConnectionFactory[] {new SslConnectionFactory(sslContextFactory(keyStore), http.getProtocol()), http};
        connector = new ServerConnector(server, ACCEPTORS, Runtime.getRuntime().availableProcessors(), factories);
        connector.setHost(LoadServer.HOST);
        connector.setPort(0);
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        connector.setIdleTimeout(LoadServer.IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);

        WebSocketComponents components = WebSocketServerComponents.ensureWebSocketComponents(server);
        if (!deflate) {
            // Jetty negotiates whatever its registry holds that the client offers; without the entry it declines.
            components.getExtensionRegistry().unregister(PERMESSAGE_DEFLATE);
        }
        WebSocketUpgradeHandler upgrade = new WebSocketUpgradeHandler(components);
        upgrade.addMapping(LoadServer.PATH, WebSocketNegotiator.from((request, response, callback) -> new Echo(open),
                (endpoint, request, response) -> (FrameHandler) endpoint, configuration -> {
                    configuration.setMaxTextMessageSize(LoadServer.MAX_SIZE);
                    configuration.setMaxBinaryMessageSize(LoadServer.MAX_SIZE);
                    configuration.setMaxFrameSize(LoadServer.MAX_SIZE);
                    configuration.setIdleTimeout(LoadServer.IDLE_TIMEOUT);
                }));
        server.setHandler(upgrade);
        server.start();
    }

    private static SslContextFactory.Server sslContextFactory(Path keyStore) throws Exception {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(TlsMaterial.serverContext(keyStore));
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        return ssl;
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop: " + e.getMessage(), e);
        }
    }

    /** Echoes each whole message; the callback completes the received message once its echo is sent. */
    private static final class Echo extends MessageHandler {
        private final AtomicInteger open;

        Echo(AtomicInteger open) {
            this.open = open;
        }

        @Override
        public void onOpen(CoreSession session, Callback callback) {
            open.incrementAndGet();
            ServerConsole.noteIoThread();
            super.onOpen(session, callback);
        }

        @Override
        protected void onText(String text, Callback callback) {
            sendText(text, callback, false);
        }

        @Override
        protected void onBinary(ByteBuffer payload, Callback callback) {
            sendBinary(payload, callback, false);
        }

        @Override
        public void onClosed(CloseStatus status, Callback callback) {
            open.decrementAndGet();
            super.onClosed(status, callback);
        }
    }
}
