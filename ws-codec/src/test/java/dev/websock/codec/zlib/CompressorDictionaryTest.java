package dev.websock.codec.zlib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every {@link Compressor} must do beyond compressing: continue a peer's context from a dictionary. */
class CompressorDictionaryTest {

    private static Compressor compressor(boolean nativeZlib) {
        if (nativeZlib) {
            assumeTrue(Zlib.isAvailable(), Zlib::unavailableReason);
            return new ZlibCompressor(6, 15, 8, Zlib.Z_DEFAULT_STRATEGY, 1024, 1024);
        }
        return new JdkCompressor(6, Deflater.DEFAULT_STRATEGY, 1024);
    }

    @ParameterizedTest(name = "native zlib {0}")
    @ValueSource(booleans = {false, true})
    void aNewCompressorPrimedWithWhatThePeerHoldsRefersBackIntoIt(boolean nativeZlib) throws Exception {
        byte[] first = "a message that repeats, ".getBytes(StandardCharsets.US_ASCII);
        Compressor before = compressor(nativeZlib);
        byte[] sent = compress(before, first);
        before.close();

        // The peer's inflater still holds the first message; a compressor made anew is given it as its dictionary.
        Compressor after = compressor(nativeZlib);
        ByteBuffer dictionary = ByteBuffer.wrap(first);
        after.setDictionary(dictionary);
        assertTrue(dictionary.position() == 0, "the dictionary's position moved");
        byte[] second = compress(after, first);
        after.close();

        assertTrue(second.length < sent.length / 2, "no reference back: " + second.length + " vs " + sent.length);
        Inflater inflater = new Inflater(true);
        assertArrayEquals(first, inflate(inflater, sent));
        assertArrayEquals(first, inflate(inflater, second));
    }

    private static byte[] compress(Compressor compressor, byte[] data) {
        compressor.output().clear();
        compressor.setInput(ByteBuffer.wrap(data));
        compressor.deflate(Zlib.Z_SYNC_FLUSH);
        ByteBuffer output = compressor.output();
        byte[] bytes = new byte[output.position()];
        output.get(0, bytes);
        return bytes;
    }

    private static byte[] inflate(Inflater inflater, byte[] data) throws Exception {
        inflater.setInput(data);
        byte[] out = new byte[1024];
        int n = inflater.inflate(out);
        return Arrays.copyOf(out, n);
    }
}
