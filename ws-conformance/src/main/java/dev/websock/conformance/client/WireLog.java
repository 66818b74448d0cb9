package dev.websock.conformance.client;

import java.util.ArrayList;
import java.util.List;

/**
 * The frames and octet chops of one case, both directions, with the time since the case started. Bounded: a
 * 16 MiB message chopped into 64-byte writes must not become a 16 MiB report, so after {@link #MAX_ENTRIES}
 * lines only a count is kept. Thread-safe: the case thread writes TX lines, the reading thread RX lines.
 */
public final class WireLog {

    public static final int MAX_ENTRIES = 400;

    private final long startNanos;
    private final List<String> entries = new ArrayList<>();
    private int omitted;
    private boolean paused;

    public WireLog(long startNanos) {
        this.startNanos = startNanos;
    }

    public synchronized void tx(String what) {
        add("TX", what);
    }

    public synchronized void rx(String what) {
        add("RX", what);
    }

    public synchronized void note(String what) {
        add("--", what);
    }

    /** Stops logging frames (bulk cases log their first and last exchanges, like Autobahn's 12.x). */
    public synchronized void pause(boolean pause) {
        if (pause && !paused) {
            add("--", "wire log paused for the bulk of the case");
        }
        paused = pause;
    }

    private void add(String direction, String what) {
        if (paused && !direction.equals("--")) {
            omitted++;
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            omitted++;
            return;
        }
        long micros = (System.nanoTime() - startNanos) / 1000;
        entries.add(String.format("%4d.%03d ms %s %s", micros / 1000, micros % 1000, direction, what));
    }

    public synchronized List<String> entries() {
        List<String> copy = new ArrayList<>(entries);
        if (omitted > 0) {
            copy.add("... " + omitted + " more entries not logged");
        }
        return copy;
    }
}
