package dev.websock.codec;

import dev.websock.utf8.Unmasker;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Encodes frame headers (RFC 6455 §5.2) for either role. The server role writes the header into a buffer the
 * caller reuses and never touches the payload, so header and payload go out in one gathering write. The
 * client role also masks (§5.3): each frame gets a fresh key from a generator seeded once from
 * {@link SecureRandom}, so keys are unpredictable (§10.3) without a system call per frame.
 *
 * <p>Not thread-safe: one connection, one thread. Allocates nothing per frame.
 */
public final class FrameEncoder {

    /** The longest header: 2 bytes, a 64-bit length and a mask. */
    public static final int MAX_HEADER_LENGTH = 14;

    private final Role role;
    private final RandomGenerator masks;

    /** An encoder for {@code role}; a client's masks come from a generator seeded from {@link SecureRandom}. */
    public FrameEncoder(Role role) {
        this(role, role == Role.CLIENT
                ? new SplittableRandom(new SecureRandom().nextLong())
                : null);
    }

    /** An encoder with the given source of masking keys (tests use a fixed one). */
    public FrameEncoder(Role role, RandomGenerator masks) {
        this.role = Objects.requireNonNull(role, "role");
        if (role == Role.CLIENT) {
            Objects.requireNonNull(masks, "a client needs a source of masking keys");
        }
        this.masks = masks;
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
        if ((rsv & ~0x70) != 0 || payloadLength < 0) {
            throw new IllegalArgumentException("bad RSV bits 0x" + Integer.toHexString(rsv) + " or length " + payloadLength);
        }
        out.put((byte) ((fin ? 0x80 : 0) | rsv | opcode));
        int maskBit = role == Role.CLIENT ? 0x80 : 0;
        if (payloadLength <= 125) {
            out.put((byte) (maskBit | (int) payloadLength));
        } else if (payloadLength <= 0xFFFF) {
            out.put((byte) (maskBit | 126));
            out.put((byte) (payloadLength >>> 8));
            out.put((byte) payloadLength);
        } else {
            out.put((byte) (maskBit | 127));
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.put((byte) (payloadLength >>> shift));
            }
        }
        if (role == Role.SERVER) {
            return 0;
        }
        int mask = masks.nextInt();
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.put((byte) (mask >>> shift));
        }
        return mask;
    }

    /**
     * Client role: copies {@code payload}'s remaining bytes into {@code out}, masked with {@code mask}, advancing
     * both. A client cannot send the application's buffer as it is: masking changes it.
     */
    public static void maskPayload(ByteBuffer payload, ByteBuffer out, int mask) {
        int length = payload.remaining();
        Unmasker.unmaskCopy(payload, payload.position(), out, out.position(), length, mask, 0);
        payload.position(payload.position() + length);
        out.position(out.position() + length);
    }
}
