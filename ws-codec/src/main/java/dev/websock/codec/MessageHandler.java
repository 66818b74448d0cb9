package dev.websock.codec;

import java.nio.ByteBuffer;

/**
 * Receives what a {@link MessageDecoder} decodes. Every call happens inside
 * {@link MessageDecoder#decode(ByteBuffer)}, on its thread. Buffers handed out are valid only during the
 * call (they are regions of the transport's reused read buffer, or of the decoder's own assembly buffer):
 * copy what must outlive it. Their position and limit frame the data.
 */
public interface MessageHandler {

    /**
     * Message data. {@code opcode} is the message's ({@link Opcode#TEXT} or {@link Opcode#BINARY}); text is
     * valid UTF-8 so far, and complete when {@code last}. In {@link MessageDecoder.Delivery#WHOLE} mode each
     * message comes in one call with {@code last} set; in {@link MessageDecoder.Delivery#STREAMING} mode in
     * pieces as they arrive, the final one with {@code last} set (possibly empty). A streamed message cut short
     * by a close frame or a protocol error never gets its {@code last} piece.
     */
    void onMessageData(int opcode, ByteBuffer data, boolean last);

    /** A ping (RFC 6455 §5.5.2) with its application data (0-125 bytes); the protocol must answer with a pong. */
    void onPing(ByteBuffer data);

    /** A pong (§5.5.3), solicited or not. */
    void onPong(ByteBuffer data);

    /**
     * A valid close frame (§5.5.1): {@code code} is {@link CloseCode#NO_STATUS} when it carried none, and
     * {@code reason} is "" when it carried none. Decoding stops after it.
     */
    void onClose(int code, String reason);

    /**
     * The peer broke the protocol or a limit: fail the connection with {@code closeCode} (1002, 1007 or 1009)
     * (RFC 6455 §7.1.7). {@code reason} is a sentence for the local log saying what was wrong; it may be longer
     * than a close frame holds and names local settings, so send a short one (see
     * {@link FrameEncoder#writeClosePayload}). Decoding stops after it.
     */
    void onProtocolError(int closeCode, String reason);
}
