package dev.websock.codec.extension;

import dev.websock.codec.zlib.Compressor;
import dev.websock.codec.zlib.JdkCompressor;
import dev.websock.codec.zlib.Zlib;
import dev.websock.codec.zlib.ZlibCompressor;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.zip.Deflater;

/**
 * Compresses sent permessage-deflate messages (RFC 7692 §7.2.1): the message through a raw-DEFLATE compressor,
 * a sync flush at its end, and the flush's trailing {@code 00 00 ff ff} removed. Output comes in frame payloads
 * of up to the buffer size; the last four bytes produced are held back until it is known whether they are that
 * tail. An empty message compresses to the single octet {@code 00} (§7.2.3.6).
 *
 * <p>With no context takeover the compressor starts a new stream after each message; otherwise its LZ77 window
 * carries over, and the peer must keep its own (§7.1.1).
 *
 * <h2>Window</h2>
 * The window the peer allows (§7.1.2) is honoured as agreed, never exceeded: see {@link Backend} for how.
 * {@code java.util.zip} can only use 15 bits, so smaller windows need the system zlib through FFM, which
 * needs native access for {@code dev.websock.codec} ({@code --enable-native-access=dev.websock.codec} on the
 * module path, {@code =ALL-UNNAMED} on the class path; without the flag JDK 25 prints a warning once and
 * proceeds; with {@code --illegal-native-access=deny} the Huffman-only fallback is used).
 *
 * <p>Memory: the compressor's state (see {@link PerMessageDeflate}) and one output buffer. {@link #releaseIdle()}
 * frees the buffer between messages, and the state too when there is no context takeover; they are made again by
 * the next message.
 *
 * <p>Not thread-safe: one connection, one thread at a time. Allocates nothing per message in the steady state.
 */
public final class MessageDeflater implements OutboundTransform {

    /** How a window is honoured. */
    public enum Backend {
        /** {@code java.util.zip}: a 15-bit window, or stored blocks (no window) at level 0. */
        JAVA_UTIL_ZIP,
        /** The system zlib through FFM, with the window agreed (9-15 bits) and the configured memLevel. */
        NATIVE_ZLIB,
        /**
         * {@code java.util.zip} with {@link Deflater#HUFFMAN_ONLY}: no LZ77 back-references at all, so within any
         * window. Used for 8 bits (zlib refuses a raw 8-bit window) and below 15 bits where the system zlib is
         * absent, denied or not allowed.
         */
        HUFFMAN_ONLY
    }

    /** RFC 7692 §7.2.1: the empty stored block a sync flush ends with, removed from every message. */
    private static final int TAIL_LENGTH = 4;
    /** Input is copied to native memory for zlib in pieces of at most this many bytes. */
    private static final int NATIVE_STAGE = 8 * 1024;

    private final int level;
    private final int windowBits;
    private final int memLevel;
    private final boolean noContextTakeover;
    private final int bufferSize;
    private final Backend backend;

    private Compressor compressor;
    private ByteBuffer delivery;
    private boolean inMessage;
    private boolean spilled;
    private boolean closed;

    /**
     * @param settings level, memLevel, buffer size and whether the system zlib may be used
     * @param windowBits the largest window agreed for this endpoint's compressor, 8-15
     * @param noContextTakeover start a new stream after each message
     */
    public MessageDeflater(PerMessageDeflate settings, int windowBits, boolean noContextTakeover) {
        Objects.requireNonNull(settings, "settings");
        if (windowBits < PerMessageDeflate.MIN_WINDOW_BITS || windowBits > PerMessageDeflate.MAX_WINDOW_BITS) {
            throw new IllegalArgumentException("windowBits " + windowBits + " is not 8-15 (RFC 7692 §7.1.2)");
        }
        this.level = settings.compressionLevel();
        this.windowBits = windowBits;
        this.memLevel = settings.memLevel();
        this.noContextTakeover = noContextTakeover;
        this.bufferSize = settings.bufferSize();
        this.backend = chooseBackend(level, windowBits, memLevel, settings.nativeZlib() && Zlib.isAvailable());
    }

