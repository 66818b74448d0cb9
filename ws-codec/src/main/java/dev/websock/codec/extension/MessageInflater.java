package dev.websock.codec.extension;

import dev.websock.codec.CloseCode;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates received permessage-deflate messages (RFC 7692 §7.2.2): the payload pieces of a message whose first
 * frame had RSV1 set, then the four bytes {@code 00 00 ff ff} the sender removed, through one raw-DEFLATE
 * {@link Inflater} per connection. {@code java.util.zip} reads any window up to 15 bits, so the window the
 * peer agreed to needs no set-up here.
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
 * <p>Memory: zlib's inflate state (32 KiB of window plus about 7 KiB, allocated by the first message) and the
 * output buffer. {@link #releaseIdle()} frees the buffer between messages, and the state too without context
 * takeover; both are made again by the next message.
 *
 * <p>Not thread-safe: one connection, one thread at a time. Allocates nothing per message in the steady state.
 */
public final class MessageInflater implements InboundTransform {

    /** RFC 7692 §7.2.2: the tail the sender removed, an empty stored block's length fields. */
    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};
    private static final byte[] NO_INPUT = new byte[0];

    private enum State {
        BETWEEN_MESSAGES,
        IN_MESSAGE,
        BROKEN,
        CLOSED
    }

    private final long maxMessageSize;
    private final boolean noContextTakeover;
    private final int bufferSize;

    private State state = State.BETWEEN_MESSAGES;
    private Inflater inflater;
    private byte[] buffer;
    private ByteBuffer bufferView;
    private final ByteBuffer tail = ByteBuffer.wrap(TAIL);

    // The message in progress.
    private int held;
    private long inflatedBytes;
    private long compressedBytes;
    private boolean streamEnded;
    private int bytesAfterFinalBlock;

    /**
     * @param maxMessageSize the longest inflated message; longer fails with 1009
     * @param noContextTakeover the peer compresses each message on its own: start a new stream per message
     * @param bufferSize the output buffer, the largest piece handed out; 64 bytes or more
     */
    public MessageInflater(long maxMessageSize, boolean noContextTakeover, int bufferSize) {
        if (maxMessageSize < 0) {
            throw new IllegalArgumentException("maxMessageSize " + maxMessageSize + " is negative");
        }
        if (bufferSize < 64) {
            throw new IllegalArgumentException("bufferSize " + bufferSize + " is below 64 bytes");
        }
        this.maxMessageSize = maxMessageSize;
        this.noContextTakeover = noContextTakeover;
        this.bufferSize = bufferSize;
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
            inflater.setInput(tail.clear());
            if (!inflate(out)) {
                return false;
            }
        }
        if (!deliver(out, true)) {
            return false;
        }
        if (noContextTakeover || streamEnded) {
            inflater.reset();
        }
        streamEnded = false;
        bytesAfterFinalBlock = 0;
        inflatedBytes = 0;
        compressedBytes = 0;
        state = State.BETWEEN_MESSAGES;
        return true;
    }

    @Override
    public void releaseIdle() {
        if (state != State.BETWEEN_MESSAGES) {
            return;
        }
        buffer = null;
        bufferView = null;
        if (noContextTakeover && inflater != null) {
            inflater.end();
            inflater = null;
        }
    }

    @Override
    public void close() {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
        buffer = null;
        bufferView = null;
        state = State.CLOSED;
    }

    private void begin() {
        switch (state) {
            case BROKEN -> throw new IllegalStateException("the previous message failed or was stopped; the connection"
                    + " must be failed, not fed more data");
            case CLOSED -> throw new IllegalStateException("inflater used after close()");
            default -> {}
        }
        if (inflater == null) {
            inflater = new Inflater(true);
        }
        if (buffer == null) {
            buffer = new byte[bufferSize];
            bufferView = ByteBuffer.wrap(buffer);
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
                if (inflater.needsDictionary()) {
                    return fail(out, CloseCode.INVALID_PAYLOAD, "compressed message asks for a preset dictionary,"
                            + " which raw DEFLATE cannot have");
                }
            }
        }
    }

    private boolean deliver(Output out, boolean last) {
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
