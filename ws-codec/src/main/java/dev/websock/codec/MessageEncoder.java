package dev.websock.codec;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Splits an outgoing message into frames of at most {@code fragmentSize} payload bytes (RFC 6455 §5.4: "a
 * sender MAY create fragments of any size"), writing each frame's header through a {@link FrameEncoder}.
 * Small messages go out as one frame; large ones as a first frame with the message's opcode and continuation
 * frames after it, the last one final. Peers with small buffers, and control frames that must jump the queue
 * between fragments, are why large messages are fragmented.
 *
 * <pre>{@code
 * encoder.begin(Opcode.BINARY, payload.remaining());
 * for (long n; (n = encoder.nextFrame(header.clear())) >= 0; ) {
 *     write(header.flip(), n bytes of payload);
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one connection, one thread. Allocates nothing.
 */
public final class MessageEncoder {

    private final FrameEncoder frames;
    private final long fragmentSize;

    private int opcode = -1;
    private int rsv;
    private long remaining;
    private boolean first;
    private int mask;

    /**
     * @param frames writes the headers (its role decides masking)
     * @param fragmentSize the largest payload per frame, at least 1
     */
    public MessageEncoder(FrameEncoder frames, long fragmentSize) {
        this.frames = Objects.requireNonNull(frames, "frames");
        if (fragmentSize < 1) {
            throw new IllegalArgumentException("fragmentSize " + fragmentSize + " must be at least 1");
        }
        this.fragmentSize = fragmentSize;
    }

    /** Starts a message of {@code length} bytes; {@code rsv} (e.g. RSV1 for a compressed message) marks its first frame only (RFC 7692 §6). */
    public void begin(int opcode, int rsv, long length) {
        if (opcode != Opcode.TEXT && opcode != Opcode.BINARY) {
            throw new IllegalArgumentException("messages are text or binary; got " + Opcode.name(opcode));
        }
        if (length < 0) {
            throw new IllegalArgumentException("message length " + length + " is negative");
        }
        this.opcode = opcode;
        this.rsv = rsv;
        this.remaining = length;
        this.first = true;
    }

    /** {@link #begin(int, int, long)} without RSV bits. */
    public void begin(int opcode, long length) {
        begin(opcode, 0, length);
    }

    /**
     * Writes the next frame's header at {@code header}'s position and returns how many payload bytes follow it
     * in that frame; returns -1, writing nothing, when the message is done. An empty message is one empty frame.
     */
    public long nextFrame(ByteBuffer header) {
        if (opcode < 0 || (!first && remaining == 0)) {
            opcode = -1;
            return -1;
        }
        long payload = Math.min(remaining, fragmentSize);
        remaining -= payload;
        mask = frames.writeHeader(header, remaining == 0, first ? rsv : 0, first ? opcode : Opcode.CONTINUATION, payload);
        first = false;
        return payload;
    }

    /** The masking key of the frame {@link #nextFrame} just wrote (client role; see {@link FrameEncoder#maskPayload}). */
    public int mask() {
        return mask;
    }

    /** How many frames a message of {@code length} bytes takes. */
    public long frameCount(long length) {
        return length == 0 ? 1 : (length + fragmentSize - 1) / fragmentSize;
    }
}