    /**
     * The compressor for a window: the JDK's when it suffices (15 bits at memLevel 8, or stored blocks), the
     * system zlib when it is there and the window is 9 bits or more, and Huffman-only otherwise.
     */
    static Backend chooseBackend(int level, int windowBits, int memLevel, boolean zlibUsable) {
        if (level == 0 || (windowBits == 15 && memLevel == 8)) {
            return Backend.JAVA_UTIL_ZIP;
        }
        if (zlibUsable && windowBits >= 9) {
            return Backend.NATIVE_ZLIB;
        }
        return windowBits == 15 ? Backend.JAVA_UTIL_ZIP : Backend.HUFFMAN_ONLY;
    }

    /** How this deflater honours its window, for logs. */
    public Backend backend() {
        return backend;
    }

    /** The largest window this deflater may use, in bits. */
    public int windowBits() {
        return windowBits;
    }

    @Override
    public void feed(ByteBuffer message, Output out) {
        begin();
        compressor.setInput(message);
        while (!compressor.needsInput()) {
            compress(Zlib.Z_NO_FLUSH, out);
        }
    }

    @Override
    public void end(Output out) {
        begin();
        // RFC 7692 §7.2.1: flush with an empty stored block; while a flush fills the buffer there is more to come.
        while (compress(Zlib.Z_SYNC_FLUSH, out) || !compressor.needsInput()) {
            // go on
        }
        ByteBuffer output = compressor.output();
        int length = output.position();
        if (length == 0 && !spilled) {
            // zlib emits nothing for a flush with nothing new since the previous one: an empty message with
            // context takeover. RFC 7692 §7.2.3.6: its compressed form is 00, an empty stored block's header,
            // completed by the tail the receiver appends.
            output.put((byte) 0);
            deliver(out, 1, true);
        } else {
            if (length < TAIL_LENGTH || output.get(length - 4) != 0 || output.get(length - 3) != 0
                    || output.get(length - 2) != (byte) 0xFF || output.get(length - 1) != (byte) 0xFF) {
                throw new IllegalStateException(backend + " sync flush did not end with 00 00 ff ff");
            }
            deliver(out, length - TAIL_LENGTH, true);
        }
        output.clear();
        if (noContextTakeover) {
            compressor.reset();
        }
        inMessage = false;
        spilled = false;
    }

    @Override
    public void releaseIdle() {
        if (inMessage || closed || compressor == null) {
            return;
        }
        if (noContextTakeover) {
            compressor.close();
            compressor = null;
        } else {
            compressor.releaseOutput(); // the window stays: the next message may refer to it
        }
        delivery = null;
    }

    @Override
    public void close() {
        if (compressor != null) {
            compressor.close();
            compressor = null;
        }
        delivery = null;
        closed = true;
    }

    private void begin() {
        if (closed) {
            throw new IllegalStateException("deflater used after close()");
        }
        if (compressor == null) {
            compressor = switch (backend) {
                case JAVA_UTIL_ZIP -> new JdkCompressor(level, Deflater.DEFAULT_STRATEGY, bufferSize);
                case HUFFMAN_ONLY -> new JdkCompressor(level, Deflater.HUFFMAN_ONLY, bufferSize);
                case NATIVE_ZLIB -> new ZlibCompressor(level, windowBits, memLevel, Zlib.Z_DEFAULT_STRATEGY, bufferSize,
                        Math.min(bufferSize, NATIVE_STAGE));
            };
        }
        if (delivery == null) {
            delivery = compressor.output().duplicate();
        }
        inMessage = true;
    }

    /** One compressor call; returns whether it filled the buffer (so a flush must be called again). */
    private boolean compress(int flush, Output out) {
        ByteBuffer output = compressor.output();
        compressor.deflate(flush);
        if (output.hasRemaining()) {
            return false;
        }
        // Full: send all but the last four bytes, which may yet be the tail to remove.
        deliver(out, output.position() - TAIL_LENGTH, false);
        output.put(0, output, output.position() - TAIL_LENGTH, TAIL_LENGTH);
        output.position(TAIL_LENGTH);
        spilled = true;
        return true;
    }

    /** Hands out the first {@code length} bytes of the output buffer, through a view the receiver may move. */
    private void deliver(Output out, int length, boolean last) {
        delivery.clear().limit(length);
        out.onData(delivery, last);
    }
}
