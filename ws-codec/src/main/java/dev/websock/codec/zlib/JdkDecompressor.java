package dev.websock.codec.zlib;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** A {@link Decompressor} on {@link Inflater}: any window up to 15 bits, but it cannot hand its window out. */
public final class JdkDecompressor implements Decompressor {

    private final Inflater inflater = new Inflater(true);

    @Override
    public void setInput(ByteBuffer input) {
        inflater.setInput(input);
    }

    @Override
    public int inflate(byte[] out, int offset, int length) throws DataFormatException {
        int n = inflater.inflate(out, offset, length);
        if (n == 0 && inflater.needsDictionary()) {
            throw new DataFormatException("the stream asks for a preset dictionary, which raw DEFLATE cannot have");
        }
        return n;
    }

    @Override
    public boolean finished() {
        return inflater.finished();
    }

    @Override
    public boolean needsInput() {
        return inflater.needsInput();
    }

    @Override
    public int getRemaining() {
        return inflater.getRemaining();
    }

    @Override
    public void setDictionary(byte[] bytes, int offset, int length) {
        inflater.setDictionary(bytes, offset, length);
    }

    /** Null: {@code java.util.zip} has no {@code inflateGetDictionary}. */
    @Override
    public byte[] window() {
        return null;
    }

    @Override
    public void reset() {
        inflater.reset();
    }

    @Override
    public void close() {
        inflater.end();
    }
}
