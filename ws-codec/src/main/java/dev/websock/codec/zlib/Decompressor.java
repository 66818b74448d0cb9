package dev.websock.codec.zlib;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;

/**
 * A raw DEFLATE decompressor (RFC 1951, no zlib or gzip wrapper), with {@link java.util.zip.Inflater}'s calling
 * conventions. Two implementations: {@link JdkDecompressor} ({@code java.util.zip}) and {@link ZlibDecompressor}
 * (the system zlib through FFM), which can also hand out its window ({@link #window()}), so that an idle
 * connection may let it go and keep only that.
 *
 * <p>Not thread-safe. Used by one thread at a time, not necessarily always the same one.
 */
public interface Decompressor {

    /**
     * Takes {@code input}'s remaining bytes as the input, in place of any left; inflate calls consume them and
     * advance its position. The decompressor may keep a reference until the next {@code setInput}.
     */
    void setInput(ByteBuffer input);

    /**
     * Inflates into {@code out[offset, offset + length)}; returns the number of bytes written, 0 when more input
     * is needed or the stream has ended.
     *
     * @throws DataFormatException when the input is not valid DEFLATE data
     */
    int inflate(byte[] out, int offset, int length) throws DataFormatException;

    /** Whether a block with BFINAL set ended the stream. */
    boolean finished();

    /** Whether all input given has been consumed. */
    boolean needsInput();

    /** Input bytes given and not consumed. */
    int getRemaining();

    /**
     * Fills the window of a new stream with {@code bytes[offset, offset + length)}: what the peer's compressor
     * may refer back to. Call before any input.
     */
    void setDictionary(byte[] bytes, int offset, int length);

    /** The window's contents (the last bytes inflated, at most the window's size), or null when it cannot tell. */
    byte[] window();

    /** Starts a new stream: forgets the window and any input. */
    void reset();

    /** Frees the native state at once. Idempotent; the decompressor cannot be used afterwards. */
    void close();
}
