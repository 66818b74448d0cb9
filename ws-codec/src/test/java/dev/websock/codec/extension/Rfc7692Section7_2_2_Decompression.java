package dev.websock.codec.extension;

import static dev.websock.codec.extension.Messages.hex;
import static dev.websock.codec.extension.Messages.inflate;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.websock.codec.CloseCode;
import dev.websock.codec.zlib.Zlib;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 7692 §7.2.2 on the receiving side: the tail appended, the message limit enforced while inflating (the
 * decompression-bomb defence), corrupt data refused, context kept or not, memory given back when idle.
 */
class Rfc7692Section7_2_2_Decompression {

    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);
    private static final int MIB = 1 << 20;

    /** 100 MB of zeros in one message, about 100 KB compressed. */
    private static byte[] bomb;

    @BeforeAll
    static void makeTheBomb() {
        MessageDeflater deflater = new MessageDeflater(PerMessageDeflate.builder().bufferSize(1 << 20).build(), 15, true);
        Messages.Frames frames = new Messages.Frames();
        ByteBuffer zeros = ByteBuffer.allocate(MIB);
        for (int i = 0; i < 100; i++) {
            deflater.feed(zeros.clear(), frames);
        }
        deflater.end(frames);
        deflater.close();
        bomb = frames.joined();
        assertTrue(bomb.length < 200_000, "the bomb is " + bomb.length + " bytes");
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Nested
    class BoundedInflation {

        @Test
        void aDecompressionBombFailsWith1009AfterAtMostTheLimitOfWork() {
            MessageInflater inflater = new MessageInflater(MIB, false, 16 * 1024);
            Messages.Inflated out = new Messages.Inflated();
            ByteBuffer payload = ByteBuffer.wrap(bomb);
            int pieces = 0;
            int consumed = 0;
            boolean going = true;
            while (going && consumed < bomb.length) {
                int n = Math.min(4096, bomb.length - consumed);
                going = inflater.feed(payload, consumed, consumed + n, out);
                consumed += n;
                pieces++;
            }
            assertFalse(going);
            assertEquals(CloseCode.MESSAGE_TOO_BIG, out.closeCode);
            assertTrue(out.reason.contains("maxMessageSize " + MIB), out.reason);
            assertEquals(1, pieces, "1 MiB of zeros comes from the first 4 KiB of the bomb: no more was read");
            assertTrue(out.data.size() <= MIB, "no byte beyond the limit is handed out: " + out.data.size());
            assertFalse(out.last);
        }

        @Test
        void inflatingABombAllocatesNothingProportionalToItsSize() {
            MessageInflater inflater = new MessageInflater(64L * MIB, false, 16 * 1024);
            // Warm up: the first message makes the inflater and its buffer.
            assertArrayEquals(HELLO, inflate(inflater, hex("f2 48 cd c9 c9 07 00")).bytes());
            Messages.Inflated out = new Messages.Inflated();
            Discard discard = new Discard();
            ByteBuffer payload = ByteBuffer.wrap(bomb);
            long before = allocatedByThisThread();
            // The same 64 MiB of output through a 16 KiB buffer, handed out and dropped piece by piece.
            boolean going = inflater.feed(payload, 0, bomb.length, discard);
            long allocated = allocatedByThisThread() - before;
            assertFalse(going);
            assertEquals(CloseCode.MESSAGE_TOO_BIG, discard.closeCode);
            assertEquals(64L * MIB, discard.bytes, "everything up to the limit was handed out");
            assertTrue(allocated < 64 * 1024, "inflating 64 MiB allocated " + allocated + " bytes");
            assertEquals(0, out.closeCode);
        }

        @ParameterizedTest
        @ValueSource(ints = {64, 100, 1000, 4096, 65536})
        void aMessageOfExactlyTheLimitPassesAndOneByteMoreFails(int bufferSize) {
            byte[] message = new byte[10_000];
            new Random(bufferSize).nextBytes(message);
            for (int i = 0; i < message.length; i += 3) {
                message[i] = 'x';
            }
            MessageDeflater deflater = new MessageDeflater(PerMessageDeflate.defaults(), 15, true);
            byte[] compressed = Messages.deflate(deflater, message).joined();

            Messages.Inflated exact = inflate(new MessageInflater(message.length, false, bufferSize), compressed);
            assertEquals(0, exact.closeCode, exact.reason);
            assertArrayEquals(message, exact.bytes());

            Messages.Inflated over = inflate(new MessageInflater(message.length - 1, false, bufferSize), compressed);
            assertEquals(CloseCode.MESSAGE_TOO_BIG, over.closeCode);
            assertTrue(over.data.size() <= message.length - 1);
        }

        @Test
        void aLimitOfZeroAllowsOnlyEmptyMessages() {
            MessageInflater inflater = new MessageInflater(0, true, 64);
            assertEquals(0, inflate(inflater, hex("00")).closeCode);
            assertEquals(CloseCode.MESSAGE_TOO_BIG, inflate(inflater, hex("f2 48 cd c9 c9 07 00")).closeCode);
        }

        @Test
        void piecesAreAtMostTheBufferAndWhatAPayloadPieceInflatesToIsHandedOutAtOnce() {
            byte[] message = "0123456789".repeat(1000).getBytes(StandardCharsets.US_ASCII);
            byte[] compressed = Messages.deflate(new MessageDeflater(PerMessageDeflate.defaults(), 15, true), message).joined();
            MessageInflater inflater = new MessageInflater(MIB, true, 300);
            List<Integer> sizes = new java.util.ArrayList<>();
            InboundTransform.Output sizesOnly = new InboundTransform.Output() {
                @Override
                public boolean onData(ByteBuffer data, boolean last) {
                    sizes.add(data.remaining());
                    return true;
                }

                @Override
                public void onFailure(int closeCode, String reason) {
                    throw new AssertionError(reason);
                }
            };
            assertTrue(inflater.feed(ByteBuffer.wrap(compressed), 0, compressed.length, sizesOnly));
            assertTrue(inflater.end(sizesOnly));
            // Full buffers while the input lasts; what is left when it runs out comes at once (so text is validated
            // as it arrives, RFC 6455 §8.1), and end() adds the empty last piece.
            assertEquals(10_000, sizes.stream().mapToInt(Integer::intValue).sum());
            assertTrue(sizes.stream().allMatch(s -> s <= 300), sizes.toString());
            assertEquals(10_000 / 300, sizes.stream().filter(s -> s == 300).count(), sizes.toString());
            assertEquals(List.of(10_000 % 300, 0), sizes.subList(sizes.size() - 2, sizes.size()));
        }
    }

    @Nested
    class CorruptData {

        @ParameterizedTest
        @ValueSource(strings = {
            "ff ff ff ff",                 // block type 3 is reserved
            "00 05 00 00 00 48 65 6c 6c 6f", // stored block whose NLEN is not LEN's complement
            "f2 00 11 00 00",              // a back-reference with nothing before it
        })
        void invalidDeflateDataFailsWith1007(String payload) {
            Messages.Inflated out = inflate(new MessageInflater(MIB, false, 1024), hex(payload));
            assertEquals(CloseCode.INVALID_PAYLOAD, out.closeCode);
            assertTrue(out.reason.contains("not valid DEFLATE"), out.reason);
        }

        @Test
        void afterAFailureTheInflaterRefusesToGoOn() {
            MessageInflater inflater = new MessageInflater(MIB, false, 1024);
            assertEquals(CloseCode.INVALID_PAYLOAD, inflate(inflater, hex("ff ff ff ff")).closeCode);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> inflater.feed(ByteBuffer.wrap(HELLO), 0, 5, new Messages.Inflated()));
            assertTrue(e.getMessage().contains("must be failed"), e.getMessage());
        }
    }

    @Nested
    class TheOutputMayStopTheMessage {

        @Test
        void stoppingReturnsFalseAtOnceAndNothingMoreComes() {
            byte[] message = new byte[100_000];
            byte[] compressed = Messages.deflate(new MessageDeflater(PerMessageDeflate.defaults(), 15, true), message).joined();
            MessageInflater inflater = new MessageInflater(MIB, false, 1000);
            Messages.Inflated out = new Messages.Inflated();
            out.stopAfter = 2500; // say, invalid UTF-8 found in the third piece
            assertFalse(inflater.feed(ByteBuffer.wrap(compressed), 0, compressed.length, out));
            assertEquals(3, out.pieces);
            assertEquals(0, out.closeCode, "a stop is the caller's decision, not a failure report");
            assertThrows(IllegalStateException.class, () -> inflater.end(out));
        }
    }

    @Nested
    class Section7_1_1_ContextTakeover {

        @Test
        void withContextTakeoverTheWindowCarriesOverEvenAcrossReleaseIdle() {
            MessageInflater inflater = new MessageInflater(MIB, false, 64);
            assertArrayEquals(HELLO, inflate(inflater, hex("f2 48 cd c9 c9 07 00")).bytes());
            inflater.releaseIdle();
            assertArrayEquals(HELLO, inflate(inflater, hex("f2 00 11 00 00")).bytes());
        }

        /**
         * An idle inflater is given back, and only its window kept: what the peer's next message may refer to,
         * the last 32 KiB inflated or less when less was received. (Only the system zlib's inflater can say.)
         */
        @Test
        void releaseIdleGivesTheInflaterBackAndKeepsOnlyItsWindow() {
            assumeTrue(Zlib.isAvailable(), Zlib::unavailableReason);
            byte[] block = new byte[20_000];
            new Random(7692).nextBytes(block);
            MessageDeflater deflater = new MessageDeflater(PerMessageDeflate.defaults(), 15, false);
            MessageInflater inflater = new MessageInflater(MIB, false, 512);
            assertArrayEquals(block, inflate(inflater, Messages.deflate(deflater, block).joined()).bytes());
            assertTrue(inflater.holdsInflater());
            inflater.releaseIdle();
            assertFalse(inflater.holdsInflater());
            assertEquals(20_000, inflater.windowBytes());
            // The next message repeats the block: it refers 20 000 bytes back, into the kept window.
            byte[] again = Messages.deflate(deflater, block).joined();
            assertTrue(again.length < 1_000, "not a reference back: " + again.length);
            assertArrayEquals(block, inflate(inflater, again).bytes());
            assertArrayEquals(block, inflate(inflater, Messages.deflate(deflater, block).joined()).bytes());
            inflater.releaseIdle();
            assertEquals(32_768, inflater.windowBytes(), "60 000 bytes received; the window is 32 KiB");
            deflater.close();
        }

        /** java.util.zip's inflater cannot hand out its window: with context takeover it is kept while idle. */
        @Test
        void withoutTheSystemZlibAnIdleInflaterWithContextTakeoverIsKept() {
            MessageInflater inflater = new MessageInflater(MIB, false, new InflaterPool(1, 512, false));
            assertArrayEquals(HELLO, inflate(inflater, hex("f2 48 cd c9 c9 07 00")).bytes());
            inflater.releaseIdle();
            assertTrue(inflater.holdsInflater());
            assertArrayEquals(HELLO, inflate(inflater, hex("f2 00 11 00 00")).bytes());
        }

        /** A server of many idle connections holds inflaters for the ones receiving, not one per connection. */
        @Test
        void theInflatersOfOneConfigurationAreShared() {
            assumeTrue(Zlib.isAvailable(), Zlib::unavailableReason);
            PerMessageDeflate settings = PerMessageDeflate.defaults();
            for (int i = 0; i < 50; i++) {
                MessageInflater inflater = new MessageInflater(MIB, i % 2 == 0, settings.inflaters());
                assertArrayEquals(HELLO, inflate(inflater, hex("f2 48 cd c9 c9 07 00")).bytes());
                inflater.releaseIdle();
                assertArrayEquals(HELLO, inflate(inflater, hex(i % 2 == 0 ? "f2 48 cd c9 c9 07 00" : "f2 00 11 00 00"))
                        .bytes());
                inflater.releaseIdle();
            }
            assertEquals(1, settings.inflaters().idleCount(), "one inflater served the 50 connections in turn");
        }

        /** Messages of every size with idle releases at random between them, both ways, inflate in order. */
        @Test
        void messagesAroundRandomIdleReleasesInflateInOrder() {
            Random random = new Random(6455);
            String[] words = {"alpha ", "beta ", "gamma ", "delta ", "{\"id\":", "}, ", "\u00e9t\u00e9 "};
            PerMessageDeflate settings = PerMessageDeflate.defaults();
            MessageDeflater deflater = new MessageDeflater(settings, 15, false);
            MessageInflater inflater = new MessageInflater(MIB, false, settings.inflaters());
            for (int i = 0; i < 300; i++) {
                StringBuilder text = new StringBuilder();
                int length = random.nextInt(4) == 0 ? random.nextInt(60_000) : random.nextInt(300);
                while (text.length() < length) {
                    text.append(words[random.nextInt(words.length)]);
                }
                byte[] message = text.toString().getBytes(StandardCharsets.UTF_8);
                assertArrayEquals(message, inflate(inflater, Messages.deflate(deflater, message).joined()).bytes(),
                        "message " + i);
                if (random.nextInt(3) == 0) {
                    inflater.releaseIdle();
                }
                if (random.nextInt(3) == 0) {
                    deflater.releaseIdle();
                }
            }
            deflater.close();
        }

        @Test
        void withoutContextTakeoverReleaseIdleFreesTheStateAndTheNextMessageStillInflates() {
            MessageInflater inflater = new MessageInflater(MIB, true, 64);
            assertArrayEquals(HELLO, inflate(inflater, hex("f2 48 cd c9 c9 07 00")).bytes());
            inflater.releaseIdle();
            assertArrayEquals(HELLO, inflate(inflater, hex("f2 48 cd c9 c9 07 00")).bytes());
        }

        @Test
        void releaseIdleInTheMiddleOfAMessageChangesNothing() {
            MessageInflater inflater = new MessageInflater(MIB, true, 64);
            byte[] payload = hex("f2 48 cd c9 c9 07 00");
            Messages.Inflated out = new Messages.Inflated();
            assertTrue(inflater.feed(ByteBuffer.wrap(payload), 0, 3, out));
            inflater.releaseIdle();
            assertTrue(inflater.feed(ByteBuffer.wrap(payload), 3, payload.length, out));
            assertTrue(inflater.end(out));
            assertArrayEquals(HELLO, out.bytes());
        }

        @Test
        void closeIsIdempotentAndUseAfterCloseThrows() {
            MessageInflater inflater = new MessageInflater(MIB, false, 64);
            inflate(inflater, hex("f2 48 cd c9 c9 07 00"));
            inflater.close();
            assertDoesNotThrow(inflater::close);
            assertThrows(IllegalStateException.class, () -> inflater.end(new Messages.Inflated()));
        }
    }

    @Test
    void constructorArgumentsOutOfRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MessageInflater(-1, false, 1024));
        assertThrows(IllegalArgumentException.class, () -> new MessageInflater(10, false, 63));
    }

    @Test
    void theInflaterReadsOnlyItsRegionAndLeavesTheCallersBufferAsItWas() {
        byte[] message = "Hello, Hello, Hello!".getBytes(StandardCharsets.US_ASCII);
        byte[] compressed = Messages.deflate(new MessageDeflater(PerMessageDeflate.defaults(), 15, true), message).joined();
        for (int size = 1; size <= compressed.length; size++) {
            Messages.Inflated out = Messages.inflateInPieces(new MessageInflater(MIB, false, 64), compressed, List.of(size));
            assertArrayEquals(message, out.bytes(), "pieces of " + size);
        }
        assertTrue(Arrays.equals(message, inflate(new MessageInflater(MIB, false, 64), compressed).bytes()));
    }

    @Test
    void aDirectBufferIsReadInPlaceToo() {
        byte[] message = "Hello, Hello, Hello!".getBytes(StandardCharsets.US_ASCII);
        byte[] compressed = Messages.deflate(new MessageDeflater(PerMessageDeflate.defaults(), 15, false), message).joined();
        ByteBuffer direct = ByteBuffer.allocateDirect(compressed.length + 10);
        direct.put(5, compressed);
        MessageInflater inflater = new MessageInflater(MIB, false, 64);
        Messages.Inflated out = new Messages.Inflated();
        assertTrue(inflater.feed(direct, 5, 5 + compressed.length / 2, out));
        assertTrue(inflater.feed(direct, 5 + compressed.length / 2, 5 + compressed.length, out));
        assertTrue(inflater.end(out));
        assertArrayEquals(message, out.bytes());
        assertEquals(0, direct.position());
        assertEquals(direct.capacity(), direct.limit());
    }

    @Test
    void theNativeZlibStatusNamesTheLibraryVersion() {
        assertTrue(PerMessageDeflate.nativeZlibStatus().startsWith("zlib 1."), PerMessageDeflate.nativeZlibStatus());
    }

    /** Counts what it is handed and keeps nothing. */
    private static final class Discard implements InboundTransform.Output {
        long bytes;
        int closeCode;

        @Override
        public boolean onData(ByteBuffer data, boolean last) {
            bytes += data.remaining();
            return true;
        }

        @Override
        public void onFailure(int closeCode, String reason) {
            this.closeCode = closeCode;
        }
    }
}
