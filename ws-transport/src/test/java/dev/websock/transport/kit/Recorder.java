package dev.websock.transport.kit;

import static org.junit.jupiter.api.Assertions.fail;

import dev.websock.transport.Connection;
import dev.websock.transport.ConnectionHandler;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32;

/**
 * A handler that records what happened to its connection and checks the threading contract on every
 * callback: each runs on the connection thread, never two at once, onOpen first, onClosed last and once.
 * Tests wait on it with a timeout; subclasses add behaviour by overriding {@link #opened} and {@link #read}.
 *
 * <p>Broken rules are collected as {@link #violations()} rather than thrown, because a throw inside a
 * callback would only abort the connection; {@link TransportKit} fails the test with them afterwards.
 */
public class Recorder implements ConnectionHandler {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final boolean keepBytes;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final CRC32 checksum = new CRC32();
    private long receivedCount;
    private final List<String> violations = new ArrayList<>();
    private final AtomicReference<Thread> inCallback = new AtomicReference<>();
    private volatile Connection connection;
    private Thread connectionThread;
    private boolean opened;
    private int reads;
    private boolean readShutdown;
    private int writableEvents;
    private int closedCount;
    private Throwable closeCause;

    /** A recorder that keeps every byte it receives. */
    public Recorder(String name) {
        this(name, true);
    }

    /**
     * @param keepBytes whether to keep the bytes received; when {@code false}, only their count and
     *                  {@link #checksum()} are kept, for streams too large to hold
     */
    public Recorder(String name, boolean keepBytes) {
        this.name = name;
        this.keepBytes = keepBytes;
    }

    /** The connection, once onOpen has run. */
    public Connection connection() {
        return connection;
    }

    /** Called from onOpen; does nothing unless overridden. */
    protected void opened(Connection connection) {
    }

    /** Called from onRead after the bytes were recorded; does nothing unless overridden. */
    protected void read(Connection connection, ByteBuffer data) {
    }

    /** Called from onWritable; does nothing unless overridden. */
    protected void writable(Connection connection) {
    }

    /** Called from onClosed after it was recorded; does nothing unless overridden. */
    protected void closed(Connection connection, Throwable cause) {
    }

    /** Called from onReadShutdown; the default closes, as {@link ConnectionHandler} does. */
    protected void readShutdown(Connection connection) {
        connection.close();
    }

    @Override
    public final void onOpen(Connection connection) {
        enter(connection, "onOpen");
        try {
            synchronized (this) {
                if (opened) {
                    violation("onOpen called twice");
                }
                opened = true;
                this.connection = connection;
                notifyAll();
            }
            opened(connection);
        } finally {
            exit();
        }
    }

    @Override
    public final void onRead(Connection connection, ByteBuffer data) {
        enter(connection, "onRead");
        try {
            ByteBuffer view = data.duplicate();
            byte[] bytes = new byte[view.remaining()];
            view.get(bytes);
            synchronized (this) {
                if (!connection.isOpen() && closedCount == 0) {
                    violation("onRead after close() or abort(), which stop reading");
                }
                if (!opened || closedCount > 0 || readShutdown) {
                    violation("onRead after " + (!opened ? "nothing (before onOpen)" : closedCount > 0 ? "onClosed" : "onReadShutdown"));
                }
                reads++;
                receivedCount += bytes.length;
                checksum.update(bytes);
                if (keepBytes) {
                    received.writeBytes(bytes);
                }
                notifyAll();
            }
            read(connection, data);
        } finally {
            exit();
        }
    }

    @Override
    public final void onWritable(Connection connection) {
        enter(connection, "onWritable");
        try {
            synchronized (this) {
                writableEvents++;
                notifyAll();
            }
            writable(connection);
        } finally {
            exit();
        }
    }

    @Override
    public final void onReadShutdown(Connection connection) {
        enter(connection, "onReadShutdown");
        try {
            synchronized (this) {
                if (readShutdown || closedCount > 0) {
                    violation("onReadShutdown " + (readShutdown ? "twice" : "after onClosed"));
                }
                readShutdown = true;
                notifyAll();
            }
            readShutdown(connection);
        } finally {
            exit();
        }
    }

    @Override
    public final void onClosed(Connection connection, Throwable cause) {
        enter(connection, "onClosed");
        try {
            synchronized (this) {
                if (closedCount > 0) {
                    violation("onClosed called again, cause " + cause);
                }
                if (connection.isOpen()) {
                    violation("isOpen() is true in onClosed");
                }
                closedCount++;
                closeCause = cause;
                notifyAll();
            }
            closed(connection, cause);
        } finally {
            exit();
        }
    }

    private void enter(Connection connection, String callback) {
        Thread current = Thread.currentThread();
        Thread other = inCallback.getAndSet(current);
        synchronized (this) {
            if (other != null) {
                violation(callback + " on " + current + " while " + other + " was inside another callback");
            }
            if (!connection.inConnectionThread()) {
                violation(callback + " on " + current + ", which inConnectionThread() says is not the connection thread");
            }
            if (connectionThread == null) {
                connectionThread = current;
            } else if (connectionThread != current) {
                violation(callback + " on " + current + ", earlier callbacks on " + connectionThread);
            }
            if (!opened && !callback.equals("onOpen")) {
                violation(callback + " before onOpen");
            }
        }
    }

    private void exit() {
        inCallback.set(null);
    }

    /** Records a broken rule; callers hold the lock or own the state they report on. */
    public synchronized void violation(String what) {
        violations.add(name + ": " + what);
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** The thread that ran the callbacks, once one has run. */
    public synchronized Thread connectionThread() {
        return connectionThread;
    }

    public synchronized byte[] received() {
        return received.toByteArray();
    }

    public synchronized long receivedCount() {
        return receivedCount;
    }

    /** The CRC-32 of every byte received. */
    public synchronized long checksum() {
        return checksum.getValue();
    }

    public synchronized int reads() {
        return reads;
    }

    public synchronized int writableEvents() {
        return writableEvents;
    }

    public synchronized boolean isReadShutdown() {
        return readShutdown;
    }

    public synchronized boolean isClosed() {
        return closedCount > 0;
    }

    /** Waits for onOpen and returns the connection. */
    public Connection awaitOpen() {
        await("onOpen", () -> opened);
        return connection;
    }

    /** Waits until at least {@code count} bytes arrived; returns all bytes received so far. */
    public byte[] awaitReceived(long count) {
        await(count + " bytes received", () -> receivedCount >= count);
        return received();
    }

    public void awaitReadShutdown() {
        await("onReadShutdown", () -> readShutdown);
    }

    /** Waits for onClosed and returns its cause, empty after a graceful close. */
    public Optional<Throwable> awaitClosed() {
        await("onClosed", () -> closedCount > 0);
        synchronized (this) {
            return Optional.ofNullable(closeCause);
        }
    }

    /** Waits until {@code condition}, evaluated under this recorder's lock, holds; fails after {@link #TIMEOUT}. */
    public synchronized void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail(name + " did not see " + what + " within " + TIMEOUT.toSeconds() + " s; it saw " + this);
            }
            try {
                // Polls too: conditions may watch state that changes without notifying this recorder.
                wait(Math.max(1, Math.min(10, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for " + what);
            }
        }
    }

    @Override
    public synchronized String toString() {
        return name + "[opened=" + opened + ", reads=" + reads + ", bytes=" + receivedCount + ", readShutdown="
                + readShutdown + ", onWritable=" + writableEvents + ", closed=" + closedCount + ", cause="
                + closeCause + "]";
    }
}
