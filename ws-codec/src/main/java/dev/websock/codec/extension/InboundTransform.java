package dev.websock.codec.extension;

import java.nio.ByteBuffer;

/**
 * Undoes an extension's transform on the data messages one connection receives, such as inflating
 * permessage-deflate messages. A plain state machine: fed payload pieces, it hands out output pieces in a
 * buffer of its own, so a message is never held whole (a decompression bomb costs no more memory than a
 * small message).
 *
 * <p>Contract with the message layer:
 * <ul>
 *   <li>Call only for messages the extension transformed: for permessage-deflate, those whose <em>first</em>
 *       frame has RSV1 set (RFC 7692 §6.1). Messages without it bypass the transform.</li>
 *   <li>{@link #feed} each payload piece of each frame of the message, in order, continuation frames
 *       included; then {@link #end} once, after the final frame's payload. Control frames between fragments
 *       are never transformed and never fed.</li>
 *   <li>A {@code false} return means the message cannot go on: either the output asked to stop, or the
 *       transform called {@link Output#onFailure} first, and the connection must be failed. The transform is
 *       then unusable: later calls throw {@link IllegalStateException}.</li>
 * </ul>
 *
 * <p>Not thread-safe: one connection, one thread at a time (not necessarily always the same thread).
 */
public interface InboundTransform {

    /** Where the output goes. Called only from within {@link #feed} and {@link #end}. */
    interface Output {

        /**
         * A piece of the message's output, between {@code data}'s position and limit. Valid only during the
         * call: the transform reuses the buffer; copy what must outlive it. The last piece of a message
         * comes with {@code last} set, and may be empty.
         *
         * @return {@code true} to go on, {@code false} to stop (for example on invalid UTF-8 in a text
         *     message): the transform then returns {@code false} at once
         */
        boolean onData(ByteBuffer data, boolean last);

        /**
         * The message cannot be transformed: fail the connection with {@code closeCode} (1007 for corrupt
         * data, 1009 for a message beyond the size limit) and {@code reason}, a sentence saying what was
         * wrong (RFC 6455 §7.1.7).
         */
        void onFailure(int closeCode, String reason);
    }

    /**
     * Transforms the payload piece {@code payload[from, to)} (absolute indices; position and limit are
     * ignored and left as they were). The piece is read during the call only.
     *
     * @return {@code true} to go on; {@code false} when the message failed or the output stopped it
     */
    boolean feed(ByteBuffer payload, int from, int to, Output out);

    /**
     * The message's final frame ended: produces the rest of the output, the last piece with {@code last} set.
     *
     * @return {@code true} when the message was transformed whole; {@code false} when it failed or the output
     *     stopped it
     */
    boolean end(Output out);

    /**
     * Gives back what memory the transform can while the connection is idle, between messages (for
     * permessage-deflate: trims the output kept for the peer's references to what was received). It is made again
     * when needed. Does nothing in the middle of a message.
     */
    void releaseIdle();

    /** Frees all native state at once. Idempotent; later calls other than {@code close} throw. */
    void close();
}
