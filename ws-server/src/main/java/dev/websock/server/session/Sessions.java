package dev.websock.server.session;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The live connections of one server: for the connection limit and for shutdown. Thread-safe. */
public final class Sessions {
    private final Set<ServerConnection> live = ConcurrentHashMap.newKeySet();
    /** Places taken, claimed before a connection joins {@link #live}: event loops admit concurrently. */
    private final AtomicInteger taken = new AtomicInteger();
    private final int maxConnections;
    private volatile boolean shuttingDown;

    public Sessions(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    /** Registers a new connection; false when the server is full or shutting down. */
    boolean admit(ServerConnection connection) {
        if (shuttingDown) {
            return false;
        }
        int now;
        do {
            now = taken.get();
            if (now >= maxConnections) {
                return false;
            }
        } while (!taken.compareAndSet(now, now + 1));
        live.add(connection);
        if (shuttingDown) {
            // shutDown() may have gone through the live set before this connection joined it.
            remove(connection);
            return false;
        }
        return true;
    }

    void remove(ServerConnection connection) {
        if (live.remove(connection)) {
            taken.decrementAndGet();
        }
    }

    public int count() {
        return taken.get();
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
