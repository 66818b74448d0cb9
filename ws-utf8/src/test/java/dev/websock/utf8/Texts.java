package dev.websock.utf8;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/** Generators shared by the property tests: text of every UTF-8 length, and ways to break and cut it. */
final class Texts {

    private Texts() {}

    /** Code points of every encoded length, boundary values, noncharacters, and surrogates (encoded as '?'). */
    @SuppressWarnings("unchecked")
    public static Arbitrary<Integer> codePoints() {
        return Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.integers().between(0, 0x7F)),
                Tuple.of(3, Arbitraries.integers().between(0x80, 0x7FF)),
                Tuple.of(3, Arbitraries.integers().between(0x800, 0xFFFF)),
                Tuple.of(3, Arbitraries.integers().between(0x10000, 0x10FFFF)),
                Tuple.of(2, Arbitraries.of(0x00, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xD800, 0xDFFF, 0xE000, 0xFDD0,
                        0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x1FFFF, 0x10FFFF)));
    }

    /**
     * Strings made of single code points and runs of ASCII up to a hundred long, so that the vector kernel meets
     * blocks that are all ASCII, all multi-byte, and mixed.
     */
    @SuppressWarnings("unchecked")
    public static Arbitrary<String> texts() {
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                Tuple.of(6, codePoints().map(cp -> new String(Character.toChars(cp)))),
                Tuple.of(1, Arbitraries.strings().withCharRange('\u0000', '\u007F').ofMinLength(1).ofMaxLength(100)));
        // Uniform sizes: the default bias towards short lists would rarely fill two vector blocks.
        return piece.list().ofMaxSize(80).withSizeDistribution(RandomDistribution.uniform())
                .map(pieces -> String.join("", pieces));
    }

    public static Arbitrary<byte[]> encodedTexts() {
        return texts().map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    /** Chunk sizes, one byte often; the sizes are used in turn, over and over, until the input is fed. */
    @SuppressWarnings("unchecked")
    public static Arbitrary<List<Integer>> chunkSizes() {
        Arbitrary<Integer> size = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(1)),
                Tuple.of(3, Arbitraries.integers().between(2, 8)),
                Tuple.of(2, Arbitraries.integers().between(9, 200)));
        return size.list().ofMinSize(1).ofMaxSize(12);
    }

    /** Bytes that break UTF-8 in every way: leads, continuations, bytes that never occur, ASCII. */
    @SuppressWarnings("unchecked")
    public static Arbitrary<Integer> interestingBytes() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2,
                        0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF7, 0xF8, 0xFE, 0xFF)),
                Tuple.of(1, Arbitraries.integers().between(0, 255)));
    }

    /** One change to a byte string: what to do, where (a fraction of the length), and with which byte. */
    public record Mutation(Kind kind, double where, int value) {

        public enum Kind { REPLACE, INSERT, DELETE, TRUNCATE }

        /** {@code bytes} with every mutation applied, in order. */
        public static byte[] applyAll(byte[] bytes, java.util.List<Mutation> mutations) {
            for (Mutation mutation : mutations) {
                bytes = mutation.applyTo(bytes);
            }
            return bytes;
        }

        public byte[] applyTo(byte[] bytes) {
            int at = (int) (where * bytes.length);
            return switch (kind) {
                case REPLACE -> {
                    if (bytes.length == 0) {
                        yield new byte[] {(byte) value};
                    }
                    byte[] out = bytes.clone();
                    out[Math.min(at, bytes.length - 1)] = (byte) value;
                    yield out;
                }
                case INSERT -> {
                    byte[] out = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, out, 0, at);
                    out[at] = (byte) value;
                    System.arraycopy(bytes, at, out, at + 1, bytes.length - at);
                    yield out;
                }
                case DELETE -> {
                    if (bytes.length == 0) {
                        yield bytes;
                    }
                    int gone = Math.min(at, bytes.length - 1);
                    byte[] out = new byte[bytes.length - 1];
                    System.arraycopy(bytes, 0, out, 0, gone);
                    System.arraycopy(bytes, gone + 1, out, gone, bytes.length - gone - 1);
                    yield out;
                }
                case TRUNCATE -> java.util.Arrays.copyOf(bytes, at);
            };
        }
    }

    public static Arbitrary<Mutation> mutations() {
        return net.jqwik.api.Combinators.combine(
                Arbitraries.of(Mutation.Kind.class),
                Arbitraries.integers().between(0, 999_999).map(i -> i / 1e6),
                interestingBytes()).as(Mutation::new);
    }
}
