package dev.websock.codec.extension;

import dev.websock.codec.zlib.Compressor;
import dev.websock.codec.zlib.JdkCompressor;
import dev.websock.codec.zlib.Zlib;
import dev.websock.codec.zlib.ZlibCompressor;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.Deflater;

/**
 * Compresses sent permessage-deflate messages (RFC 7692 §7.2.1): the message through a raw-DEFLATE compressor,
 * a sync flush at its end, and the flush's trailing {@code 00 00 ff ff} removed. Output comes in frame payloads
 * of up to the buffer size; the last four bytes produced are held back until it is known whether they are that
 * tail. An empty message compresses to the single octet {@code 00} (§7.2.3.6).
 *
 * <p>With no context takeover (§7.1.1) each message is compressed as a new DEFLATE stream; otherwise the
 * compressor's LZ77 window carries over, and the peer must keep its own.
 *
 * <h2>Window</h2>
 * The window the peer allows (§7.1.2) is honoured as agreed, never exceeded: see {@link Backend} for how.
 * {@code java.util.zip} can only use 15 bits, so smaller windows need the system zlib through FFM, which
 * needs native access for {@code dev.websock.codec} ({@code --enable-native-access=dev.websock.codec} on the
 * module path, {@code =ALL-UNNAMED} on the class path; without the flag JDK 25 prints a warning once and
 * proceeds; with {@code --illegal-native-access=deny} the Huffman-only fallback is used).
 *
 * <p>Memory: a deflater holds a compressor (264 KiB of zlib state with the defaults, and its output buffer) while
 * its connection sends; without context takeover only while it compresses a message. {@link #releaseIdle()} gives
 * the compressor back to the configuration's {@link CompressorPool}, reset, for any connection's next message.
 * With context takeover the peer's decompressor keeps what was sent and the next message should refer back to it,
 * so the deflater keeps the last {@value #IDLE_CONTEXT} bytes it compressed (fewer with a smaller window) and
 * primes the compressor it takes next with them. Referring back less far than the window allows is always allowed
 * (RFC 7692 §7.1.2.1 bounds the distance; nothing requires it be used): the first message after a pause compresses
 * a little worse. An idle connection so holds at most those 4 KiB, trimmed to what was sent. (Priming costs about
 * as much as compressing a 1 KiB message, which is why an active connection keeps its compressor.)
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
    /** The most of what was sent that is kept, while idle, to prime the next compressor with. */
    static final int IDLE_CONTEXT = 4096;
    /** zlib never refers further back than its window less MIN_LOOKAHEAD (deflate.h): more would be unused. */
    private static final int ZLIB_MIN_LOOKAHEAD = 262;

    private final int level;
    private final int windowBits;
    private final int memLevel;
    private final boolean noContextTakeover;
    private final int bufferSize;
    private final Backend backend;
    /** How much of what was sent is remembered for the next compressor: 0 when nothing may be referred to. */
    private final int contextLimit;

    private final CompressorPool compressors;
    /** The compressor, while this deflater holds one; null after {@link #releaseIdle()}. */
    private CompressorPool.Lease lease;
    /** The last bytes compressed, oldest first, {@code contextLength} of them; null until the first message. */
    private byte[] context;
    private int contextLength;
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
        // Zlib is looked up only for a window or memLevel java.util.zip cannot honour: the lookup is the restricted
        // call that makes JDK 25 warn, and a server at the defaults has no need of it.
        this.backend = chooseBackend(level, windowBits, memLevel,
                !jdkSuffices(level, windowBits, memLevel) && settings.nativeZlib() && Zlib.isAvailable());
        // Huffman-only and stored blocks refer to nothing; without context takeover there is nothing to continue.
        boolean refers = !noContextTakeover && level != 0 && backend != Backend.HUFFMAN_ONLY;
        this.contextLimit = refers ? Math.min(IDLE_CONTEXT, (1 << windowBits) - ZLIB_MIN_LOOKAHEAD) : 0;
        Backend chosen = backend;
        this.compressors = settings.compressors(windowBits,
                () -> newCompressor(chosen, level, windowBits, memLevel, bufferSize));
    }

    private static Compressor newCompressor(Backend backend, int level, int windowBits, int memLevel, int bufferSize) {
        return switch (backend) {
            case JAVA_UTIL_ZIP -> new JdkCompressor(level, Deflater.DEFAULT_STRATEGY, bufferSize);
            case HUFFMAN_ONLY -> new JdkCompressor(level, Deflater.HUFFMAN_ONLY, bufferSize);
            case NATIVE_ZLIB -> new ZlibCompressor(level, windowBits, memLevel, Zlib.Z_DEFAULT_STRATEGY, bufferSize,
                    Math.min(bufferSize, NATIVE_STAGE));
        };
    }

    /** Whether java.util.zip honours these settings: stored blocks, or its own 15-bit window at memLevel 8. */
    private static boolean jdkSuffices(int level, int windowBits, int memLevel) {
        return level == 0 || (windowBits == 15 && memLevel == 8);
    }

    /**
     * The compressor for a window: the JDK's when it suffices (15 bits at memLevel 8, or stored blocks), the
     * system zlib when it is there and the window is 9 bits or more, and Huffman-only otherwise.
     */
    static Backend chooseBackend(int level, int windowBits, int memLevel, boolean zlibUsable) {
        if (jdkSuffices(level, windowBits, memLevel)) {
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
        if (contextLimit > 0) {
            remember(message);
        }
        Compressor compressor = lease.compressor;
        compressor.setInput(message);
        while (!compressor.needsInput()) {
            compress(Zlib.Z_NO_FLUSH, out);
        }
    }

    @Override
    public void end(Output out) {
        begin();
        // RFC 7692 §7.2.1: flush with an empty stored block; while a flush fills the buffer there is more to come.
        while (compress(Zlib.Z_SYNC_FLUSH, out) || !lease.compressor.needsInput()) {
            // go on
        }
        ByteBuffer output = lease.compressor.output();
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
            giveBack(); // the next message starts a new stream anyway: any compressor will do for it
        }
        inMessage = false;
        spilled = false;
    }

    /** Gives the compressor back, and trims the context kept for the next one to what was sent. */
    @Override
    public void releaseIdle() {
        if (inMessage || closed) {
            return;
        }
        if (lease != null) {
            giveBack();
        }
        if (context != null && contextLength < context.length) {
            context = Arrays.copyOf(context, contextLength); // grows back with the next message
        }
    }

    @Override
    public void close() {
        if (lease != null) {
            giveBack(); // mid-message too: the reset drops the half-compressed stream
        }
        context = null;
        contextLength = 0;
        closed = true;
    }

    private void begin() {
        if (closed) {
            throw new IllegalStateException("deflater used after close()");
        }
        if (lease == null) {
            lease = compressors.take();
            if (contextLength > 0) {
                // Continue the stream the peer holds (see the class comment).
                lease.compressor.setDictionary(ByteBuffer.wrap(context, 0, contextLength));
            }
        }
        inMessage = true;
    }

    private void giveBack() {
        compressors.giveBack(lease);
        lease = null;
    }

    /** How many bytes sent are kept to prime the next compressor with. Visible for tests. */
    int contextBytes() {
        return contextLength;
    }

    /** Whether a compressor (its native state) is held. Visible for tests. */
    boolean holdsCompressor() {
        return lease != null;
    }

    /** Appends {@code message}'s remaining bytes to {@link #context}, keeping the last {@link #contextLimit}. */
    private void remember(ByteBuffer message) {
        int n = message.remaining();
        if (context == null || context.length < Math.min(contextLimit, contextLength + n)) {
            context = Arrays.copyOf(context == null ? new byte[0] : context, contextLimit);
        }
        if (n >= contextLimit) {
            message.get(message.limit() - contextLimit, context, 0, contextLimit);
            contextLength = contextLimit;
            return;
        }
        int keep = Math.min(contextLength, contextLimit - n);
        System.arraycopy(context, contextLength - keep, context, 0, keep);
        message.get(message.position(), context, keep, n);
        contextLength = keep + n;
    }

    /** One compressor call; returns whether it filled the buffer (so a flush must be called again). */
    private boolean compress(int flush, Output out) {
        ByteBuffer output = lease.compressor.output();
        lease.compressor.deflate(flush);
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
        ByteBuffer delivery = lease.delivery;
        delivery.clear().limit(length);
        out.onData(delivery, last);
    }
}
