package dev.websock.codec.zlib;

import java.nio.ByteBuffer;

/**
 * A raw DEFLATE compressor (RFC 1951, no zlib or gzip wrapper) writing into an output buffer it owns. Two
 * implementations: {@link JdkCompressor} ({@code java.util.zip}, 15-bit window, or no window at all when
 * Huffman-only or stored) and {@link ZlibCompressor} (the system zlib through FFM, any window from 9 to 15 bits).
 *
 * <p>Not thread-safe. Used by one thread at a time, not necessarily always the same one.
 */
public interface Compressor {

    /**
     * The buffer compressed bytes are written to, at its position, up to its limit; the caller reads and
     * resets it (its position is the number of bytes it holds from 0).
     */
    ByteBuffer output();

    /**
     * Takes {@code input}'s remaining bytes as the next input; they are consumed by {@link #deflate} calls,
     * which advance {@code input}'s position. The compressor may keep a reference until {@link #needsInput()}.
     */
    void setInput(ByteBuffer input);

    /** Whether all input given has been consumed. */
    boolean needsInput();

    /**
     * Compresses into {@link #output()}, from its position to its limit, and advances the position.
     *
     * @param flush {@link Zlib#Z_NO_FLUSH}, or {@link Zlib#Z_SYNC_FLUSH} to emit everything so far followed by an
     *     empty stored block ({@code 00 00 ff ff}); while a call fills the output, it must be called again
     * @return the number of bytes written
     */
    int deflate(int flush);

    /**
     * Fills the LZ77 window of a new stream with {@code dictionary}'s remaining bytes (its position is not
     * moved), so that the input that follows may refer back into them: how a compressor made anew continues the
     * context of one that was let go (the peer's decompressor still holds those bytes, RFC 7692 §7.1.1). Call
     * before any input.
     */
    void setDictionary(ByteBuffer dictionary);

    /** Starts a new stream: forgets the LZ77 window (no context takeover) and any pending input. */
    void reset();

    /** Frees the native state at once. Idempotent; the compressor cannot be used afterwards. */
    void close();
}
