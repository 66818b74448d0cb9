package dev.websock.server;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.transport.memory.InMemoryAddress;
import dev.websock.transport.memory.InMemoryTransportProvider;
import org.junit.jupiter.api.Test;

/** Settings that could never work are refused when the server is built, not after each connection's 101. */
class WebSocketServerBuilderTest {

    private static WebSocketServer.Builder inMemory() {
        return WebSocketServer.builder().transport(new InMemoryTransportProvider()).bind(new InMemoryAddress("b"));
    }

    @Test
    void aFrameLimitBelowTheLargestControlFrameIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> inMemory().maxFrameSize(124));
        assertTrue(refused.getMessage().contains("125"), refused.getMessage());
    }

    @Test
    void aMessageLimitLargerThanOneBufferIsRefusedForWholeDelivery() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> inMemory()
                .route("/whole", new EchoHandler()).maxMessageSize(Long.MAX_VALUE).build());
        assertTrue(refused.getMessage().contains("STREAMING"), refused.getMessage());
    }

    @Test
    void aMessageLimitLargerThanOneBufferIsFineForStreaming() {
        inMemory().route("/stream", new EchoHandler(), MessageDelivery.STREAMING).maxMessageSize(Long.MAX_VALUE)
                .build().close();
    }

    @Test
    void aServerNeedsAnAddressAndARoute() {
        assertThrows(IllegalStateException.class, () -> WebSocketServer.builder().route("/x", new EchoHandler()).build());
        assertThrows(IllegalStateException.class, () -> inMemory().build());
        assertThrows(IllegalArgumentException.class, () -> inMemory().route("no-slash", new EchoHandler()));
    }
}
