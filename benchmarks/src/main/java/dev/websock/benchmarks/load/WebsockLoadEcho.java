package dev.websock.benchmarks.load;

import dev.websock.benchmarks.harness.ServerConsole;
import dev.websock.benchmarks.harness.TlsMaterial;
import dev.websock.server.MessageDelivery;
import dev.websock.server.Session;
import dev.websock.server.WebSocketHandler;
import dev.websock.server.WebSocketServer;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.epoll.EpollTransportProvider;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * websock's {@code ws-server} as the load benchmark's echo: its default NIO transport (or the epoll one, see
 * {@link #TRANSPORT}) with one event loop per available processor, handlers on the event loop, whole messages, permessage-deflate with
 * {@code PerMessageDeflate.defaults()} or declined, TLS 1.3/1.2 from the run's key store. The limits and the idle
 * timeout are raised for the matrix ({@link LoadServer#MAX_SIZE}, {@link LoadServer#IDLE_TIMEOUT}); the rest,
 * the outgoing fragment size (64 KiB frames) included, is websock's default.
 */
final class WebsockLoadEcho implements LoadServer.Echo {
    /** Above the 10,000-connection memory cell with room for any larger run; the default is 65,536. */
    private static final int MAX_CONNECTIONS = 200_000;
    /**
     * The event loop polls on for this long after I/O before it blocks ({@code TransportOptions.busyPoll}), as
     * websock's documentation recommends for latency-bound servers on cores of their own; Netty's NIO transport and
     * Jetty have no such setting. {@code -Dbench.busyPollMicros=0} runs websock's default instead.
     */
    static final Duration BUSY_POLL = Duration.ofNanos(Long.getLong("bench.busyPollMicros", 50) * 1000);
    /**
     * {@code -Dbench.transport=epoll} serves over websock's epoll transport (Linux, FFM; one small object per
     * connection instead of the JDK's SocketChannel and its selection key) rather than the default NIO one.
     */
    static final String TRANSPORT = System.getProperty("bench.transport", "nio");

    private final WebSocketServer server;

    /**
     * @param keyStore the PKCS#12 key store for {@code wss://}, or null for {@code ws://}
     * @param deflate  whether permessage-deflate is negotiated when a client offers it
     * @param open     counts the sessions currently open
     */
    WebsockLoadEcho(Path keyStore, boolean deflate, AtomicInteger open) throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        WebSocketServer.Builder builder = WebSocketServer.builder()
                .bind(LoadServer.HOST, 0)
                .route(LoadServer.PATH, new Echo(open), MessageDelivery.WHOLE)
                .maxMessageSize(LoadServer.MAX_SIZE)
                .maxFrameSize(LoadServer.MAX_SIZE)
                .idleTimeout(LoadServer.IDLE_TIMEOUT)
                .maxConnections(MAX_CONNECTIONS)
                .transportOptions(TransportOptions.builder().threads(threads).busyPoll(BUSY_POLL).build());
        switch (TRANSPORT) {
            case "nio" -> { }
            case "epoll" -> builder.transport(new EpollTransportProvider());
            default -> throw new IllegalArgumentException("bench.transport " + TRANSPORT + " is not nio or epoll");
        }
        // The default origin policy (sameOrigin) admits requests without an Origin header, which is what the load
        // generator sends, so it stays.
        if (!deflate) {
            builder.noPerMessageDeflate();
        }
        if (keyStore != null) {
            builder.tls(TlsMaterial.websockConfig(keyStore));
        }
        server = builder.build().start();
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }

    /** Sends every message back as it came; one instance serves all sessions, so it holds nothing per session. */
    private static final class Echo implements WebSocketHandler {
        private final AtomicInteger open;

        Echo(AtomicInteger open) {
            this.open = open;
        }

        @Override
        public void onOpen(Session session) {
            open.incrementAndGet();
            ServerConsole.noteIoThread();
        }

        @Override
        public void onText(Session session, String text) {
            session.sendText(text);
        }

        @Override
        public void onBinary(Session session, ByteBuffer data) {
            session.sendBinary(data); // copied (or compressed) during the call, as the data is valid only here
        }

        @Override
        public void onClose(Session session, int code, String reason) {
            open.decrementAndGet();
        }
    }
}
