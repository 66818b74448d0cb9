package dev.websock.conformance.reference;

import java.net.URI;
import java.nio.ByteBuffer;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.internal.MessageHandler;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * Jetty 12's WebSocket core as an echo server, configured as Jetty's own Autobahn server is: a
 * {@link MessageHandler} (which validates UTF-8 as frames arrive and aggregates messages) echoing whole text and
 * binary messages, permessage-deflate available (Jetty's extension registry offers it by default), message and
 * frame limits above case 9's 16 MiB.
 */
public final class JettyEchoServer implements EchoServer {

    private static final int LIMIT = 64 << 20;

    private final Server server;
    private final ServerConnector plain;
    private final ServerConnector tls;

    public JettyEchoServer() throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(16, 4);
        threads.setName("jetty-echo");
        server = new Server(threads);
        plain = new ServerConnector(server);
        plain.setHost("127.0.0.1");
        plain.setPort(0);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(TestCertificate.keyStore().toAbsolutePath().toString());
        ssl.setKeyStorePassword(new String(TestCertificate.PASSWORD));
        ssl.setKeyStoreType("PKCS12");
        tls = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory());
        tls.setHost("127.0.0.1");
        tls.setPort(0);
        server.addConnector(plain);
        server.addConnector(tls);
        WebSocketUpgradeHandler upgrade = new WebSocketUpgradeHandler(
                WebSocketServerComponents.ensureWebSocketComponents(server));
        upgrade.addMapping("/echo", WebSocketNegotiator.from((request, response, callback) -> new Echo(),
                (endpoint, request, response) -> (FrameHandler) endpoint, configuration -> {
                    configuration.setMaxTextMessageSize(LIMIT);
                    configuration.setMaxBinaryMessageSize(LIMIT);
                    configuration.setMaxFrameSize(LIMIT);
                }));
        server.setHandler(upgrade);
        server.start();
    }

    @Override
    public URI wsUri() {
        return URI.create("ws://127.0.0.1:" + plain.getLocalPort() + "/echo");
    }

    @Override
    public URI wssUri() {
        return URI.create("wss://127.0.0.1:" + tls.getLocalPort() + "/echo");
    }

    @Override
    public String name() {
        return "jetty";
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Echoes each whole message; the callback completes the received message once the echo is sent. */
    private static final class Echo extends MessageHandler {
        @Override
        protected void onText(String text, Callback callback) {
            sendText(text, callback, false);
        }

        @Override
        protected void onBinary(ByteBuffer payload, Callback callback) {
            sendBinary(payload, callback, false);
        }
    }
}
