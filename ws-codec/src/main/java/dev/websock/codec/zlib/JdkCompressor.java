package dev.websock.codec.zlib;

import java.nio.ByteBuffer;
import java.util.zip.Deflater;

/**
 * A {@link Compressor} on {@link Deflater}: always a 15-bit window and memLevel 8 inside the JDK's zlib. With
 * {@link Deflater#HUFFMAN_ONLY}, or at level 0 (stored blocks), it emits no back-reference at all, so its output
 * stays within any window a peer may demand, 8 bits included (RFC 7692 §7.1.2.1).
 */
public final class JdkCompressor implements Compressor {

    private static final byte[] NO_INPUT = new byte[0];

    private final Deflater deflater;
    private final int outputSize;
    private ByteBuffer output;

    /**
     * @param level 0-9
     * @param strategy {@link Deflater#DEFAULT_STRATEGY} or {@link Deflater#HUFFMAN_ONLY}
     * @param outputSize the output buffer's capacity
     */
    public JdkCompressor(int level, int strategy, int outputSize) {
        this.deflater = new Deflater(level, true);
        // Applied by the first deflate call, before any input: the whole stream uses it.
        deflater.setStrategy(strategy);
        this.outputSize = outputSize;
    }

    @Override
    public ByteBuffer output() {
        if (output == null) {
            output = ByteBuffer.allocate(outputSize);
        }
        return output;
    }

    @Override
    public void setInput(ByteBuffer input) {
        deflater.setInput(input);
    }

    @Override
    public boolean needsInput() {
        if (deflater.needsInput()) {
            deflater.setInput(NO_INPUT); // let go of the caller's buffer
            return true;
        }
        return false;
    }

    @Override
    public int deflate(int flush) {
        return deflater.deflate(output(), flush == Zlib.Z_SYNC_FLUSH ? Deflater.SYNC_FLUSH : Deflater.NO_FLUSH);
    }

    @Override
    public void setDictionary(ByteBuffer dictionary) {
        deflater.setDictionary(dictionary.duplicate());
    }

    @Override
    public void reset() {
        deflater.reset(); // deflateReset keeps level and strategy
    }

    @Override
    public void close() {
        deflater.end();
    }
}
