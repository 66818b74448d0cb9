package dev.websock.codec.extension;

import dev.websock.codec.CloseCode;
import dev.websock.codec.zlib.Decompressor;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;

/**
 * Inflates received permessage-deflate messages (RFC 7692 §7.2.2): the payload pieces of a message whose first
 * frame had RSV1 set, then the four bytes {@code 00 00 ff ff} the sender removed, through a raw-DEFLATE
 * {@link Decompressor}, which reads any window up to 15 bits, so the window the peer agreed to needs no set-up
 * here.
 *
 * <h2>Bounded inflation</h2>
 * Output goes through one buffer of fixed size, handed out piece by piece; nothing ever holds the inflated
 * message. Each inflate call may produce at most one byte more than the message limit has left, so a message
 * that inflates beyond the limit fails with 1009 after at most {@code maxMessageSize + 1} bytes of output, however
 * small its compressed form (a decompression bomb). Output beyond the limit is never handed out.
 *
 * <h2>Context</h2>
 * With context takeover the LZ77 window carries from message to message. With the peer's no context takeover
 * (§7.1.1), or after a block with BFINAL set ended the peer's DEFLATE stream (§7.2.3.4), the inflater starts a
 * new stream for the next message; after such a final block only the one {@code 00} octet RFC 7692 shows there
 * may follow, anything else fails with 1007.
 *
 * <p>Corrupt DEFLATE data fails with 1007 (RFC 6455 §7.4.1: data inconsistent with the message). An empty
 * compressed payload is an empty message (no sender produces one: the empty message compresses to {@code 00},
 * §7.2.3.6), and leaves the stream as it was.
 *
 * <p>Memory: an inflater and its output buffer (42 KiB of zlib state and {@link PerMessageDeflate.Builder#bufferSize})
 * while the connection receives; without context takeover only while a message is inflated. {@link #releaseIdle()}
 * gives them back to the configuration's {@link InflaterPool}, for any connection's next message. With context
 * takeover the peer's next message may refer back into what was inflated before, as far as the peer's window, so
 * the inflater's window (the last 32 KiB inflated, or less when less was received) is kept as bytes, and the
 * inflater taken next is primed with it ({@code inflateSetDictionary}, which a raw stream takes at its start).
 * Only the system zlib's inflater can hand out its window; with {@code java.util.zip} (zlib absent or not allowed)
 * a connection with context takeover keeps its inflater while idle.
 *
 * <p>Not thread-safe: one connection, one thread at a time. Allocates nothing per message in the steady state.
 */
public final class MessageInflater implements InboundTransform {

    private static final ByteBuffer NO_INPUT = ByteBuffer.allocate(0); // read-only in effect: nothing to consume

    private enum State {
        BETWEEN_MESSAGES,
        IN_MESSAGE,
        BROKEN,
        CLOSED
    }

    private final long maxMessageSize;
    private final boolean noContextTakeover;
    private final InflaterPool inflaters;

    private State state = State.BETWEEN_MESSAGES;
    /** The inflater, with its buffer, while this side holds one; null after {@link #releaseIdle()}. */
    private InflaterPool.Lease lease;
    private Decompressor inflater; // lease.inflater, or null
    private byte[] buffer; // lease.buffer, or null
    /** The window of the inflater given back while idle: what the peer's next message may refer to; or null. */
    private byte[] window;

    // The message in progress.
    private int held;
    private long inflatedBytes;
    private long compressedBytes;
    private boolean streamEnded;
    private int bytesAfterFinalBlock;

    /**
     * An inflater with inflaters of its own (no other connection shares them), for a peer with a 15-bit window.
     *
     * @param maxMessageSize the longest inflated message; longer fails with 1009
     * @param noContextTakeover the peer compresses each message on its own: start a new stream per message
     * @param bufferSize the output buffer, the largest piece handed out; 64 bytes or more
     */
    public MessageInflater(long maxMessageSize, boolean noContextTakeover, int bufferSize) {
        this(maxMessageSize, noContextTakeover, new InflaterPool(1, checked(bufferSize),
                PerMessageDeflate.defaults().nativeZlib()));
    }

    /** @param inflaters where inflaters are taken from, and given back to */
    MessageInflater(long maxMessageSize, boolean noContextTakeover, InflaterPool inflaters) {
        if (maxMessageSize < 0) {
            throw new IllegalArgumentException("maxMessageSize " + maxMessageSize + " is negative");
        }
        this.maxMessageSize = maxMessageSize;
        this.noContextTakeover = noContextTakeover;
        this.inflaters = inflaters;
    }

    private static int checked(int bufferSize) {
        if (bufferSize < 64) {
            throw new IllegalArgumentException("bufferSize " + bufferSize + " is below 64 bytes");
        }
        return bufferSize;
    }

    public long maxMessageSize() {
        return maxMessageSize;
    }

    @Override
    public boolean feed(ByteBuffer payload, int from, int to, Output out) {
        begin();
        if (from == to) {
            return true;
        }
        compressedBytes += to - from;
        if (streamEnded) {
            return afterFinalBlock(payload, from, to, out);
        }
        int position = payload.position();
        int limit = payload.limit();
        boolean going;
        int unread;
        try {
            payload.limit(to).position(from);
            inflater.setInput(payload);
            going = inflate(out);
            unread = inflater.getRemaining();
        } finally {
            inflater.setInput(NO_INPUT); // let go of the caller's buffer
            payload.limit(limit).position(position);
        }
        return going && (!streamEnded || afterFinalBlock(payload, to - unread, to, out));
    }

