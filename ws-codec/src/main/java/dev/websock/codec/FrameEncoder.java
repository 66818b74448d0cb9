package dev.websock.codec;

import dev.websock.utf8.Unmasker;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Encodes frame headers (RFC 6455 §5.2) for either role. The server role writes the header into a buffer the
 * caller reuses and never touches the payload, so header and payload go out in one gathering write. The
 * client role also masks (§5.3): each frame gets a fresh key from a cryptographically strong generator, so a
 * server or proxy cannot predict the next key from the ones it saw (§10.3). Keys are drawn 16 at a time into a
 * reused buffer, so there is no system call and no allocation per frame.
 *
 * <p>Not thread-safe: one connection, one thread. Allocates nothing per frame.
 */
public final class FrameEncoder {

    /** The longest header: 2 bytes, a 64-bit length and a mask. */
    public static final int MAX_HEADER_LENGTH = 14;

    /** The longest close reason: a control frame carries 125 bytes, two of them the code (§5.5). */
    public static final int MAX_CLOSE_REASON_BYTES = 123;

    private final Role role;
    private final RandomGenerator masks;
    private final byte[] keyBatch;
    private int keyBatchUsed;

    /** An encoder for {@code role}; a client's masking keys come from a {@code DRBG} {@link SecureRandom}. */
    public FrameEncoder(Role role) {
        this(role, role == Role.CLIENT ? strongRandom() : null);
    }

    /** An encoder with the given source of masking keys (tests use a fixed one; it must be unpredictable otherwise). */
    public FrameEncoder(Role role, RandomGenerator masks) {
        this.role = Objects.requireNonNull(role, "role");
        if (role == Role.CLIENT) {
            Objects.requireNonNull(masks, "a client needs a source of masking keys");
        }
        this.masks = masks;
        this.keyBatch = role == Role.CLIENT ? new byte[64] : null;
        this.keyBatchUsed = role == Role.CLIENT ? keyBatch.length : 0;
    }

    private static RandomGenerator strongRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    public Role role() {
        return role;
    }

    /** How many header bytes a frame with {@code payloadLength} bytes takes in this role. */
    public int headerLength(long payloadLength) {
        return lengthBytes(payloadLength) + (role == Role.CLIENT ? 4 : 0);
    }

    private static int lengthBytes(long payloadLength) {
        return payloadLength <= 125 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
    }

    /**
     * Writes the header of a frame at {@code out}'s position and advances it. {@code rsv} holds RSV bits in
     * place ({@code 0x40}...). Returns the masking key in the client role (the payload must be masked with it,
     * see {@link #maskPayload}); 0 in the server role.
     *
     * @throws IllegalArgumentException for an undefined opcode, a control frame that is fragmented or longer
     *     than 125 bytes (§5.5), or bad RSV bits: these are bugs of the caller, never the peer's doing
     */
    public int writeHeader(ByteBuffer out, boolean fin, int rsv, int opcode, long payloadLength) {
        if (!Opcode.isDefined(opcode)) {
            throw new IllegalArgumentException("cannot send a frame with " + Opcode.name(opcode));
        }
        if (Opcode.isControl(opcode) && (!fin || payloadLength > 125)) {
            throw new IllegalArgumentException(Opcode.name(opcode) + " frames must be final and carry at most 125 bytes; got "
                    + payloadLength + (fin ? "" : ", not final"));
        }
        if ((rsv & ~0x70) != 0 || (rsv != 0 && Opcode.isControl(opcode)) || payloadLength < 0) {
            throw new IllegalArgumentException("bad RSV bits 0x" + Integer.toHexString(rsv) + " or length " + payloadLength);
        }
        out.put((byte) ((fin ? 0x80 : 0) | rsv | opcode));
        int maskBit = role == Role.CLIENT ? 0x80 : 0;
        if (payloadLength <= 125) {
            out.put((byte) (maskBit | (int) payloadLength));
        } else if (payloadLength <= 0xFFFF) {
            out.put((byte) (maskBit | 126));
            short length = (short) payloadLength;
            out.putShort(out.order() == ByteOrder.BIG_ENDIAN ? length : Short.reverseBytes(length));
        } else {
            // One 8-byte store in network order (§5.2), whatever order the caller's buffer has: a loop of byte
            // stores compiled, in some JVM runs, into a shape six times slower.
            out.put((byte) (maskBit | 127));
            out.putLong(out.order() == ByteOrder.BIG_ENDIAN ? payloadLength : Long.reverseBytes(payloadLength));
        }
        if (role == Role.SERVER) {
            return 0;
        }
        if (keyBatchUsed == keyBatch.length) {
            masks.nextBytes(keyBatch);
            keyBatchUsed = 0;
        }
        out.put(keyBatch, keyBatchUsed, 4);
        int mask = (keyBatch[keyBatchUsed] & 0xFF) << 24 | (keyBatch[keyBatchUsed + 1] & 0xFF) << 16
                | (keyBatch[keyBatchUsed + 2] & 0xFF) << 8 | (keyBatch[keyBatchUsed + 3] & 0xFF);
        keyBatchUsed += 4;
        return mask;
    }

    /**
     * Writes a close frame's payload (§5.5.1) at {@code out}'s position: nothing for {@link CloseCode#NO_STATUS}
     * (an empty close frame), else the code and as much of {@code reason} as fits in
     * {@value #MAX_CLOSE_REASON_BYTES} UTF-8 bytes, cut between code points. Returns the payload's length.
     *
     * @throws IllegalArgumentException for a code no endpoint may send (§7.4.1)
     */
    public static int writeClosePayload(ByteBuffer out, int code, String reason) {
        if (code == CloseCode.NO_STATUS) {
            return 0;
        }
        if (!CloseCode.isSendable(code)) {
            throw new IllegalArgumentException("close code " + code + " (" + CloseCode.name(code) + ") may not be sent");
        }
        int start = out.position();
        out.put((byte) (code >>> 8)).put((byte) code);
        java.nio.charset.CharsetEncoder utf8 = java.nio.charset.StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE);
        ByteBuffer room = out.slice(out.position(), Math.min(out.remaining(), MAX_CLOSE_REASON_BYTES));
        // An encoder stops at the last whole character that fits: the cut never splits a code point.
        utf8.encode(java.nio.CharBuffer.wrap(reason == null ? "" : reason), room, true);
        out.position(out.position() + room.position());
        return out.position() - start;
    }

    /**
     * Client role: copies {@code payload}'s remaining bytes into {@code out}, masked with {@code mask}, advancing
     * both. A client cannot send the application's buffer as it is: masking changes it. The two regions must not
     * overlap ({@link Unmasker#unmaskCopy(ByteBuffer, int, ByteBuffer, int, int, int, int)}).
     */
    public static void maskPayload(ByteBuffer payload, ByteBuffer out, int mask) {
        int length = payload.remaining();
        Unmasker.unmaskCopy(payload, payload.position(), out, out.position(), length, mask, 0);
        payload.position(payload.position() + length);
        out.position(out.position() + length);
    }
}
