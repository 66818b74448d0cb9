package dev.websock.codec.extension;

import java.nio.ByteBuffer;

/**
 * Applies an extension's transform to the data messages one connection sends, such as compressing them for
 * permessage-deflate. A message goes in as one or more pieces and comes out as frame payloads.
 *
 * <p>Contract with the message layer: for each message, {@link #feed} its bytes (in any number of pieces),
 * then call {@link #end} once. Each {@link Output#onData} call is the payload of one frame: the first frame of
 * the message is sent with the message's opcode and the extension's {@link AgreedExtension#rsvBits()} (RSV1 for
 * permessage-deflate, RFC 7692 §6.1), later ones as continuation frames with no RSV bit, and the one with
 * {@code last} set with FIN. Control frames are never transformed and may go out between these frames.
 * One message at a time.
 *
 * <p>Not thread-safe: one connection, one thread at a time (not necessarily always the same thread).
 */
public interface OutboundTransform {

    /** Where frame payloads go. Called only from within {@link #feed} and {@link #end}. */
    interface Output {

        /**
         * The payload of the message's next frame, between {@code payload}'s position and limit. Valid only
         * during the call: the transform reuses the buffer; send or copy it before returning. Only the
         * {@code last} one may be empty.
         */
        void onData(ByteBuffer payload, boolean last);
    }

    /**
     * Transforms the remaining bytes of {@code message} (position to limit) and advances its position to the
     * limit. Output comes as whole frames' payloads, so a small piece may produce none yet.
     */
    void feed(ByteBuffer message, Output out);

    /** The message is complete: produces the rest of its output, the last payload with {@code last} set. */
    void end(Output out);

    /**
     * Gives back what memory the transform can while the connection is idle, between messages (for
     * permessage-deflate: trims the context kept for the next message to what was sent). It is made again when
     * needed. Does nothing in the middle of a message.
     */
    void releaseIdle();

    /** Frees all native state at once. Idempotent; later calls other than {@code close} throw. */
    void close();
}
