package dev.websock.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** What {@link MessageEncoder} and {@link FrameEncoder} write, {@link MessageDecoder} reads back: both roles. */
class RoundTripProperties {

    @Property(tries = 300)
    void messagesSurviveEncodingFragmentingAndAnyChunking(@ForAll("messages") List<String> messages,
            @ForAll @IntRange(min = 1, max = 300) int fragmentSize, @ForAll boolean clientSends,
            @ForAll @IntRange(min = 1, max = 500) int maxChunk, @ForAll long seed) {
        Role sender = clientSends ? Role.CLIENT : Role.SERVER;
        Role receiver = clientSends ? Role.SERVER : Role.CLIENT;
        MessageEncoder encoder = new MessageEncoder(
                new FrameEncoder(sender, sender == Role.CLIENT ? new SplittableRandom(seed) : null), fragmentSize);
        ByteBuffer wire = ByteBuffer.allocate(1 << 20);
        ByteBuffer header = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_LENGTH);
        for (String message : messages) {
            boolean binary = message.startsWith("b");
            ByteBuffer payload = ByteBuffer.wrap(Wire.utf8(message));
            encoder.begin(binary ? Opcode.BINARY : Opcode.TEXT, payload.remaining());
            for (long n; (n = encoder.nextFrame(header.clear())) >= 0; ) {
                wire.put(header.flip());
                ByteBuffer piece = payload.slice(payload.position(), (int) n);
                payload.position(payload.position() + (int) n);
                if (sender == Role.CLIENT) {
                    FrameEncoder.maskPayload(piece, wire, encoder.mask());
                } else {
                    wire.put(piece);
                }
            }
        }
        byte[] bytes = new byte[wire.flip().remaining()];
        wire.get(bytes);

        RecordingMessages seen = new RecordingMessages();
        MessageDecoder decoder = new MessageDecoder(new FrameDecoder(receiver, 1 << 20), seen,
                MessageDecoder.Delivery.WHOLE, 1 << 20);
        for (ByteBuffer chunk : Wire.randomChunks(bytes, new Random(seed), maxChunk)) {
            decoder.decode(chunk);
        }
        List<String> expected = new ArrayList<>();
        for (String message : messages) {
            expected.add(message.startsWith("b")
                    ? "binary last " + java.util.HexFormat.of().formatHex(Wire.utf8(message))
                    // A lone surrogate encodes as '?': expect what the bytes say.
                    : "text last " + new String(Wire.utf8(message), java.nio.charset.StandardCharsets.UTF_8));
        }
        // Escaped, so that a failure report survives control characters in the messages.
        assertEquals(escaped(expected), escaped(seen.events));
    }

    private static String escaped(List<String> events) {
        StringBuilder out = new StringBuilder();
        for (String event : events) {
            event.codePoints().forEach(c -> out.append(c < 0x20 || c > 0x7E ? String.format("\\u{%x}", c) : Character.toString(c)));
            out.append('\n');
        }
        return out.toString();
    }

    @Provide
    Arbitrary<List<String>> messages() {
        return Arbitraries.strings().withCharRange('\u0000', '\uD7FF').withChars("𝄞😀€")
                .ofMinLength(0).ofMaxLength(2000).list().ofMinSize(1).ofMaxSize(8);
    }
}
