package dev.websock.server.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TextCodecTest {

    /**
     * The virtual-thread transport runs each connection's callbacks on a virtual thread of its own, which lives as
     * long as the connection: a per-thread scratch there is a per-connection one, 320 KB for every connection that
     * ever sent or received a text.
     */
    @Test
    void aVirtualThreadKeepsNoScratchBehind() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> holds = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try {
                assertEquals("héllo", utf8(TextCodec.encode("héllo")));
                ByteBuffer direct = ByteBuffer.allocateDirect(6).put("héllo".getBytes(StandardCharsets.UTF_8)).flip();
                assertEquals("héllo", TextCodec.decode(direct));
                holds.set(TextCodec.holdsScratch());
            } catch (Throwable t) {
                failure.set(t);
            }
        }).join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertFalse(holds.get(), "a virtual thread kept the text scratch");
    }

    @Test
    void aPlatformThreadReusesItsScratch() throws Exception {
        Thread thread = Thread.ofPlatform().start(() -> {
            assertEquals("a", utf8(TextCodec.encode("a")));
            assertTrue(TextCodec.holdsScratch());
        });
        thread.join();
    }

    @Test
    void anUnpairedSurrogateBecomesAQuestionMarkOnEitherKindOfThread() throws Exception {
        String text = "a\uD83Db\uDE00c\uD83D";
        assertEquals("a?b?c?", utf8(TextCodec.encode(text)));
        AtomicReference<String> onVirtual = new AtomicReference<>();
        Thread.ofVirtual().start(() -> onVirtual.set(utf8(TextCodec.encode(text)))).join();
        assertEquals("a?b?c?", onVirtual.get());
    }

    @Test
    void aPieceNeverEndsBetweenTheHalvesOfAPair() {
        StringBuilder text = new StringBuilder("x".repeat(TextCodec.CACHED - 1)).append("😀").append("y");
        assertEquals(TextCodec.CACHED - 1, TextCodec.pieceEnd(text, 0));
        assertEquals(text.length(), TextCodec.pieceEnd(text, TextCodec.CACHED - 1));
        // A lone high surrogate as the last char of a piece is moved to the next piece too; it is '?' either way.
        StringBuilder lone = new StringBuilder("x".repeat(TextCodec.CACHED - 1)).append('\uD83D').append("yz");
        assertEquals(TextCodec.CACHED - 1, TextCodec.pieceEnd(lone, 0));
    }

    private static String utf8(ByteBuffer bytes) {
        return StandardCharsets.UTF_8.decode(bytes).toString();
    }
}
