package dev.websock.utf8;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.utf8.Texts.Mutation;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * Properties of one-shot and streaming validation on generated text: whatever the JDK encodes is accepted however
 * it is cut up and wherever it lies; broken text gets the JDK decoder's verdict, at the JDK's position.
 */
class Utf8PropertyTest {

    @Provide
    Arbitrary<byte[]> encoded() {
        return Texts.encodedTexts();
    }

    @Provide
    Arbitrary<List<Integer>> chunks() {
        return Texts.chunkSizes();
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        return Texts.mutations();
    }

    /** Feeds {@code placed[from, to)} in chunks of the given sizes (in turn, repeated); the first failure or -1. */
    static long feedInChunks(Container.Placed placed, Utf8Validator validator, int from, int to,
            List<Integer> chunks) {
        int i = from;
        int c = 0;
        while (i < to) {
            int n = Math.min(chunks.get(c++ % chunks.size()), to - i);
            long r = placed.feed(validator, i, i + n);
            if (r >= 0) {
                assertTrue(r >= i && r < i + n, () -> "failure index " + r + " outside its chunk");
                return r;
            }
            i += n;
        }
        return -1;
    }

    /** The JDK's verdict: -1 when it decodes, else the position where it reports malformed input. */
    static int jdkMalformedAt(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            return in.position();
        }
        assertTrue(result.isUnderflow() && !in.hasRemaining(), "decoder stopped without error: " + result);
        assertTrue(decoder.flush(out).isUnderflow());
        return -1;
    }

    private static void assertAcceptedInChunks(byte[] bytes, List<Integer> chunks, Container container, int offset) {
        Statistics.label("length").collect(bytes.length >= 128 ? "two 512-bit blocks" : "shorter");
        Container.Placed placed = container.place(bytes, offset, 5);
        Utf8Validator validator = new Utf8Validator();
        int end = offset + bytes.length;
        assertEquals(-1, feedInChunks(placed, validator, offset, end, chunks), "streamed");
        assertTrue(validator.isComplete(), "complete");
        assertFalse(validator.hasFailed());
        assertEquals(bytes.length, validator.acceptedBytes());
        assertEquals(-1, placed.firstInvalid(offset, end), "one-shot");
        assertTrue(placed.isValid(offset, end));
    }

    @Property
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void everyEncodedStringIsAcceptedWhateverTheChunkingAndContainer(@ForAll("encoded") byte[] bytes,
            @ForAll("chunks") List<Integer> chunks, @ForAll Container container, @ForAll @IntRange(max = 9) int offset) {
        assertAcceptedInChunks(bytes, chunks, container, offset);
        Statistics.label("length").coverage(c -> c.check("two 512-bit blocks").percentage(p -> p >= 25));
    }

    @Property
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void anyJavaStringEncodedIsAcceptedWhateverTheChunkingAndContainer(@ForAll String text,
            @ForAll("chunks") List<Integer> chunks, @ForAll Container container) {
        assertAcceptedInChunks(text.getBytes(StandardCharsets.UTF_8), chunks, container, 1);
    }

    @Example
    void theJdkDecoderReportsTheStartOfTheBrokenSequence() {
        // Pins the JDK behaviour the mutation property relies on.
        assertEquals(2, jdkMalformedAt(Rfc3629.hex("41 42 E0 80 80")));
        assertEquals(1, jdkMalformedAt(Rfc3629.hex("41 F0 90 80")));
        assertEquals(0, jdkMalformedAt(Rfc3629.hex("ED A0 80")));
        assertEquals(-1, jdkMalformedAt(Rfc3629.hex("F4 8F BF BF")));
    }

    @Property
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void brokenTextGetsTheVerdictAndPositionOfTheJdkDecoder(@ForAll("encoded") byte[] text,
            @ForAll @Size(min = 1, max = 4) List<@From("mutations") Mutation> mutations,
            @ForAll Container container, @ForAll("chunks") List<Integer> chunks) {
        byte[] bytes = Mutation.applyAll(text, mutations);
        int offset = 3;
        int end = offset + bytes.length;
        Container.Placed placed = container.place(bytes, offset, 4);

        long found = placed.firstInvalid(offset, end);
        int ours = found < 0 ? -1 : (int) found - offset;
        int jdk = jdkMalformedAt(bytes);

        assertEquals(jdk < 0, ours < 0, "verdict");
        Statistics.label("verdict").collect(ours < 0 ? "valid" : ours == bytes.length ? "truncated" : "invalid");
        Statistics.label("verdict").coverage(c -> {
            c.check("valid").percentage(p -> p >= 5);
            c.check("truncated").percentage(p -> p >= 1);
            c.check("invalid").percentage(p -> p >= 30);
        });
        if (ours >= 0) {
            // Ours is the byte where it became certain; the JDK names the start of that sequence.
            assertEquals(jdk, Rfc3629.sequenceStartOf(bytes, 0, ours), "start of the broken sequence");
        }
        assertEquals(Rfc3629.firstInvalid(bytes), ours, "fail-fast index");
        assertEquals(ours < 0, placed.isValid(offset, end));

        Utf8Validator validator = new Utf8Validator();
        long streamed = feedInChunks(placed, validator, offset, end, chunks);
        if (ours < 0) {
            assertEquals(-1, streamed);
            assertTrue(validator.isComplete());
        } else if (ours == bytes.length) {
            assertEquals(-1, streamed, "a truncated end fails no byte");
            assertFalse(validator.isComplete());
            assertFalse(validator.hasFailed());
        } else {
            assertEquals(offset + ours, streamed, "streamed failure index");
            assertTrue(validator.hasFailed());
            assertEquals(ours, validator.acceptedBytes());
            assertEquals(end - 1, placed.feed(validator, end - 1, end), "after failure: from");
        }
    }
}
