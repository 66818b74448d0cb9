package dev.websock.server.session;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The live connections of one server: for the connection limit and for shutdown. Thread-safe. */
public final class Sessions {
    private final Set<ServerConnection> live = ConcurrentHashMap.newKeySet();
    private final int maxConnections;
    private volatile boolean shuttingDown;

    public Sessions(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    /** Registers a new connection; false when the server is full or shutting down. */
    boolean admit(ServerConnection connection) {
        if (shuttingDown || live.size() >= maxConnections) {
            return false;
        }
        live.add(connection);
        return true;
    }

    void remove(ServerConnection connection) {
        live.remove(connection);
    }

    public int count() {
        return live.size();
    }

    boolean isShuttingDown() {
        return shuttingDown;
    }

    /** Stops admitting, sends 1001 to every open session and closes connections still in their handshake. */
    public void shutDown() {
        shuttingDown = true;
        for (ServerConnection connection : live) {
            connection.shutDown();
        }
    }
}
