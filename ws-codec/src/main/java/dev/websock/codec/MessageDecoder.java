package dev.websock.codec;

import dev.websock.codec.extension.InboundTransform;
import dev.websock.utf8.Utf8;
import dev.websock.utf8.Utf8Validator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Turns frames into messages (RFC 6455 §5.4-§5.6, §8.1): the rules that span frames, on top of a
 * {@link FrameDecoder}.
 *
 * <ul>
 *   <li>Fragmentation (§5.4): a continuation frame with no message in progress, or a new text or binary
 *       frame inside an unfinished one, fails with 1002. Control frames may come between fragments.</li>
 *   <li>Text (§8.1): validated as UTF-8 as it arrives, and failed with 1007 at the first byte that makes it
 *       invalid, in the middle of a frame if need be, or when it ends inside a code point.</li>
 *   <li>Size: a message longer than the configured maximum fails with 1009 as soon as a frame header says
 *       it will be, before its payload is read.</li>
 *   <li>Close frames (§5.5.1, §7.4): a 1-byte payload or a code nobody may send fails with 1002; a reason
 *       that is not UTF-8 fails with 1007.</li>
 * </ul>
 *
 * <p>Compressed messages (permessage-deflate, RFC 7692): when an {@link InboundTransform} is given, a message
 * whose first frame has RSV1 set is inflated piece by piece, and its output is validated and delivered like
 * any payload; the transform bounds the inflated size. RSV1 on a continuation or control frame fails with
 * 1002 (RFC 7692 §6.1).
 *
 * <p>Delivery is whole messages or streaming ({@link Delivery}). A plain message that arrives as one frame in
 * one read is handed out in place, from the read buffer (a compressed one from the inflater's buffer); only fragmented or split messages are gathered,
 * in a buffer that grows up to the message limit and is reused.
 *
 * <p>Not thread-safe: one connection, one thread. Allocates nothing per frame in the steady state.
 */
public final class MessageDecoder implements FrameHandler {

    /** How data messages reach the {@link MessageHandler}. */
    public enum Delivery {
        /** One call per message, with all of it: simple, and bounded by the message limit. */
        WHOLE,
        /** One call per piece as it arrives: for messages larger than memory. */
        STREAMING
    }

    private static final int NO_MESSAGE = -1;
    /** Empty, so shared: no position or limit of it can change. */
    private static final ByteBuffer NO_BYTES = ByteBuffer.allocate(0);
    private static final int INITIAL_ASSEMBLY = 4096;
    private static final int MAX_WHOLE_MESSAGE = Integer.MAX_VALUE - 8;

    private final FrameDecoder frames;
    private final MessageHandler handler;
    private final Delivery delivery;
    private final long maxMessageSize;
    private final Utf8Validator utf8 = new Utf8Validator();
    private final InboundTransform inflater;
    private final InboundTransform.Output inflated; // null without an inflater

    // The data message in progress.
    private int messageOpcode = NO_MESSAGE;
    private long messageBytes; // on the wire, so compressed for a compressed message
    private boolean compressed;
    private long inflatedBytes;
    private boolean messageStarted; // some of it was delivered or gathered
    private ByteBuffer assembly;

    // The frame in progress.
    private int frameOpcode;
    private boolean frameFin;
    private long frameRemaining;
    /**
     * A control frame's payload (at most 125 bytes) gathered across reads; made for the first control frame that
     * has a payload, so that a connection that never sees one does not hold it.
     */
    private byte[] control;
    private ByteBuffer controlView;
    private int controlBytes;

    /**
     * @param frames the frame decoder to read from (its role and frame limit apply)
     * @param handler receives the messages
     * @param delivery whole messages or streaming
     * @param maxMessageSize the longest message accepted, in bytes; longer fails with 1009
     */
    public MessageDecoder(FrameDecoder frames, MessageHandler handler, Delivery delivery, long maxMessageSize) {
        this(frames, handler, delivery, maxMessageSize, null);
    }

    /**
     * A decoder that inflates compressed messages with {@code inflater} (from the agreed permessage-deflate,
     * made with the same {@code maxMessageSize}); the frame decoder must allow RSV1.
     */
    public MessageDecoder(FrameDecoder frames, MessageHandler handler, Delivery delivery, long maxMessageSize,
            InboundTransform inflater) {
        this.inflater = inflater;
        this.inflated = inflater == null ? null : new InboundTransform.Output() {
            @Override
            public boolean onData(ByteBuffer data, boolean last) {
                return accept(data, data.position(), data.limit(), last);
            }

            @Override
            public void onFailure(int closeCode, String reason) {
                fail(closeCode, reason);
            }
        };
        this.frames = Objects.requireNonNull(frames, "frames");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        if (maxMessageSize < 0) {
            throw new IllegalArgumentException("maxMessageSize " + maxMessageSize + " is negative");
        }
        if (delivery == Delivery.WHOLE && maxMessageSize > MAX_WHOLE_MESSAGE) {
            throw new IllegalArgumentException("maxMessageSize " + maxMessageSize + " is more than one buffer holds ("
                    + MAX_WHOLE_MESSAGE + "); use Delivery.STREAMING for larger messages");
        }
        this.maxMessageSize = maxMessageSize;
    }

    /** Decodes everything in {@code in} (position to limit); see {@link FrameDecoder#decode}. */
    public void decode(ByteBuffer in) {
        frames.decode(in, this);
    }

    /** Whether decoding stopped: after a close frame or a protocol error. */
    public boolean isStopped() {
        return frames.state() == FrameDecoder.State.STOPPED;
    }

    /** Gives back the assembly buffer (and idle inflater memory) between messages; made again when needed. */
    public void releaseBuffers() {
        if (messageOpcode == NO_MESSAGE) {
            assembly = null;
            if (inflater != null) {
                inflater.releaseIdle();
            }
        }
    }

    @Override
    public void onFrameStart(boolean fin, int rsv, int opcode, long payloadLength) {
        frameOpcode = opcode;
        frameFin = fin;
        frameRemaining = payloadLength;
        if (Opcode.isControl(opcode)) {
            controlBytes = 0;
            if (rsv != 0) {
                fail(CloseCode.PROTOCOL_ERROR, "RSV bits set on a " + Opcode.name(opcode)
                        + " frame (control frames are never compressed, RFC 7692 §6.1)");
            } else if (opcode == Opcode.CLOSE && payloadLength == 1) {
                fail(CloseCode.PROTOCOL_ERROR, "close frame with a 1-byte payload (a close code takes 2 bytes)");
            }
            return;
        }
        if (opcode == Opcode.CONTINUATION) {
            if (messageOpcode == NO_MESSAGE) {
                fail(CloseCode.PROTOCOL_ERROR, "continuation frame with no fragmented message to continue");
                return;
            }
            if (rsv != 0) {
                fail(CloseCode.PROTOCOL_ERROR, "RSV bits set on a continuation frame (only a message's first frame"
                        + " carries them, RFC 7692 §6.1)");
                return;
            }
        } else {
            if (messageOpcode != NO_MESSAGE) {
                fail(CloseCode.PROTOCOL_ERROR, "new " + Opcode.name(opcode) + " frame inside an unfinished fragmented "
                        + Opcode.name(messageOpcode) + " message (expected a continuation frame)");
                return;
            }
            int handledRsv = inflater != null ? 0x40 : 0;
            if ((rsv & ~handledRsv) != 0) {
                // The frame decoder let them through, but nothing here can undo what they mean.
                fail(CloseCode.PROTOCOL_ERROR, "RSV bits 0x" + Integer.toHexString(rsv & ~handledRsv) + " set on a "
                        + Opcode.name(opcode) + " frame, but no negotiated extension transforms messages with them");
                return;
            }
            messageOpcode = opcode;
            messageBytes = 0;
            inflatedBytes = 0;
            messageStarted = false;
            compressed = rsv != 0;
            utf8.reset();
        }
        long wireLimit = compressed ? compressedWireLimit(maxMessageSize) : maxMessageSize;
        if (payloadLength > wireLimit - messageBytes) {
            fail(CloseCode.MESSAGE_TOO_BIG, "message of at least " + (messageBytes + payloadLength)
                    + (compressed ? " compressed bytes exceeds " + wireLimit + " (maxMessageSize " + maxMessageSize
                            + " and room for deflate overhead)" : " bytes exceeds maxMessageSize " + maxMessageSize)
                    + "; raise the server's maxMessageSize to accept it");
        }
    }

    @Override
    public void onFramePayload(ByteBuffer buffer, int from, int to) {
        frameRemaining -= to - from;
        if (Opcode.isControl(frameOpcode)) {
            if (control == null) {
                control = new byte[125];
                controlView = ByteBuffer.wrap(control);
            }
            buffer.get(from, control, controlBytes, to - from);
            controlBytes += to - from;
            return;
        }
        messageBytes += to - from;
        if (compressed) {
            inflater.feed(buffer, from, to, inflated); // failures come back through inflated.onFailure
        } else {
            accept(buffer, from, to, frameFin && frameRemaining == 0);
        }
    }

    @Override
    public void onFrameEnd() {
        if (isStopped()) {
            return;
        }
        switch (frameOpcode) {
            case Opcode.CLOSE -> close();
            case Opcode.PING -> handler.onPing(controlPayload());
            case Opcode.PONG -> handler.onPong(controlPayload());
            default -> {
                if (frameFin && messageOpcode != NO_MESSAGE) {
                    if (compressed) {
                        inflater.end(inflated);
                    } else {
                        // A final frame whose payload was empty: nothing was delivered as last yet.
                        accept(NO_BYTES, 0, 0, true);
                    }
                }
            }
        }
    }

    @Override
    public void onProtocolError(int closeCode, String reason) {
        handler.onProtocolError(closeCode, reason);
    }

    /**
     * Takes message data, from the wire or from the inflater: validates text, then delivers it or gathers it.
     * Returns false when the message failed.
     */
    private boolean accept(ByteBuffer buffer, int from, int to, boolean last) {
        if (compressed) {
            // The inflater bounds this too; counting here as well keeps the gathering buffer safe whatever
            // limit the inflater was made with.
            inflatedBytes += to - from;
            if (inflatedBytes > maxMessageSize) {
                fail(CloseCode.MESSAGE_TOO_BIG, "compressed message inflates to more than maxMessageSize "
                        + maxMessageSize + " bytes");
                return false;
            }
        }
        if (messageOpcode == Opcode.TEXT && !validText(buffer, from, to, last)) {
            return false;
        }
        boolean wholeMessageHere = last && !messageStarted;
        messageStarted = true;
        if (delivery == Delivery.STREAMING || wholeMessageHere) {
            deliver(buffer, from, to, last);
        } else {
            append(buffer, from, to);
            if (last) {
                assembly.flip();
                handler.onMessageData(messageOpcode, assembly, true);
                assembly.clear();
            }
        }
        if (last) {
            messageOpcode = NO_MESSAGE;
        }
        return !isStopped();
    }

    /**
     * How many bytes a compressed message may take on the wire. The inflater bounds the inflated size; this
     * bounds the work: incompressible data grows a little when deflated (at worst an eighth, with fixed Huffman
     * codes for bytes above 143), and without a bound a peer could send empty deflate blocks for ever.
     */
    static long compressedWireLimit(long maxMessageSize) {
        return maxMessageSize > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : maxMessageSize + maxMessageSize / 8 + 1024;
    }

    private boolean validText(ByteBuffer buffer, int from, int to, boolean last) {
        int bad = utf8.feed(buffer, from, to);
        if (bad >= 0) {
            fail(CloseCode.INVALID_PAYLOAD, "invalid UTF-8 in text message at byte " + utf8.acceptedBytes());
            return false;
        }
        if (last && !utf8.isComplete()) {
            fail(CloseCode.INVALID_PAYLOAD, "text message ends inside a UTF-8 sequence");
            return false;
        }
        return true;
    }

    /** Hands {@code buffer[from, to)} to the handler, then puts the buffer's position and limit back. */
    private void deliver(ByteBuffer buffer, int from, int to, boolean last) {
        int position = buffer.position();
        int limit = buffer.limit();
        buffer.limit(to).position(from);
        try {
            handler.onMessageData(messageOpcode, buffer, last);
        } finally {
            buffer.limit(limit).position(position);
        }
    }

    private void append(ByteBuffer buffer, int from, int to) {
        int length = to - from;
        if (assembly == null) {
            assembly = ByteBuffer.allocate((int) Math.min(maxMessageSize, Math.max(INITIAL_ASSEMBLY, length)));
        } else if (assembly.remaining() < length) {
            // Grow by doubling, never past the limit (already checked against the frame headers).
            long needed = (long) assembly.position() + length;
            int capacity = (int) Math.min(maxMessageSize, Math.max(needed, 2L * assembly.capacity()));
            ByteBuffer larger = ByteBuffer.allocate(capacity);
            larger.put(assembly.flip());
            assembly = larger;
        }
        assembly.put(assembly.position(), buffer, from, length).position(assembly.position() + length);
    }

    private ByteBuffer controlPayload() {
        return controlBytes == 0 ? NO_BYTES : controlView.limit(controlBytes).position(0);
    }

    private void close() {
        frames.stop(); // RFC 6455 §5.5.1: nothing the peer sends after its close frame counts
        if (controlBytes == 0) {
            handler.onClose(CloseCode.NO_STATUS, "");
            return;
        }
        int code = (control[0] & 0xFF) << 8 | (control[1] & 0xFF);
        if (!CloseCode.isSendable(code)) {
            handler.onProtocolError(CloseCode.PROTOCOL_ERROR, "close frame with code " + code + " ("
                    + CloseCode.name(code) + "), which no endpoint may send");
            return;
        }
        if (!Utf8.isValid(control, 2, controlBytes)) {
            handler.onProtocolError(CloseCode.INVALID_PAYLOAD, "close frame reason is not valid UTF-8");
            return;
        }
        handler.onClose(code, new String(control, 2, controlBytes - 2, StandardCharsets.UTF_8));
    }

    private void fail(int closeCode, String reason) {
        frames.stop();
        handler.onProtocolError(closeCode, reason);
    }
}
