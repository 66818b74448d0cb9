package dev.websock.codec.zlib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

class JdkCompressorTest {

    @Test
    void releasingTheOutputBetweenMessagesKeepsTheWindowAndTheNextOutputIsANewBuffer() throws Exception {
        JdkCompressor compressor = new JdkCompressor(6, Deflater.DEFAULT_STRATEGY, 1024);
        byte[] text = "a message that repeats, a message that repeats".getBytes(StandardCharsets.US_ASCII);
        byte[] first = compress(compressor, text);
        ByteBuffer before = compressor.output();
        compressor.releaseOutput();
        assertNotSame(before, compressor.output());
        byte[] second = compress(compressor, text);

        // The second message refers back to the first (context kept), so it is shorter, and both inflate in order.
        assertEquals(true, second.length < first.length, "the window was lost: " + second.length + " >= " + first.length);
        Inflater inflater = new Inflater(true);
        assertArrayEquals(text, inflate(inflater, first));
        assertArrayEquals(text, inflate(inflater, second));
        compressor.close();
    }

    private static byte[] compress(Compressor compressor, byte[] data) {
        compressor.output().clear();
        compressor.setInput(ByteBuffer.wrap(data));
        compressor.deflate(Zlib.Z_SYNC_FLUSH);
        ByteBuffer output = compressor.output();
        return Arrays.copyOf(output.array(), output.position());
    }

    private static byte[] inflate(Inflater inflater, byte[] data) throws Exception {
        inflater.setInput(data);
        byte[] out = new byte[1024];
        int n = inflater.inflate(out);
        return Arrays.copyOf(out, n);
    }
}
