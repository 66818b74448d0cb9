package dev.websock.conformance.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.conformance.wire.Bytes;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class WindowCheckingInflaterTest {

    private static DeflateParameters params(boolean serverNoContextTakeover, int serverWindowBits) {
        return new DeflateParameters(serverNoContextTakeover, false, serverWindowBits, 15);
    }

    /** A message whose second half repeats its first half: back-references of distance {@code half}. */
    private static byte[] repeatedHalves(int half, long seed) {
        byte[] block = new byte[half];
        new SplittableRandom(seed).nextBytes(block);
        return Bytes.concat(block, block);
    }

    /** RFC 7692 §7.2.3.1: "Hello" compressed, as the RFC shows it. */
    @Test
    void inflatesTheRfcHelloExample() throws Exception {
        WindowCheckingInflater inflater = new WindowCheckingInflater(params(false, 15), 1 << 20);
        assertArrayEquals(Bytes.utf8("Hello"), inflater.inflate(Bytes.hex("f248cdc9c90700")));
    }

    /** RFC 7692 §7.2.3.2: the second "Hello" refers back into the first message (context takeover). */
    @Test
    void inflatesTheRfcSharedWindowExample() throws Exception {
        WindowCheckingInflater inflater = new WindowCheckingInflater(params(false, 15), 1 << 20);
        assertArrayEquals(Bytes.utf8("Hello"), inflater.inflate(Bytes.hex("f248cdc9c90700")));
        assertArrayEquals(Bytes.utf8("Hello"), inflater.inflate(Bytes.hex("f200110000")));
        assertEquals(5, inflater.largestDistance());
    }

    /** RFC 7692 §7.2.3.3: "Hello" in a stored (uncompressed) block. */
    @Test
    void inflatesTheRfcStoredBlockExample() throws Exception {
        WindowCheckingInflater inflater = new WindowCheckingInflater(params(false, 15), 1 << 20);
        assertArrayEquals(Bytes.utf8("Hello"), inflater.inflate(Bytes.hex("000500faff48656c6c6f")));
    }

    @Test
    void aBackReferenceBeyondTheAgreedWindowIsAWindowViolation() {
        MessageDeflater deflater = new MessageDeflater(new DeflateParameters(false, false, 15, 15));
        byte[] compressed = deflater.compress(repeatedHalves(1000, 1));
        WindowCheckingInflater inflater = new WindowCheckingInflater(params(false, 8), 1 << 20);
        InflateException e = assertThrows(InflateException.class, () -> inflater.inflate(compressed));
        assertTrue(e.windowViolation());
        assertTrue(e.getMessage().contains("256-byte window"), e.getMessage());
    }

    @Test
    void theSameMessageFitsAWindowLargeEnough() throws Exception {
        byte[] message = repeatedHalves(1000, 1);
        byte[] compressed = new MessageDeflater(new DeflateParameters(false, false, 15, 15)).compress(message);
        WindowCheckingInflater inflater = new WindowCheckingInflater(params(false, 10), 1 << 20);
        assertArrayEquals(message, inflater.inflate(compressed));
        assertEquals(1000, inflater.largestDistance());
    }

    @Test
    void withoutContextTakeoverAReferenceIntoThePreviousMessageFails() throws Exception {
        MessageDeflater deflater = new MessageDeflater(new DeflateParameters(false, false, 15, 15));
        byte[] message = Bytes.utf8("a message long enough to be referred back to by the next one");
        byte[] first = deflater.compress(message);
        byte[] second = deflater.compress(message);
        WindowCheckingInflater shared = new WindowCheckingInflater(params(false, 15), 1 << 20);
        shared.inflate(first);
        assertArrayEquals(message, shared.inflate(second));
        WindowCheckingInflater fresh = new WindowCheckingInflater(params(true, 15), 1 << 20);
        fresh.inflate(first);
        InflateException e = assertThrows(InflateException.class, () -> fresh.inflate(second));
        assertTrue(e.getMessage().contains("server_no_context_takeover"), e.getMessage());
    }

    /** Huffman-only output has no back-references, so it fits the smallest window (the runner's own rule). */
    @Test
    void huffmanOnlyCompressionFitsAnEightBitWindow() throws Exception {
        byte[] message = repeatedHalves(4000, 3);
        byte[] compressed = new MessageDeflater(new DeflateParameters(false, false, 15, 8)).compress(message);
        WindowCheckingInflater inflater = new WindowCheckingInflater(params(false, 8), 1 << 20);
        assertArrayEquals(message, inflater.inflate(compressed));
        assertEquals(0, inflater.largestDistance());
    }

    @Test
    void refusesToInflateBeyondItsLimit() {
        byte[] compressed = new MessageDeflater(new DeflateParameters(false, false, 15, 15)).compress(new byte[100_000]);
        InflateException e = assertThrows(InflateException.class,
                () -> new WindowCheckingInflater(params(false, 15), 50_000).inflate(compressed));
        assertFalse(e.windowViolation());
    }

    /** Random bytes deflate to a stored block; cutting it leaves LEN promising more than there is. */
    @Test
    void aTruncatedStoredBlockIsAnError() {
        byte[] random = new byte[1000];
        new SplittableRandom(4).nextBytes(random);
        byte[] compressed = new MessageDeflater(new DeflateParameters(false, false, 15, 15)).compress(random);
        byte[] truncated = Arrays.copyOf(compressed, compressed.length / 2);
        assertThrows(InflateException.class, () -> new WindowCheckingInflater(params(false, 15), 1 << 20).inflate(truncated));
    }

    /** Whatever java.util.zip produces, at any level, over a run of messages, inflates back the same. */
    @Property(tries = 60)
    void inflatesWhatJavaUtilZipDeflates(@ForAll long seed, @ForAll @IntRange(min = 0, max = 40_000) int size,
                                         @ForAll boolean noContextTakeover) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        DeflateParameters p = new DeflateParameters(noContextTakeover, noContextTakeover, 15, 15);
        MessageDeflater deflater = new MessageDeflater(p);
        WindowCheckingInflater inflater = new WindowCheckingInflater(p, 1 << 20);
        for (int m = 0; m < 4; m++) {
            byte[] message = new byte[size];
            for (int i = 0; i < size; i++) {
                message[i] = (byte) (r.nextInt(4) == 0 ? r.nextInt(256) : 'a' + r.nextInt(6));
            }
            assertArrayEquals(message, inflater.inflate(deflater.compress(message)));
        }
    }
}
