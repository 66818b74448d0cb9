package dev.websock.conformance.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * A resumable frame parser (RFC 6455 §5.2): feed it octets in any chunking, one at a time included, and it
 * returns the frames completed so far. It checks only what makes octets unparseable (a 64-bit length with the
 * most significant bit set, a non-minimal length encoding, a frame above the size limit); whether a frame
 * breaks a protocol rule (a masked server frame, reserved bits) is for the caller, who knows the context.
 *
 * <p>Not thread-safe: one reader per connection, used from the reading thread.
 */
public final class FrameReader {

    private final long maxPayload;

    // The header being collected: at most 2 + 8 + 4 octets.
    private final byte[] header = new byte[14];
    private int headerFill;
    private int headerNeeded = 2;

    // The payload being collected once the header is complete.
    private byte[] payload;
    private int payloadFill;
    private boolean inPayload;

    /**
     * @param maxPayload the largest frame payload accepted; a larger declared length is reported before any
     *                   memory is committed for it
     */
    public FrameReader(long maxPayload) {
        this.maxPayload = maxPayload;
    }

    /** Parses {@code length} octets from {@code data}; returns the frames they completed, in order. */
    public List<Frame> feed(byte[] data, int offset, int length) throws MalformedFrameException {
        List<Frame> frames = new ArrayList<>(2);
        int at = offset;
        int end = offset + length;
        while (at < end) {
            if (!inPayload) {
                int take = Math.min(headerNeeded - headerFill, end - at);
                System.arraycopy(data, at, header, headerFill, take);
                headerFill += take;
                at += take;
                if (headerFill < headerNeeded) {
                    continue;
                }
                if (headerNeeded == 2) {
                    headerNeeded = 2 + extendedLengthBytes() + (masked() ? 4 : 0);
                    if (headerFill < headerNeeded) {
                        continue;
                    }
                }
                long length64 = payloadLength();
                if (length64 > maxPayload) {
                    throw new MalformedFrameException("frame payload " + length64 + " bytes exceeds the runner's limit "
                            + maxPayload + " bytes");
                }
                payload = new byte[(int) length64];
                payloadFill = 0;
                inPayload = true;
            }
            int take = Math.min(payload.length - payloadFill, end - at);
            System.arraycopy(data, at, payload, payloadFill, take);
            payloadFill += take;
            at += take;
            if (payloadFill == payload.length) {
                frames.add(complete());
            }
        }
        return frames;
    }

    /** Whether the reader is between frames: no partial header or payload is buffered. */
    public boolean atFrameBoundary() {
        return headerFill == 0 && !inPayload;
    }

    private Frame complete() {
        boolean masked = masked();
        if (masked) {
            int keyAt = headerNeeded - 4;
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= header[keyAt + (i & 3)];
            }
        }
        Frame frame = new Frame((header[0] & 0x80) != 0, (header[0] >> 4) & 7, header[0] & 0x0F, masked, payload);
        headerFill = 0;
        headerNeeded = 2;
        inPayload = false;
        payload = null;
        return frame;
    }

    private boolean masked() {
        return (header[1] & 0x80) != 0;
    }

    private int extendedLengthBytes() {
        int l7 = header[1] & 0x7F;
        return l7 == 126 ? 2 : l7 == 127 ? 8 : 0;
    }

    private long payloadLength() throws MalformedFrameException {
        int l7 = header[1] & 0x7F;
        if (l7 < 126) {
            return l7;
        }
        if (l7 == 126) {
            int l = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
            // RFC 6455 §5.2: "the minimal number of bytes MUST be used to encode the length".
            if (l < 126) {
                throw new MalformedFrameException("16-bit length " + l + " should have used the 7-bit form (RFC 6455 §5.2)");
            }
            return l;
        }
        long l = 0;
        for (int i = 2; i < 10; i++) {
            l = (l << 8) | (header[i] & 0xff);
        }
        if (l < 0) {
            throw new MalformedFrameException("64-bit length has its most significant bit set (RFC 6455 §5.2)");
        }
        if (l <= 0xFFFF) {
            throw new MalformedFrameException("64-bit length " + l + " should have used a shorter form (RFC 6455 §5.2)");
        }
        return l;
    }
}
