package dev.websock.server.session;

import dev.websock.codec.extension.AgreedExtension;
import dev.websock.codec.extension.ExtensionNegotiation;
import dev.websock.codec.handshake.HandshakeRejection;
import dev.websock.codec.handshake.ParserState;
import dev.websock.codec.handshake.ServerHandshake;
import dev.websock.codec.handshake.UpgradeRequest;
import dev.websock.codec.handshake.UpgradeRequestParser;
import dev.websock.server.HandshakeDecision;
import dev.websock.server.HandshakeRequest;
import dev.websock.transport.Cancellable;
import dev.websock.transport.Connection;
import dev.websock.transport.ConnectionHandler;
import dev.websock.transport.WriteCallback;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One accepted connection: reads the HTTP/1.1 upgrade request, answers it (101, or an error status and
 * close), and from then on hands the bytes to its {@link WebSocketSession}. The transport's handler.
 *
 * <p>Checks, in order: the request's syntax and limits (400, 414, 431), that it is a WebSocket handshake
 * (400, 405, 426, 505), the route (404), the origin policy (403), the interceptor (its status). The first
 * failure is answered and logged in one line, and the connection closed.
 */
public final class ServerConnection implements ConnectionHandler {
    private static final System.Logger LOG = System.getLogger(ServerConnection.class.getName());

    private final ServerConfig config;
    private final Sessions sessions;
    private Connection connection;
    private UpgradeRequestParser parser;
    private Cancellable handshakeTimer;
    private WebSocketSession session;
    private boolean admitted;
    private boolean answered;

    public ServerConnection(ServerConfig config, Sessions sessions) {
        this.config = config;
        this.sessions = sessions;
    }

    @Override
    public void onOpen(Connection connection) {
        this.connection = connection;
        if (!sessions.admit(this)) {
            String reason = sessions.isShuttingDown() ? "the server is shutting down; connect to another instance"
                    : "the server holds its maximum of " + config.maxConnections() + " connections; retry later";
            reject(new HandshakeRejection(503, reason), "no handshake read");
            return;
        }
        admitted = true;
        LOG.log(Level.DEBUG, () -> "connection from " + connection.remoteAddress() + " opened");
        parser = new UpgradeRequestParser(config.handshakeLimits());
        handshakeTimer = connection.schedule(config.handshakeTimeoutNanos(), TimeUnit.NANOSECONDS, () -> {
            if (session == null && !answered) {
                reject(new HandshakeRejection(408, "the opening handshake did not arrive within "
                        + TimeUnit.NANOSECONDS.toMillis(config.handshakeTimeoutNanos()) + " ms"), "handshake timeout");
            }
        });
    }

    @Override
    public void onRead(Connection connection, ByteBuffer data) {
        if (session != null) {
            session.onRead(data);
            return;
        }
        if (answered) {
            return; // a rejected request: what follows it is dropped while the response goes out
        }
        ParserState state = parser.parse(data);
        if (state == ParserState.FAILED) {
            reject(parser.rejection(), "malformed request");
        } else if (state == ParserState.DONE) {
            UpgradeRequest request = parser.request();
            parser = null;
            upgrade(request);
            if (session != null && data.hasRemaining()) {
                session.onRead(data); // frames the client sent right behind its request
            }
        }
    }

    private void upgrade(UpgradeRequest upgrade) {
        String key;
        switch (ServerHandshake.validate(upgrade)) {
            case ServerHandshake.Accepted accepted -> key = accepted.key();
            case HandshakeRejection rejection -> {
                reject(rejection, upgrade.method() + " " + upgrade.target());
                return;
            }
        }
        Route route = config.routes().get(upgrade.path());
        if (route == null) {
            reject(new HandshakeRejection(404, "no WebSocket endpoint at " + abbreviate(upgrade.path())
                    + "; endpoints: " + config.routes().keySet()), upgrade.target());
            return;
        }
        HandshakeRequest request = new HandshakeRequest(upgrade.path(), upgrade.query(), upgrade,
                connection.remoteAddress(), config.secure());
        String origin = request.origin();
        if (origin != null && !config.originPolicy().allows(origin, request.header("Host"))) {
            reject(new HandshakeRejection(403, "origin " + abbreviate(origin)
                    + " may not open WebSockets here (the server's origin policy)"), upgrade.target());
            return;
        }
        HandshakeDecision decision;
        try {
            decision = config.interceptor().intercept(request);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the handshake interceptor failed for " + connection.remoteAddress(), e);
            decision = HandshakeDecision.reject(500, "the server failed to decide on this handshake");
        }
        if (decision instanceof HandshakeDecision.Reject(int status, String reason)) {
            reject(new HandshakeRejection(status, reason), upgrade.target());
            return;
        }
        String subprotocol = ServerHandshake.selectSubprotocol(config.subprotocols(), upgrade);
        List<AgreedExtension> agreed = List.of();
        String extensionsHeader = null;
        ExtensionNegotiation negotiation = config.extensions();
        if (negotiation != null) {
            ExtensionNegotiation.Agreement agreement = negotiation.accept(upgrade.headers().all("Sec-WebSocket-Extensions"));
            agreed = agreement.extensions();
            extensionsHeader = agreement.responseHeader();
            if (!agreement.declined().isEmpty()) {
                LOG.log(Level.DEBUG, () -> "declined extension offers from " + connection.remoteAddress() + ": "
                        + agreement.declined());
            }
        }
        byte[] response = ServerHandshake.accept(key, subprotocol, extensionsHeader);
        handshakeTimer.cancel();
        handshakeTimer = null; // the cancelled task and its lambda would otherwise stay with every open connection
        connection.write(ByteBuffer.wrap(response), WriteCallback.NONE);
        session = new WebSocketSession(connection, config, route, request, subprotocol, agreed,
                ((HandshakeDecision.Accept) decision).attributes());
        session.start();
    }

    private void reject(HandshakeRejection rejection, String what) {
        answered = true;
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
        LOG.log(Level.INFO, () -> "refused the handshake from " + connection.remoteAddress() + " (" + abbreviate(what)
                + ") with " + rejection.status() + " " + rejection.reasonPhrase() + ": " + rejection.reason());
        connection.write(ByteBuffer.wrap(ServerHandshake.reject(rejection)), WriteCallback.NONE);
        connection.close();
        // A client that reads nothing could hold a graceful close open: bound it (the SPI's advice).
        connection.schedule(config.closeTimeoutNanos(), TimeUnit.NANOSECONDS, connection::abort);
    }

    @Override
    public void onWritable(Connection connection) {
        if (session != null) {
            session.onWritable();
        }
    }

    @Override
    public void onReadShutdown(Connection connection) {
        if (session != null) {
            session.onReadShutdown();
        } else {
            connection.close();
        }
    }

    @Override
    public void onClosed(Connection connection, Throwable cause) {
        if (admitted) {
            sessions.remove(this);
            LOG.log(Level.DEBUG, () -> "connection from " + connection.remoteAddress() + " closed"
                    + (cause == null ? "" : ": " + cause));
        }
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
        if (session != null) {
            session.connectionClosed(cause);
        }
    }

    /** Server shutdown: 1001 to an open session, and an end to a connection still in its handshake. */
    void shutDown() {
        connection.executor().execute(() -> {
            if (session != null) {
                session.close(1001, "server shutting down");
            } else if (!answered) {
                reject(new HandshakeRejection(503, "the server is shutting down; connect to another instance"),
                        "shutdown");
            }
        });
    }

    private static String abbreviate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "…";
    }
}
