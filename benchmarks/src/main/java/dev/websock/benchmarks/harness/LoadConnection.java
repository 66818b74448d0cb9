package dev.websock.benchmarks.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;

/**
 * One connection of a load generator, plain or TLS: the socket work both load generators share. It writes what
 * the connection owes, as slices its subclass hands out, and reads, unwrapping TLS, into plaintext it hands back;
 * the subclass says what the bytes are (a byte pattern, WebSocket frames) and checks them.
 *
 * <p>Single-threaded: the load generator's selector thread, or the thread that opens it in blocking mode.
 */
public abstract class LoadConnection {
    /** The longest slice written at once on a plain connection. */
    public static final int WINDOW = 256 * 1024;
    private static final int TLS_RECORD = 16 * 1024;
    private static final int READS_PER_EVENT = 16;

    protected final SocketChannel channel;
    private SelectionKey key;
    private int interestOps = SelectionKey.OP_READ;
    private SSLEngine engine;
    private ByteBuffer netIn;
    private ByteBuffer netOut;
    /** Bytes issued but not yet written (plain) or wrapped (TLS). */
    protected long owed;

    protected LoadConnection(SocketChannel channel) {
        this.channel = channel;
    }

    /** The next bytes owed, at most {@code max}, from the buffer's position to its limit; called while some are owed. */
    protected abstract ByteBuffer nextSlice(int max);

    /** {@code bytes} of the last slice were written (plain) or wrapped (TLS); {@link #owed} already counts them off. */
    protected abstract void sent(int bytes);

    /** Plaintext the server sent, to check and count. */
    protected abstract void consume(ByteBuffer data) throws IOException;

    /** The exception for a failure of this connection: names the cell and the connection, then {@code what}. */
    protected abstract IOException failure(String what);

    /** Whether this connection has nothing more to read (it has seen the end of its conversation). */
    protected boolean doneReading() {
        return false;
    }

    public SocketChannel channel() {
        return channel;
    }

    /** Whether the connection is TLS. */
    public boolean secure() {
        return engine != null;
    }

    /** Registers for reading with {@code selector}, this connection attached. */
    public void register(Selector selector) throws IOException {
        key = channel.register(selector, SelectionKey.OP_READ, this);
    }

    /** Sets the selector interest, touching the key only when it changes. */
    public final void interest(int ops) {
        if (key != null && ops != interestOps && key.isValid()) {
            interestOps = ops;
            key.interestOps(ops);
        }
    }

    /**
     * Runs a TLS 1.3 handshake over the still blocking channel; from then on every read and write goes through
     * TLS. Returns the protocol and cipher suite agreed.
     */
    public String startTls(SSLContext context, InetSocketAddress address, String[] cipherSuites) throws IOException {
        engine = TlsClient.engine(context, address, cipherSuites);
        int packet = engine.getSession().getPacketBufferSize();
        netIn = ByteBuffer.allocate(2 * packet);
        netOut = ByteBuffer.allocate(packet).flip();
        return TlsClient.handshake(channel, engine, netIn, netOut);
    }

    /** Writes all of {@code data} over the blocking channel (through TLS once started). */
    protected final void writeFully(ByteBuffer data) throws IOException {
        if (engine == null) {
            while (data.hasRemaining()) {
                channel.write(data);
            }
            return;
        }
        while (data.hasRemaining()) {
            netOut.clear();
            SSLEngineResult result = engine.wrap(data, netOut);
            if (result.getStatus() != SSLEngineResult.Status.OK) {
                throw failure("TLS wrap " + result.getStatus());
            }
            netOut.flip();
            while (netOut.hasRemaining()) {
                channel.write(netOut);
            }
        }
    }

    /** Reads at least one byte into {@code into} from the blocking channel (through TLS once started); false at its end. */
    protected final boolean readSome(ByteBuffer into) throws IOException {
        if (engine == null) {
            return channel.read(into) >= 0;
        }
        int start = into.position();
        while (into.position() == start) {
            netIn.flip();
            SSLEngineResult result = engine.unwrap(netIn, into);
            netIn.compact();
            if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                TlsClient.runTasks(engine);
            }
            // A record that carried no application data (a TLS 1.3 session ticket) may be followed by more records
            // already read: read from the socket only when no whole record is left.
            boolean starved = result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                    || (result.getStatus() == SSLEngineResult.Status.OK && result.bytesConsumed() == 0);
            if (starved) {
                if (channel.read(netIn) < 0) {
                    return false;
                }
            } else if (result.getStatus() != SSLEngineResult.Status.OK) {
                throw failure("TLS unwrap " + result.getStatus());
            }
        }
        return true;
    }

    /**
     * Reads what has come, up to 16 reads (one when the channel is blocking), unwrapping TLS into
     * {@code applicationIn}, and hands the plaintext to {@link #consume}. Returns false at the end of the stream
     * (or the peer's TLS {@code close_notify}): the caller decides whether that was expected.
     */
    public final boolean read(ByteBuffer readBuffer, ByteBuffer applicationIn) throws IOException {
        for (int i = 0; i < READS_PER_EVENT && !doneReading(); i++) {
            int n;
            if (engine == null) {
                readBuffer.clear();
                n = channel.read(readBuffer);
                if (n > 0) {
                    consume(readBuffer.flip());
                }
            } else {
                n = channel.read(netIn);
                if (n > 0 && !unwrap(applicationIn)) {
                    return false;
                }
            }
            if (n < 0) {
                return false;
            }
            if (n == 0 || channel.isBlocking() || (engine == null && n < readBuffer.capacity())) {
                return true;
            }
        }
        return true;
    }

    /** Unwraps the whole records in {@code netIn}; false when the peer closed TLS. */
    private boolean unwrap(ByteBuffer applicationIn) throws IOException {
        netIn.flip();
        try {
            while (netIn.hasRemaining() && !doneReading()) {
                applicationIn.clear();
                SSLEngineResult result = engine.unwrap(netIn, applicationIn);
                if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                    TlsClient.runTasks(engine);
                }
                switch (result.getStatus()) {
                    case BUFFER_UNDERFLOW -> {
                        return true;
                    }
                    case CLOSED -> {
                        return false;
                    }
                    case OK -> {
                        if (applicationIn.flip().hasRemaining()) {
                            consume(applicationIn);
                        }
                    }
                    default -> throw failure("TLS unwrap " + result.getStatus());
                }
            }
            return true;
        } finally {
            netIn.compact();
        }
    }

    /** Writes what is owed, up to what the socket takes; asks to be told when it can take more. */
    public final void flush() throws IOException {
        if (engine == null) {
            while (owed > 0) {
                ByteBuffer slice = nextSlice(WINDOW);
                int written = channel.write(slice);
                owed -= written;
                sent(written);
                if (slice.hasRemaining()) {
                    interest(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    return;
                }
            }
        } else {
            while (true) {
                if (netOut.hasRemaining()) {
                    channel.write(netOut);
                    if (netOut.hasRemaining()) {
                        interest(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                        return;
                    }
                }
                if (owed == 0) {
                    break;
                }
                ByteBuffer slice = nextSlice(TLS_RECORD);
                netOut.clear();
                SSLEngineResult result = engine.wrap(slice, netOut);
                netOut.flip();
                if (result.getStatus() != SSLEngineResult.Status.OK) {
                    throw failure("TLS wrap " + result.getStatus());
                }
                owed -= result.bytesConsumed();
                sent(result.bytesConsumed());
            }
        }
        interest(SelectionKey.OP_READ);
    }
}
