package dev.websock.codec.extension;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.codec.extension.MessageDeflater.Backend;
import dev.websock.codec.zlib.Zlib;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Round trips through every compressor: whatever the window (8-15 bits), the backend (java.util.zip, native
 * zlib, the Huffman-only fallback forced), the level, memLevel, context takeover, buffer size and the way the
 * message is cut into pieces, the messages come back whole through our inflater, and an independent RFC 1951
 * decoder finds no back-reference beyond the agreed window, nor into an earlier message without context takeover.
 */
class DeflateRoundTripProperties {

    /** A message built from runs of random bytes over a small or full alphabet and copies of what came before. */
    @Provide
    Arbitrary<byte[]> messages() {
        return Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            int target = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(16);
                case 1 -> random.nextInt(600);
                default -> random.nextInt(48_000);
            };
            byte[] message = new byte[target];
            int at = 0;
            while (at < target) {
                int length = Math.min(target - at, 1 + random.nextInt(3000));
                if (at > 0 && random.nextBoolean()) {
                    // A copy from up to 40 000 bytes back: some fit small windows, some only 15 bits, some none.
                    int distance = 1 + random.nextInt(Math.min(at, 40_000));
                    for (int i = 0; i < length; i++) {
                        message[at + i] = message[at + i - distance];
                    }
                } else {
                    int alphabet = random.nextBoolean() ? 1 + random.nextInt(8) : 256;
                    for (int i = 0; i < length; i++) {
                        message[at + i] = (byte) ('a' + random.nextInt(alphabet));
                    }
                }
                at += length;
            }
            return message;
        });
    }

    @Provide
    Arbitrary<List<Integer>> pieces() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(1, 16).list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.integers().between(1, 70_000).list().ofMinSize(1).ofMaxSize(4));
    }

    /** A compressor set-up: window bits, whether native zlib is allowed, level, memLevel. */
    record Setup(int windowBits, boolean nativeZlib, int level, int memLevel, int bufferSize) {}

    @Provide
    Arbitrary<Setup> setups() {
        return Combinators.combine(
                Arbitraries.integers().between(8, 15),
                Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 9).edgeCases(c -> c.add(6)),
                Arbitraries.integers().between(1, 9).edgeCases(c -> c.add(8)),
                Arbitraries.integers().between(64, 4096)).as(Setup::new);
    }

    @Property(tries = 250)
    void messagesComeBackWholeAndWithinTheWindow(
            @ForAll("setups") Setup setup,
            @ForAll boolean noContextTakeover,
            @ForAll @Size(min = 1, max = 4) List<@From("messages") byte[]> messages,
            @ForAll("pieces") List<Integer> pieces,
            @ForAll("pieces") List<Integer> compressedPieces,
            @ForAll boolean direct) {
        PerMessageDeflate settings = PerMessageDeflate.builder().nativeZlib(setup.nativeZlib()).compressionLevel(setup.level())
                .memLevel(setup.memLevel()).bufferSize(setup.bufferSize()).build();
        MessageDeflater deflater = new MessageDeflater(settings, setup.windowBits(), noContextTakeover);
        assertEquals(MessageDeflater.chooseBackend(setup.level(), setup.windowBits(), setup.memLevel(),
                setup.nativeZlib() && Zlib.isAvailable()), deflater.backend());
        MessageInflater inflater = new MessageInflater(1 << 20, noContextTakeover, setup.bufferSize());
        DeflateChecker checker = new DeflateChecker();
        try {
            boolean first = true;
            for (byte[] message : messages) {
                Messages.Frames frames = Messages.deflate(deflater, message, pieces, direct);
                for (byte[] payload : frames.payloads.subList(0, frames.payloads.size() - 1)) {
                    assertEquals(setup.bufferSize() - 4, payload.length, "a frame payload that is not the last");
                }
                byte[] payload = frames.joined();

                Messages.Inflated inflated = Messages.inflateInPieces(inflater, payload, compressedPieces);
                assertEquals(0, inflated.closeCode, inflated.reason);
                assertTrue(inflated.last);
                assertArrayEquals(message, inflated.bytes());

                assertArrayEquals(message, checker.message(payload, first || noContextTakeover));
                first = false;
            }
            // RFC 7692 §7.1.2.1: never a window larger than agreed. zlib keeps 262 bytes of lookahead: its farthest
            // reach is 2^bits - 262.
            int reach = checker.maxDistance();
            if (deflater.backend() == Backend.HUFFMAN_ONLY || setup.level() == 0) {
                assertEquals(0, reach, "no back-reference without a window");
            } else {
                assertTrue(reach <= (1 << setup.windowBits()) - 262, "distance " + reach + " in a "
                        + setup.windowBits() + "-bit window by " + deflater.backend());
            }
            // RFC 7692 §7.1.1: without context takeover, each message stands alone.
            if (noContextTakeover) {
                assertFalse(checker.referencedEarlierMessage(), "a back-reference into an earlier message");
            }
        } finally {
            deflater.close();
            inflater.close();
        }
    }

    @Property(tries = 100)
    void anyCuttingOfACorruptedMessageFailsTheSameWayOrInflatesTheSame(
            @ForAll("messages") byte[] message,
            @ForAll @IntRange(min = 0, max = 1000) int flipAt,
            @ForAll("pieces") List<Integer> cutA,
            @ForAll("pieces") List<Integer> cutB) {
        byte[] payload = Messages.deflate(new MessageDeflater(PerMessageDeflate.defaults(), 15, true), message).joined();
        byte[] corrupted = Arrays.copyOf(payload, payload.length);
        corrupted[flipAt % corrupted.length] ^= (byte) 0x5A;
        Messages.Inflated a = Messages.inflateInPieces(new MessageInflater(1 << 20, true, 512), corrupted, cutA);
        Messages.Inflated b = Messages.inflateInPieces(new MessageInflater(1 << 20, true, 4096), corrupted, cutB);
        assertEquals(a.closeCode, b.closeCode, a.reason + " / " + b.reason);
        if (a.closeCode == 0) {
            assertArrayEquals(a.bytes(), b.bytes());
        } else {
            assertTrue(a.closeCode == 1007 || a.closeCode == 1009, "close code " + a.closeCode);
        }
    }
}
