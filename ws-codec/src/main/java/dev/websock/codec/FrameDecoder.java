package dev.websock.codec;

import dev.websock.utf8.Unmasker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Decodes WebSocket frames (RFC 6455 §5.2) from bytes that arrive in chunks of any size, one byte at a time
 * included, and hands them to a {@link FrameHandler}. It copies no payload: each piece is unmasked in place
 * in the caller's buffer (§5.3) and handed out as a region of it.
 *
 * <p>A plain state machine: {@link State#HEADER} (a header is parsed straight from the buffer when it is
 * all there, and gathered in a 14-byte side buffer only when a read split it), {@link State#PAYLOAD} (the
 * rest of the payload, the mask and its phase), and {@link State#STOPPED}, which swallows all later input
 * after a protocol error, as the connection is being failed (§7.1.7), or after a close frame (§5.5.1).
 *
 * <p>It checks what a frame header alone can break, and fails with:
 * <ul>
 *   <li>1002 for RSV bits that no negotiated extension owns (§5.2), a reserved opcode (§5.2), a fragmented
 *       control frame or one with more than 125 bytes (§5.5), an unmasked frame to a server or a masked one
 *       to a client (§5.1), a 64-bit length with its top bit set, or a length not in its shortest form
 *       ("the minimal number of bytes MUST be used", §5.2);</li>
 *   <li>1009 for a payload longer than the configured maximum (§7.4.1).</li>
 * </ul>
 * Rules that span frames (fragmentation, UTF-8, close payloads) belong to {@link MessageDecoder}.
 *
 * <p>Not thread-safe: one connection, one thread. Allocates nothing per frame; once per new direct buffer it
 * is fed, the unmasking kernel views it as a memory segment (views are cached per thread).
 */
public final class FrameDecoder {

    /** Where the decoder stands between calls. */
    public enum State {
        HEADER,
        PAYLOAD,
        STOPPED
    }

    private static final int MAX_HEADER = 14; // 2 + 8 (64-bit length) + 4 (mask)

    // Network byte order (§5.2) whatever order the caller's buffer is set to.
    private static final VarHandle SHORT_BE = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** Payload pieces up to this many bytes are unmasked inline (see {@link #unmaskShort}). */
    private static final int SHORT_PAYLOAD = 128;

    private final Role role;
    private final long maxFramePayload;
    private int extensionRsvBits;

    private State state = State.HEADER;
    // A header split across reads, gathered big-endian into two longs (bytes 0-7, then 8-13) rather than an
    // array and its buffer view: 16 bytes in the decoder instead of 88 in every idle connection.
    private long partialHigh;
    private long partialLow;
    private int partialHeaderBytes;

    // The frame in progress.
    private long payloadRemaining;
    private boolean masked;
    private int mask;
    private int maskPhase;


    /**
     * @param role whose frames these are not: a {@link Role#SERVER} decodes a client's (masked) frames
     * @param maxFramePayload the longest payload accepted in one frame; longer fails with 1009
     */
    public FrameDecoder(Role role, long maxFramePayload) {
        this.role = Objects.requireNonNull(role, "role");
        if (maxFramePayload < 125) {
            throw new IllegalArgumentException("maxFramePayload " + maxFramePayload
                    + " is below 125, the size of the largest control frame; use 125 or more");
        }
        this.maxFramePayload = maxFramePayload;
    }

    /**
     * Declares the RSV bits ({@code 0x40}, {@code 0x20}, {@code 0x10}) that negotiated extensions own; frames
     * with other RSV bits fail with 1002. Call after the opening handshake, before the first frame.
     */
    public void allowRsvBits(int rsvBits) {
        if ((rsvBits & ~0x70) != 0) {
            throw new IllegalArgumentException("RSV bits are 0x40, 0x20 and 0x10; got 0x" + Integer.toHexString(rsvBits));
        }
        this.extensionRsvBits = rsvBits;
    }

    public State state() {
        return state;
    }

    /**
     * Stops decoding for good, from a handler callback or outside: when a rule above the frame layer was
     * broken (invalid UTF-8, a fragmentation error), or a close frame arrived. Later input is ignored.
     */
    public void stop() {
        state = State.STOPPED;
    }

    /**
     * Decodes everything in {@code in} between its position and limit, calling {@code handler} for each
     * frame start, payload piece and frame end; leaves the position at the limit. Payload is unmasked in
     * place, so {@code in} must be writable.
     */
    public void decode(ByteBuffer in, FrameHandler handler) {
        int at = in.position();
        int end = in.limit();
        while (at < end && state != State.STOPPED) {
            if (state == State.HEADER) {
                at = partialHeaderBytes == 0 ? readHeader(in, at, end, handler) : gatherHeader(in, at, end, handler);
            }
            // Most frames arrive whole: their payload follows its header in the same pass.
            if (state == State.PAYLOAD && at < end) {
                at = readPayload(in, at, end, handler);
            }
        }
        in.position(end);
    }

    /** The fast path: the whole header is in the buffer. Returns where decoding goes on. */
    private int readHeader(ByteBuffer in, int at, int end, FrameHandler handler) {
        if (end - at >= 2) {
            int headerLength = headerLength(in.get(at + 1));
            if (end - at >= headerLength) {
                return startFrame(in, at, headerLength, handler);
            }
        }
        return gatherHeader(in, at, end, handler);
    }

    /** The slow path: a read split the header; collect it in {@link #partialHigh} and {@link #partialLow}. */
    private int gatherHeader(ByteBuffer in, int at, int end, FrameHandler handler) {
        // Take only the bytes this header needs: the rest belong to the payload or the next frame.
        int needed = partialHeaderBytes < 2 ? 2 : headerLength((byte) partialBytes(1, 1));
        while (at < end && partialHeaderBytes < needed) {
            long b = in.get(at++) & 0xFFL;
            if (partialHeaderBytes < 8) {
                partialHigh |= b << (56 - 8 * partialHeaderBytes);
            } else {
                partialLow |= b << (56 - 8 * (partialHeaderBytes - 8));
            }
            if (++partialHeaderBytes == 2) {
                needed = headerLength((byte) partialBytes(1, 1));
            }
        }
        if (partialHeaderBytes == needed) {
            int first = (int) partialBytes(0, 1);
            int second = (int) partialBytes(1, 1);
            int length7 = second & 0x7F;
            long length = length7 == 126 ? partialBytes(2, 2) : length7 == 127 ? partialBytes(2, 8) : length7;
            int mask = (second & 0x80) != 0 ? (int) partialBytes(needed - 4, 4) : 0;
            partialHigh = 0;
            partialLow = 0;
            partialHeaderBytes = 0;
            startFrame(first, second, length, mask, handler);
        }
        return at;
    }

    /** {@code count} bytes of the gathered header from byte {@code from}, as a big-endian number. */
    private long partialBytes(int from, int count) {
        long value = 0;
        for (int i = from; i < from + count; i++) {
            long b = i < 8 ? partialHigh >>> (56 - 8 * i) : partialLow >>> (56 - 8 * (i - 8));
            value = value << 8 | (b & 0xFF);
        }
        return value;
    }

    private static int headerLength(byte second) {
        int length7 = second & 0x7F;
        return 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + (second < 0 ? 4 : 0);
    }

    /** Starts the frame whose header is {@code in[at, at + headerLength)}. Returns the payload's start. */
    private int startFrame(ByteBuffer in, int at, int headerLength, FrameHandler handler) {
        int second = in.get(at + 1) & 0xFF;
        int length7 = second & 0x7F;
        long length = length7 == 126 ? (short) SHORT_BE.get(in, at + 2) & 0xFFFF
                : length7 == 127 ? (long) LONG_BE.get(in, at + 2) : length7;
        int mask = (second & 0x80) != 0 ? (int) INT_BE.get(in, at + headerLength - 4) : 0;
        startFrame(in.get(at) & 0xFF, second, length, mask, handler);
        return at + headerLength;
    }

    /** Validates a frame's header, given as its first two bytes, payload length and mask, and starts the frame. */
    private void startFrame(int first, int second, long length, int frameMask, FrameHandler handler) {
        if (breaksFrameRules(first, second, length)) {
            rejectHeader(first, second, length, handler);
            return;
        }
        boolean fin = (first & 0x80) != 0;
        int rsv = first & 0x70;
        int opcode = first & 0x0F;
        masked = (second & 0x80) != 0;
        mask = frameMask;
        maskPhase = 0;
        payloadRemaining = length;
        handler.onFrameStart(fin, rsv, opcode, length);
        if (state == State.STOPPED) {
            return;
        }
        if (length == 0) {
            handler.onFrameEnd();
        } else {
            state = State.PAYLOAD;
        }
    }

    /**
     * Whether the header breaks any rule that {@link #rejectHeader} names, in one branch-light test: the frame
     * path stays small enough for the JIT to inline into {@link #decode}, and the messages live in the cold method
     * (with them inline, this method was too big to inline and cost a call per frame).
     */
    private boolean breaksFrameRules(int first, int second, long length) {
        int opcode = first & 0x0F;
        int length7 = second & 0x7F;
        return (first & 0x70 & ~extensionRsvBits) != 0
                | !Opcode.isDefined(opcode)
                | Opcode.isControl(opcode) & ((first & 0x80) == 0 | length7 > 125)
                | ((second & 0x80) != 0) != role.expectsMaskedFrames()
                // 64-bit lengths below 65536 and negative ones (top bit set) both fail "length <= 0xFFFF"
                | (length7 == 126 ? length < 126 : length7 == 127 && length <= 0xFFFF)
                | length > maxFramePayload;
    }

    /** Fails the frame with the close code and reason of the first rule its header breaks. */
    private void rejectHeader(int first, int second, long length, FrameHandler handler) {
        boolean fin = (first & 0x80) != 0;
        int rsv = first & 0x70;
        int opcode = first & 0x0F;
        boolean masked = (second & 0x80) != 0;
        int length7 = second & 0x7F;

        if ((rsv & ~extensionRsvBits) != 0) {
            fail(handler, CloseCode.PROTOCOL_ERROR, "RSV bits 0x" + Integer.toHexString(rsv & ~extensionRsvBits)
                    + " set in a " + Opcode.name(opcode) + " frame, but no negotiated extension uses them");
        } else if (!Opcode.isDefined(opcode)) {
            fail(handler, CloseCode.PROTOCOL_ERROR, "frame with " + Opcode.name(opcode) + " (RFC 6455 reserves it)");
        } else if (Opcode.isControl(opcode) && !fin) {
            fail(handler, CloseCode.PROTOCOL_ERROR,
                    "fragmented " + Opcode.name(opcode) + " frame (control frames must not be fragmented)");
        } else if (Opcode.isControl(opcode) && length7 > 125) {
            fail(handler, CloseCode.PROTOCOL_ERROR, Opcode.name(opcode) + " frame payload longer than 125 bytes");
        } else if (masked != role.expectsMaskedFrames()) {
            fail(handler, CloseCode.PROTOCOL_ERROR, masked
                    ? "masked frame from the server (servers must not mask)"
                    : "unmasked frame from the client (clients must mask every frame)");
        } else if (length7 == 126 && length < 126) {
            // The shortest encoding is required (RFC 6455 §5.2: "the minimal number of bytes MUST be used").
            fail(handler, CloseCode.PROTOCOL_ERROR,
                    "payload length " + length + " sent in 16 bits (lengths below 126 must use 7)");
        } else if (length7 == 127 && length < 0) {
            fail(handler, CloseCode.PROTOCOL_ERROR, "64-bit payload length with its top bit set");
        } else if (length7 == 127 && length <= 0xFFFF) {
            fail(handler, CloseCode.PROTOCOL_ERROR,
                    "payload length " + length + " sent in 64 bits (lengths below 65536 must use 16 or 7)");
        } else {
            fail(handler, CloseCode.MESSAGE_TOO_BIG, "frame payload " + length + " bytes exceeds maxFrameSize "
                    + maxFramePayload + "; raise the server's maxFrameSize to accept it");
        }
    }

    private int readPayload(ByteBuffer in, int at, int end, FrameHandler handler) {
        int take = (int) Math.min(payloadRemaining, end - at);
        if (masked) {
            maskPhase = unmask(in, at, at + take);
        }
        payloadRemaining -= take;
        handler.onFramePayload(in, at, at + take);
        if (payloadRemaining == 0 && state != State.STOPPED) {
            state = State.HEADER;
            handler.onFrameEnd();
        }
        return at + take;
    }

    private int unmask(ByteBuffer in, int from, int to) {
        if (to - from <= SHORT_PAYLOAD) {
            return unmaskShort(in, from, to);
        }
        if (in.hasArray()) {
            int offset = in.arrayOffset();
            return Unmasker.unmask(in.array(), offset + from, offset + to, mask, maskPhase);
        }
        return Unmasker.unmask(in, from, to, mask, maskPhase);
    }

    /**
     * Short payloads are unmasked right here, eight bytes at a time: for them the kernel's call, checks and
     * memory-segment view of the buffer cost more than the XOR (a profile of a 32-byte echo server had 11% of
     * its samples in the kernel's call). The last, partial word is done as one word that overlaps the
     * previous one, loaded before the loop overwrites the overlap: single-byte accesses to a direct buffer
     * cost as much as words, and a byte tail took a quarter of a small frame's time (JFR samples).
     */
    private int unmaskShort(ByteBuffer in, int from, int to) {
        int length = to - from;
        int key = Integer.rotateLeft(mask, 8 * maskPhase);
        if (length >= Long.BYTES) {
            int last = to - Long.BYTES;
            long lastWord = (long) LONG_LE.get(in, last) ^ wordKey(key, last - from);
            long key8 = wordKey(key, 0);
            for (int i = from; i < last; i += Long.BYTES) {
                LONG_LE.set(in, i, (long) LONG_LE.get(in, i) ^ key8);
            }
            LONG_LE.set(in, last, lastWord);
        } else if (length >= Integer.BYTES) {
            int last = to - Integer.BYTES;
            int lastWord = (int) INT_LE.get(in, last) ^ (int) wordKey(key, last - from);
            INT_LE.set(in, from, (int) INT_LE.get(in, from) ^ (int) wordKey(key, 0));
            INT_LE.set(in, last, lastWord);
        } else {
            for (int i = from; i < to; i++) {
                in.put(i, (byte) (in.get(i) ^ (key >>> (24 - 8 * (i - from)))));
            }
        }
        return (maskPhase + length) & 3;
    }

    /**
     * The key for a little-endian word that starts {@code offset} bytes after a byte that takes the key's first
     * byte ({@code key} holds the key in wire order, from its most significant byte).
     */
    private static long wordKey(int key, int offset) {
        long le = Integer.reverseBytes(Integer.rotateLeft(key, 8 * (offset & 3))) & 0xFFFF_FFFFL;
        return le << 32 | le;
    }

    private void fail(FrameHandler handler, int closeCode, String reason) {
        state = State.STOPPED;
        handler.onProtocolError(closeCode, reason);
    }
}
