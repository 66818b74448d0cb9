package dev.websock.codec.zlib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The FFM binding of the system zlib: layout, lookup, and every return code path of the compressor. */
class ZlibBindingTest {

    @Test
    void theZStreamLayoutIs112BytesWithCsPaddingOnLp64() {
        // The build machine is 64-bit Linux: C's long is 8 bytes.
        assertEquals(8, Linker.nativeLinker().canonicalLayouts().get("long").byteSize());
        assertEquals(112, Zlib.Z_STREAM.byteSize());
        assertEquals(8, Zlib.AVAIL_IN);
        assertEquals(24, Zlib.NEXT_OUT, "4 bytes of padding after avail_in align total_in");
        assertEquals(32, Zlib.AVAIL_OUT);
        assertEquals(48, Zlib.MSG);
        assertEquals(96, Zlib.Z_STREAM.byteOffset(MemoryLayout.PathElement.groupElement("adler")),
                "4 bytes of padding after data_type");
    }

    @Test
    void theSystemZlibIsFoundAndReportsItsVersion() {
        assertTrue(Zlib.isAvailable(), Zlib.unavailableReason());
        assertNull(Zlib.unavailableReason());
        assertTrue(Zlib.version().startsWith("1."), Zlib.version());
    }

    @Test
    void anAbsentLibraryIsReportedWithTheNamesTriedAndWhatToDo() {
        Zlib.Binding binding = Zlib.bind(List.of("libwebsock-no-such-zlib.so", "no-such-zlib.dll"));
        assertNull(binding.functions());
        assertTrue(binding.failure().contains("libwebsock-no-such-zlib.so, no-such-zlib.dll"), binding.failure());
        assertTrue(binding.failure().contains("install zlib"), binding.failure());
    }

    @Test
    void aLibraryWithoutTheDeflateFunctionsIsNotUsable() {
        // libm is there on every Linux, and has no zlibVersion.
        Zlib.Binding binding = Zlib.bind(List.of("libm.so.6"));
        assertNull(binding.functions());
        assertTrue(binding.failure().contains("zlibVersion"), binding.failure());
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 10, 11, 12, 13, 14, 15})
    void rawDeflateWithEveryWindowFrom9To15InflatesWithTheJdk(int windowBits) throws Exception {
        ZlibCompressor compressor = new ZlibCompressor(6, windowBits, 8, Zlib.Z_DEFAULT_STRATEGY, 256, 64);
        byte[] text = "permessage-deflate ".repeat(200).getBytes(StandardCharsets.US_ASCII);
        byte[] compressed = compressAll(compressor, text);
        compressor.close();
        assertArrayEquals(text, inflate(compressed, text.length));
    }

    @Test
    void zlibRefusesARawWindowOf8AndTheErrorSaysSo() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ZlibCompressor(6, 8, 8, Zlib.Z_DEFAULT_STRATEGY, 256, 64));
        assertTrue(e.getMessage().contains("Z_STREAM_ERROR"), e.getMessage());
        assertTrue(e.getMessage().contains("window bits 8"), e.getMessage());
    }

    @Test
    void aMemLevelOutOfRangeIsRefusedByZlib() {
        assertThrows(IllegalStateException.class, () -> new ZlibCompressor(6, 12, 10, Zlib.Z_DEFAULT_STRATEGY, 256, 64));
    }

    @Test
    void resetStartsANewStream() throws Exception {
        ZlibCompressor compressor = new ZlibCompressor(6, 12, 8, Zlib.Z_DEFAULT_STRATEGY, 256, 64);
        byte[] hello = "Hello".getBytes(StandardCharsets.US_ASCII);
        byte[] first = compressAll(compressor, hello);
        compressor.reset();
        byte[] again = compressAll(compressor, hello);
        assertArrayEquals(first, again);
        compressor.close();
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseThrows() {
        ZlibCompressor compressor = new ZlibCompressor(6, 12, 8, Zlib.Z_DEFAULT_STRATEGY, 256, 64);
        compressor.close();
        assertDoesNotThrow(compressor::close);
        assertThrows(IllegalStateException.class, () -> compressor.deflate(Zlib.Z_NO_FLUSH));
        assertThrows(IllegalStateException.class, compressor::reset);
    }

    @Test
    void inputLargerThanTheStageIsConsumedPieceByPieceWithOneFlushAtTheEnd() throws Exception {
        ZlibCompressor compressor = new ZlibCompressor(6, 15, 8, Zlib.Z_DEFAULT_STRATEGY, 64, 16);
        byte[] text = new byte[1000];
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) ('a' + (i * 7919 % 26));
        }
        byte[] compressed = compressAll(compressor, text);
        assertArrayEquals(text, inflate(compressed, text.length));
        // One sync flush marker only: the flush waited for the last staged piece.
        int markers = 0;
        for (int i = 0; i + 4 <= compressed.length; i++) {
            if (compressed[i] == 0 && compressed[i + 1] == 0 && compressed[i + 2] == -1 && compressed[i + 3] == -1) {
                markers++;
            }
        }
        assertEquals(1, markers);
        compressor.close();
    }

    /** Compresses {@code input} with a sync flush, draining the output buffer as it fills. */
    static byte[] compressAll(Compressor compressor, byte[] input) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        compressor.setInput(ByteBuffer.wrap(input));
        while (!compressor.needsInput()) {
            compressor.deflate(Zlib.Z_NO_FLUSH);
            drain(compressor, out);
        }
        boolean full;
        do {
            compressor.deflate(Zlib.Z_SYNC_FLUSH);
            full = !compressor.output().hasRemaining();
            drain(compressor, out);
        } while (full);
        return out.toByteArray();
    }

    private static void drain(Compressor compressor, java.io.ByteArrayOutputStream out) {
        ByteBuffer output = compressor.output();
        output.flip();
        byte[] bytes = new byte[output.remaining()];
        output.get(bytes);
        out.writeBytes(bytes);
        output.clear();
    }

    static byte[] inflate(byte[] compressed, int length) throws Exception {
        Inflater inflater = new Inflater(true);
        inflater.setInput(compressed);
        byte[] out = new byte[length + 1];
        int n = inflater.inflate(out);
        inflater.end();
        return java.util.Arrays.copyOf(out, n);
    }
}