    /**
     * RFC 7692 §7.2.3.4: after a block with BFINAL set, a sender adds one octet, {@code 00}, the header of an
     * empty stored block that the appended tail completes. Anything else there is not DEFLATE data.
     */
    private boolean afterFinalBlock(ByteBuffer payload, int from, int to, Output out) {
        for (int i = from; i < to; i++) {
            if (payload.get(i) != 0 || ++bytesAfterFinalBlock > 1) {
                return fail(out, CloseCode.INVALID_PAYLOAD, "compressed message continues after a DEFLATE block with"
                        + " BFINAL set, which ended the stream; only one 00 octet may follow it (RFC 7692 §7.2.3.4)");
            }
        }
        return true;
    }

    @Override
    public boolean end(Output out) {
        begin();
        if (compressedBytes > 0 && !streamEnded) {
            inflater.setInput(lease.tail.clear());
            if (!inflate(out)) {
                return false;
            }
        }
        if (!deliver(out, true)) {
            return false;
        }
        if (noContextTakeover) {
            giveBack(); // the next message starts a new stream anyway: any inflater will do for it
        } else if (streamEnded) {
            inflater.reset(); // RFC 7692 §7.2.3.4: the peer's next message starts a new stream, with no window
        }
        streamEnded = false;
        bytesAfterFinalBlock = 0;
        inflatedBytes = 0;
        compressedBytes = 0;
        state = State.BETWEEN_MESSAGES;
        return true;
    }

    /**
     * Gives the inflater back, keeping its window as bytes when the peer may refer to it; with context takeover
     * and an inflater that cannot hand out its window ({@code java.util.zip}), keeps the inflater.
     */
    @Override
    public void releaseIdle() {
        if (state != State.BETWEEN_MESSAGES || lease == null) {
            return;
        }
        if (!noContextTakeover) {
            byte[] contents = inflater.window();
            if (contents == null) {
                return;
            }
            window = contents.length == 0 ? null : contents;
        }
        giveBack();
    }

    @Override
    public void close() {
        if (lease != null) {
            giveBack(); // mid-message too: the reset drops the half-read stream
        }
        window = null;
        state = State.CLOSED;
    }

    private void giveBack() {
        inflaters.giveBack(lease);
        lease = null;
        inflater = null;
        buffer = null;
    }

    /** How many bytes of a given-back inflater's window are kept for the peer's references. Visible for tests. */
    int windowBytes() {
        return window == null ? 0 : window.length;
    }

    /** Whether an inflater (its native state) is held. Visible for tests. */
    boolean holdsInflater() {
        return lease != null;
    }

    private void begin() {
        switch (state) {
            case BROKEN -> throw new IllegalStateException("the previous message failed or was stopped; the connection"
                    + " must be failed, not fed more data");
            case CLOSED -> throw new IllegalStateException("inflater used after close()");
            default -> {}
        }
        if (lease == null) {
            lease = inflaters.take();
            inflater = lease.inflater;
            buffer = lease.buffer;
            if (window != null) {
                // Continue the stream the peer holds: its references reach into what was inflated before.
                inflater.setDictionary(window, 0, window.length);
                window = null;
            }
        }
        state = State.IN_MESSAGE;
    }

    /**
     * Inflates the inflater's input until it is used up or the stream ends, handing out each full buffer and,
     * when the input is used up, what it holds.
     * Returns false when the message failed or the output stopped it.
     */
    private boolean inflate(Output out) {
        while (true) {
            // One byte past the limit is enough to know the message is too big: never inflate more than that.
            // (Saturating: with no limit, Long.MAX_VALUE + 1 would wrap to a room of 0 and spin for ever.)
            long left = maxMessageSize - inflatedBytes;
            int room = (int) Math.min(buffer.length - held, left == Long.MAX_VALUE ? left : left + 1);
            int n;
            try {
                n = inflater.inflate(buffer, held, room);
            } catch (DataFormatException e) {
                return fail(out, CloseCode.INVALID_PAYLOAD, "compressed message is not valid DEFLATE data ("
                        + e.getMessage() + ")");
            }
            held += n;
            inflatedBytes += n;
            if (inflatedBytes > maxMessageSize) {
                return fail(out, CloseCode.MESSAGE_TOO_BIG, "compressed message inflates to more than maxMessageSize "
                        + maxMessageSize + " bytes; raise maxMessageSize to accept it");
            }
            if (inflater.finished()) {
                // RFC 7692 §7.2.3.4: a block with BFINAL set ended the peer's DEFLATE stream.
                streamEnded = true;
                return true;
            }
            if (held == buffer.length) {
                if (!deliver(out, false)) {
                    return false;
                }
            } else if (n == 0) {
                if (inflater.needsInput()) {
                    // Hand out what this piece inflated to before waiting for more: text is then validated as it
                    // arrives, and fails at its first bad byte (RFC 6455 §8.1), and streaming really streams.
                    return held == 0 || deliver(out, false);
                }
            }
        }
    }

    private boolean deliver(Output out, boolean last) {
        ByteBuffer bufferView = lease.bufferView;
        bufferView.clear().limit(held);
        held = 0;
        if (!out.onData(bufferView, last)) {
            state = State.BROKEN;
            return false;
        }
        return true;
    }

    private boolean fail(Output out, int closeCode, String reason) {
        state = State.BROKEN;
        out.onFailure(closeCode, reason);
        return false;
    }
}
