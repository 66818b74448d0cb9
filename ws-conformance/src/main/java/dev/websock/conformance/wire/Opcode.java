package dev.websock.conformance.wire;

/** Frame opcodes (RFC 6455 §5.2, §11.8), as the {@code int}s on the wire. */
public final class Opcode {

    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private Opcode() {}

    /** RFC 6455 §5.5: control frames have opcodes whose most significant bit is 1. */
    public static boolean isControl(int opcode) {
        return (opcode & 0x8) != 0;
    }

    /** RFC 6455 §5.2: %x3-7 are reserved for further non-control frames, %xB-F for further control frames. */
    public static boolean isReserved(int opcode) {
        return (opcode >= 0x3 && opcode <= 0x7) || opcode >= 0xB;
    }

    /** A name for the wire log. */
    public static String name(int opcode) {
        return switch (opcode) {
            case CONTINUATION -> "CONT";
            case TEXT -> "TEXT";
            case BINARY -> "BINARY";
            case CLOSE -> "CLOSE";
            case PING -> "PING";
            case PONG -> "PONG";
            default -> "RESERVED(" + opcode + ")";
        };
    }
}
