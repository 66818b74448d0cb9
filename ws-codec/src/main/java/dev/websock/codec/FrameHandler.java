package dev.websock.codec;

import java.nio.ByteBuffer;

/**
 * Receives what a {@link FrameDecoder} decodes. Every call happens inside
 * {@link FrameDecoder#decode(ByteBuffer, FrameHandler)}, on its thread. A handler may call
 * {@link FrameDecoder#stop} from any callback to stop decoding (for example on invalid UTF-8 in a text
 * frame); no further callbacks follow.
 */
public interface FrameHandler {

    /**
     * A frame begins: its header was valid. {@code rsv} holds the RSV1-3 bits in place ({@code 0x40},
     * {@code 0x20}, {@code 0x10}); only bits the decoder was told an extension owns can be set.
     */
    void onFrameStart(boolean fin, int rsv, int opcode, long payloadLength);

    /**
     * A piece of the current frame's payload, already unmasked, in {@code buffer[from, to)} (absolute
     * indices). Valid only during the call: the transport reuses the buffer. A payload arrives in any number
     * of pieces, one byte included; an empty payload in none.
     */
    void onFramePayload(ByteBuffer buffer, int from, int to);

    /** The current frame ended. */
    void onFrameEnd();

    /**
     * The bytes broke RFC 6455 (or a configured limit): the connection must be failed with {@code closeCode}
     * (1002 or 1009) and {@code reason}, a sentence that says what was wrong. The decoder ignores all later
     * input.
     */
    void onProtocolError(int closeCode, String reason);
}
