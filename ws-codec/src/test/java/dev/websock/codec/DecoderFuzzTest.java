package dev.websock.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Fuzzes the decoders with Jazzer. In the normal test run this replays the corpus in
 * {@code src/test/resources/dev/websock/codec/DecoderFuzzTestInputs} (real frames: text, fragments, pings,
 * close, errors); {@code JAZZER_FUZZ=1 ./mvnw -pl ws-codec test -Dtest=DecoderFuzzTest} fuzzes for real.
 *
 * <p>Whatever the bytes: no exception escapes, the decoder consumes every byte, nothing follows an error or a
 * close, and decoding the bytes whole or in any chunking tells the same story (a differential check: a
 * resumable parser must not depend on where reads split).
 */
class DecoderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyBytesDecodeTheSameWholeOrChunked(byte[] input) {
        if (input.length < 2) {
            return;
        }
        // The first byte chooses the chunking, the second the delivery mode and limits.
        int maxChunk = 1 + (input[0] & 0x3F);
        boolean streaming = (input[1] & 1) != 0;
        long maxMessage = (input[1] & 2) != 0 ? 300 : 1 << 16;
        byte[] wire = java.util.Arrays.copyOfRange(input, 2, input.length);

        List<String> whole = decode(wire, wire.length, streaming, maxMessage);
        List<String> chunked = decode(wire, maxChunk, streaming, maxMessage);
        if (!streaming) {
            assertEquals(whole, chunked);
        }
        for (List<String> events : List.of(whole, chunked)) {
            for (int i = 0; i < events.size(); i++) {
                String event = events.get(i);
                if (event.startsWith("error ") || event.startsWith("close ")) {
                    assertEquals(events.size() - 1, i, "nothing may follow " + event + ": " + events);
                    assertTrue(event.matches("(?s)(error (1002|1007|1009) .+)|(close \\d+ .*)"), event);
                }
            }
        }
    }

    private static List<String> decode(byte[] wire, int chunk, boolean streaming, long maxMessage) {
        RecordingMessages seen = new RecordingMessages();
        MessageDecoder decoder = new MessageDecoder(new FrameDecoder(Role.SERVER, 1 << 16), seen,
                streaming ? MessageDecoder.Delivery.STREAMING : MessageDecoder.Delivery.WHOLE, maxMessage);
        byte[] copy = wire.clone(); // decoding unmasks in place
        for (int at = 0; at < copy.length; at += chunk) {
            ByteBuffer piece = ByteBuffer.wrap(copy, at, Math.min(chunk, copy.length - at));
            decoder.decode(piece);
            assertFalse(piece.hasRemaining(), "the decoder must consume every byte");
        }
        return seen.events;
    }
}
