package dev.websock.codec;

/** Frame opcodes (RFC 6455 §5.2, §11.8). Plain {@code int}s on the hot path; this class names and classifies them. */
public final class Opcode {

    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private Opcode() {}

    /** Control frames have the high bit of the opcode set (RFC 6455 §5.5). */
    public static boolean isControl(int opcode) {
        return (opcode & 0x8) != 0;
    }

    /** Whether RFC 6455 defines this opcode; 3-7 and 11-15 are reserved (§5.2) and fail the connection. */
    public static boolean isDefined(int opcode) {
        return (opcode >= CONTINUATION && opcode <= BINARY) || (opcode >= CLOSE && opcode <= PONG);
    }

    /** A name for logs and error messages. */
    public static String name(int opcode) {
        return switch (opcode) {
            case CONTINUATION -> "continuation";
            case TEXT -> "text";
            case BINARY -> "binary";
            case CLOSE -> "close";
            case PING -> "ping";
            case PONG -> "pong";
            default -> "reserved opcode 0x" + Integer.toHexString(opcode);
        };
    }
}
