package dev.websock.codec.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the parsers over many inputs: however the bytes are cut, the outcome is the same; no input
 * makes them throw or hold more than the limits; what a client sends, a server accepts, and back.
 */
class IncrementalParsingPropertyTest {

    private static final HandshakeLimits SMALL = new HandshakeLimits(64, 512, 12);

    static final byte[] FRAME = {(byte) 0x81, (byte) 0x82, 9, 8, 7, 6, 'h' ^ 9, 'i' ^ 8};

    /** Valid and invalid requests, some with frame bytes after the head. */
    private static final List<byte[]> CORPUS = corpus();

    private static List<byte[]> corpus() {
        List<String> heads = new ArrayList<>(List.of(
                Wire.head(Wire.CHROME), Wire.head(Wire.FIREFOX), Wire.head(Wire.AUTOBAHN), Wire.head(Wire.MINIMAL),
                "\r\n" + Wire.head(Wire.MINIMAL),
                Wire.head(Wire.MINIMAL) + Wire.latin1(FRAME),
                Wire.head(Wire.CHROME) + Wire.latin1(FRAME) + Wire.latin1(FRAME),
                Wire.head(Wire.plus(Wire.MINIMAL, "X-A: first", " folded")),
                Wire.head(Wire.plus(Wire.MINIMAL, "X-A : b")),
                Wire.head(Wire.plus(Wire.MINIMAL, "NoColon")),
                Wire.head(Wire.plus(Wire.MINIMAL, "X-A: a\u0000b")),
                Wire.head(Wire.plus(Wire.MINIMAL, "X-\u00e9: b")),
                Wire.head(Wire.plus(Wire.MINIMAL, "X-A: caf\u00c3\u00a9")),
                Wire.head(Wire.plus(Wire.MINIMAL, "Cookie: " + "c".repeat(9000))),
                Wire.head(Wire.replace(Wire.MINIMAL, "GET", "GET /" + "a".repeat(9000) + " HTTP/1.1")),
                "GET / HTTP/1.1\nHost: a\n\n",
                "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n",
                "GET  / HTTP/1.1\r\n\r\n",
                "POST / HTTP/1.0\r\nHost: a\r\n\r\n",
                "\u0016\u0003\u0001\u0002\u0000"));
        return heads.stream().map(Wire::latin1).toList();
    }

    @Provide
    Arbitrary<byte[]> corpusInput() {
        return Arbitraries.of(CORPUS);
    }

    @Provide
    Arbitrary<HandshakeLimits> limits() {
        return Arbitraries.of(HandshakeLimits.DEFAULTS, SMALL);
    }

    @Property(tries = 400)
    void anyChunkingGivesTheOutcomeOfTheWholeInput(@ForAll("corpusInput") byte[] input,
            @ForAll("limits") HandshakeLimits limits,
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 300) Integer> chunkSizes) {
        Wire.Outcome whole = Wire.parseInChunks(input, limits, new int[] {input.length});
        assertEquals(whole, Wire.parseInChunks(input, limits, cycle(chunkSizes, input.length)));
    }

    @Property(tries = 400)
    void mutatedRequestsNeverThrowAndAgreeAcrossChunkings(@ForAll("corpusInput") byte[] input,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 100_000) Integer> positions,
            @ForAll @Size(min = 8, max = 8) List<@IntRange(min = 0, max = 255) Integer> bytes,
            @ForAll @IntRange(min = 1, max = 17) int chunk) {
        byte[] mutated = input.clone();
        for (int i = 0; i < positions.size(); i++) {
            mutated[positions.get(i) % mutated.length] = bytes.get(i).byteValue();
        }
        Wire.Outcome whole = Wire.parseInChunks(mutated, SMALL, new int[] {mutated.length});
        assertEquals(whole, Wire.parseInChunks(mutated, SMALL, Wire.sizes(mutated.length, chunk)));
        if (whole.state() == ParserState.DONE) {
            // Whatever was accepted goes through validation without an exception, to a verdict.
            ServerHandshake.validate(whole.request());
        }
    }

    @Property(tries = 300)
    void arbitraryBytesStopWithinTheLimits(@ForAll @Size(max = 2000) byte[] input, @ForAll boolean startLikeHttp) {
        byte[] bytes = startLikeHttp ? Wire.latin1("GET / HTTP/1.1\r\n" + Wire.latin1(input)) : input;
        Wire.Outcome outcome = Wire.parseInChunks(bytes, SMALL, Wire.sizes(bytes.length, 1));
        assertEquals(outcome, Wire.parseInChunks(bytes, SMALL, new int[] {Math.max(1, bytes.length)}));
        assertTrue(outcome.consumed() <= 64 + 512, "consumed " + outcome.consumed());
    }

    private record Field(String name, String value) {}

    @Provide
    Arbitrary<List<Field>> fields() {
        Arbitrary<String> names = Arbitraries.strings().withChars("!#$%&'*+-.^_`|~").withCharRange('a', 'z')
                .withCharRange('A', 'Z').withCharRange('0', '9').ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> values = Arbitraries.strings().withCharRange('!', '~').withCharRange('\u0080', '\u00ff')
                .withChars(' ', '\t').ofMaxLength(40);
        return Combinators.combine(names, values).as(Field::new).list().ofMaxSize(30);
    }

    @Property(tries = 300)
    void generatedHeadsParseToTheirFieldsTrimmed(@ForAll("fields") List<Field> fields,
            @ForAll @IntRange(min = 1, max = 50) int chunk) {
        StringBuilder head = new StringBuilder("GET /x HTTP/1.1\r\n");
        for (Field field : fields) {
            head.append(field.name()).append(':').append(field.value()).append("\r\n");
        }
        byte[] input = Wire.latin1(head.append("\r\n").toString());

        Wire.Outcome outcome = Wire.parseInChunks(input, HandshakeLimits.DEFAULTS, Wire.sizes(input.length, chunk));

        assertSame(ParserState.DONE, outcome.state(), () -> String.valueOf(outcome.rejection()));
        Headers headers = outcome.request().headers();
        assertEquals(fields.size(), headers.size());
        for (int i = 0; i < fields.size(); i++) {
            assertEquals(fields.get(i).name(), headers.name(i));
            assertEquals(fields.get(i).value().strip(), headers.value(i));
        }
    }

    private static int[] cycle(List<Integer> sizes, int total) {
        List<Integer> out = new ArrayList<>();
        for (int covered = 0, i = 0; covered < total; i++) {
            int size = sizes.get(i % sizes.size());
            out.add(size);
            covered += size;
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
