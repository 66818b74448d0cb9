package dev.websock.server.cli;

import dev.websock.codec.extension.PerMessageDeflate;
import dev.websock.server.OriginPolicy;
import dev.websock.server.Session;
import dev.websock.server.WebSocketHandler;
import dev.websock.server.WebSocketServer;
import dev.websock.transport.tls.KeyMaterial;
import dev.websock.transport.tls.SelfSignedCertificate;
import dev.websock.transport.tls.TlsConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The runnable secure echo server: {@code ./websock-server [options]}. Echoes every text and binary message on
 * its path and on {@code /}, over {@code wss://} with a certificate from PEM files, a PKCS#12 keystore, or a
 * self-signed one made on first start and kept (so a browser exception is needed once), or over {@code ws://}
 * with {@code --plain}. It is what the conformance runner is pointed at.
 */
public final class EchoServer {
    private static final System.Logger LOG = System.getLogger(EchoServer.class.getName());

    private EchoServer() {
    }

    public static void main(String[] args) {
        EchoServerOptions options;
        try {
            options = EchoServerOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("websock-server: " + e.getMessage());
            System.err.println("Run with --help for the options.");
            System.exit(2);
            return;
        }
        if (options.help()) {
            EchoServerOptions.printHelp(System.out);
            return;
        }
        try {
            run(options, System.out);
        } catch (IOException | RuntimeException e) {
            System.err.println("websock-server: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Starts the server described by {@code options}, prints how to reach it, and returns it running. */
    static WebSocketServer start(EchoServerOptions options, PrintStream out) throws IOException {
        Echo echo = new Echo();
        WebSocketServer.Builder builder = WebSocketServer.builder()
                .bind(options.host(), options.port())
                .route(options.path(), echo)
                .maxMessageSize(options.maxMessageSize())
                .maxFrameSize(options.maxFrameSize())
                .idleTimeout(options.idleTimeout())
                .originPolicy(options.allowedOrigins().isEmpty()
                        ? OriginPolicy.any() : OriginPolicy.allowList(Set.copyOf(options.allowedOrigins())));
        if (!options.path().equals("/")) {
            builder.route("/", echo);
        }
        if (options.deflate()) {
            builder.perMessageDeflate(PerMessageDeflate.defaults());
        } else {
            builder.noPerMessageDeflate();
        }
        String where = "plain text, no certificate";
        if (!options.plain()) {
            KeyMaterial keys;
            if (options.certificate() != null) {
                keys = KeyMaterial.fromPem(options.certificate(), options.privateKey());
                where = "certificate " + options.certificate();
            } else if (options.keystore() != null) {
                keys = KeyMaterial.fromPkcs12(options.keystore(), options.keystorePassword());
                where = "keystore " + options.keystore();
            } else {
                Path directory = options.certificateDirectory();
                Path certificate = directory.resolve("localhost-certificate.pem");
                Path key = directory.resolve("localhost-key.pem");
                keys = SelfSignedCertificate.loadOrCreate(certificate, key);
                where = "self-signed certificate " + certificate + " (kept for the next start)";
            }
            builder.tls(TlsConfig.forServer(keys).build());
        }
        WebSocketServer server = builder.build().start();
        String scheme = options.plain() ? "ws" : "wss";
        String host = options.host().equals("0.0.0.0") || options.host().equals("::") ? "localhost" : options.host();
        String url = scheme + "://" + host + ":" + server.port() + options.path();
        out.println("websock echo server at " + url + " (" + where + ")");
        out.println("  try it:   the browser console: s = new WebSocket('" + url + "'); s.onmessage = e => console.log(e.data);"
                + " s.onopen = () => s.send('hello')");
        if (!options.plain() && options.certificate() == null && options.keystore() == null) {
            out.println("  browsers: open https://" + host + ":" + server.port() + "/ once and accept the certificate");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString(); // a JDK 25, as this one
        out.println("  conformance: ./mvnw -q -pl ws-conformance -am package -DskipTests && " + java
                + " -jar ws-conformance/target/ws-conformance.jar --url " + url + (options.plain() ? "" : " --insecure"));
        out.println("  stop:     Ctrl-C (sessions get 1001, going away)");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(Duration.ofSeconds(5)).join();
            String summary = "websock echo server stopped: served " + echo.sessions.get() + " sessions, echoed "
                    + echo.messages.get() + " messages";
            LOG.log(Level.INFO, summary);
            out.println(summary); // the logging framework may already be reset by its own shutdown hook
        }, "websock-server-shutdown"));
        return server;
    }

    private static void run(EchoServerOptions options, PrintStream out) throws IOException {
        start(options, out);
        try {
            Thread.currentThread().join(); // the event loops serve; Ctrl-C runs the shutdown hook
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Echoes what it receives, and counts. */
    static final class Echo implements WebSocketHandler {
        final AtomicLong sessions = new AtomicLong();
        final AtomicLong messages = new AtomicLong();

        @Override
        public void onOpen(Session session) {
            sessions.incrementAndGet();
        }

        @Override
        public void onText(Session session, String text) {
            messages.incrementAndGet();
            session.sendText(text);
        }

        @Override
        public void onBinary(Session session, ByteBuffer data) {
            messages.incrementAndGet();
            session.sendBinary(data);
        }
    }
}
