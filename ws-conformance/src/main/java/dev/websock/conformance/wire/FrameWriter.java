package dev.websock.conformance.wire;

import java.util.random.RandomGenerator;

/**
 * Encodes client frames (RFC 6455 §5.2): header, extended length in network byte order, masking key, masked
 * payload. Every client frame is masked with a fresh key (§5.3: "the masking key ... MUST be derived from a
 * strong source of entropy"), which is why the writer owns a random generator.
 *
 * <p>Not thread-safe: one writer per connection, used from the thread that writes.
 */
public final class FrameWriter {

    private final RandomGenerator random;

    public FrameWriter(RandomGenerator random) {
        this.random = random;
    }

    /** The frame's octets. {@link Frame#masked()} decides whether a masking key is written. */
    public byte[] encode(Frame frame) {
        byte[] payload = frame.payload();
        int length = payload.length;
        int lengthBytes = length <= 125 ? 0 : length <= 0xFFFF ? 2 : 8;
        int headerLength = 2 + lengthBytes + (frame.masked() ? 4 : 0);
        byte[] out = new byte[headerLength + length];
        out[0] = (byte) ((frame.fin() ? 0x80 : 0) | (frame.rsv() << 4) | frame.opcode());
        int maskBit = frame.masked() ? 0x80 : 0;
        int at = 2;
        // RFC 6455 §5.2: 7-bit length; 126 = 16-bit length follows; 127 = 64-bit length follows, minimal
        // encoding required.
        if (lengthBytes == 0) {
            out[1] = (byte) (maskBit | length);
        } else if (lengthBytes == 2) {
            out[1] = (byte) (maskBit | 126);
            out[at++] = (byte) (length >>> 8);
            out[at++] = (byte) length;
        } else {
            out[1] = (byte) (maskBit | 127);
            long l = length;
            for (int shift = 56; shift >= 0; shift -= 8) {
                out[at++] = (byte) (l >>> shift);
            }
        }
        if (frame.masked()) {
            int key = random.nextInt();
            byte[] mask = {(byte) (key >>> 24), (byte) (key >>> 16), (byte) (key >>> 8), (byte) key};
            System.arraycopy(mask, 0, out, at, 4);
            at += 4;
            for (int i = 0; i < length; i++) {
                out[at + i] = (byte) (payload[i] ^ mask[i & 3]);
            }
        } else {
            System.arraycopy(payload, 0, out, at, length);
        }
        return out;
    }
}
