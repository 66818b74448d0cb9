package dev.websock.conformance.wire;

import java.util.Arrays;

/**
 * One frame as it is on the wire (RFC 6455 §5.2), unmasked. The runner builds frames that break the rules on
 * purpose (reserved bits, reserved opcodes, fragmented control frames), so nothing here is validated.
 *
 * @param fin     the FIN bit
 * @param rsv     the three reserved bits RSV1..RSV3 as a number 0..7 (RSV1 is 4)
 * @param opcode  the 4-bit opcode
 * @param masked  whether the frame carried a masking key on the wire (client frames must, §5.3)
 * @param payload the unmasked payload
 */
public record Frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {

    /** RSV1, the bit permessage-deflate uses to mark a compressed message (RFC 7692 §6). */
    public static final int RSV1 = 4;

    public Frame {
        if (rsv < 0 || rsv > 7) {
            throw new IllegalArgumentException("rsv " + rsv + " is not 0..7");
        }
        if (opcode < 0 || opcode > 15) {
            throw new IllegalArgumentException("opcode " + opcode + " is not 0..15");
        }
    }

    /** A final, unmasked-on-arrival frame with no reserved bits: what the runner sends most often. */
    public static Frame of(int opcode, byte[] payload) {
        return new Frame(true, 0, opcode, true, payload);
    }

    public Frame withFin(boolean newFin) {
        return new Frame(newFin, rsv, opcode, masked, payload);
    }

    public Frame withRsv(int newRsv) {
        return new Frame(fin, newRsv, opcode, masked, payload);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && f.fin == fin && f.rsv == rsv && f.opcode == opcode && f.masked == masked
                && Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(payload) * 31 + opcode;
    }

    @Override
    public String toString() {
        return Opcode.name(opcode) + (fin ? " fin" : " more") + (rsv != 0 ? " rsv=" + rsv : "")
                + (masked ? " masked" : "") + " len=" + payload.length + " " + Bytes.preview(payload, 48);
    }
}
