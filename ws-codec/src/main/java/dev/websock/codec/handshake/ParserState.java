package dev.websock.codec.handshake;

/** Where an {@link UpgradeRequestParser} or {@link UpgradeResponseParser} stands after it was fed. */
public enum ParserState {
    /** The header block has not ended yet: feed more bytes. */
    NEED_MORE,
    /** The header block ended; the bytes after it are still in the buffer, unread. */
    DONE,
    /** The bytes are not an acceptable HTTP/1.1 head; the parser says why and reads nothing more. */
    FAILED
}
