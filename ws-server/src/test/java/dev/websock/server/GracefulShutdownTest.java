package dev.websock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link WebSocketServer#stop}: open sessions receive 1001 (going away, RFC 6455 §7.4.1) and complete their
 * closing handshake, handshakes in progress are refused, nothing new is accepted, and a client that never answers
 * cannot hold the stop beyond its grace period.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.websock.server.ServerUnderTest#transports")
class GracefulShutdownTest {
    @Parameter
    ServerUnderTest.Kind kind;

    private ServerUnderTest fixture;
    private final RecordingHandler echo = new RecordingHandler(true);

    @BeforeEach
    void start() {
        fixture = ServerUnderTest.start(kind, builder -> builder.route("/echo", echo)
                .closeTimeout(Duration.ofMillis(500)));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void openSessionsReceive1001AndTheStopCompletesWhenTheyAnswer() throws Exception {
        try (RawClient first = fixture.connect("/echo"); RawClient second = fixture.connect("/echo")) {
            first.sendText("warm");
            assertEquals("warm", first.read().text());
            CompletableFuture<Void> stopped = fixture.server().stop(Duration.ofSeconds(10));
            for (RawClient client : new RawClient[] {first, second}) {
                RawClient.Frame close = client.read();
                assertEquals(8, close.opcode());
                assertEquals(1001, close.closeCode());
                client.sendClose(1001, "");
                assertTrue(client.serverClosedTcp());
                client.close(); // as a client does at the server's FIN (RFC 6455 §7.1.1)
            }
            stopped.get(5, TimeUnit.SECONDS); // long before the 10 s grace: every session answered
            assertTrue(fixture.server().stop(Duration.ZERO) == stopped, "stopping again returns the same future");
        }
        assertEquals(1001, echo.awaitCloseCode());
    }

    @Test
    void aHandshakeInProgressIsRefusedWith503() throws Exception {
        try (RawClient client = fixture.raw()) {
            client.sendRaw("GET /echo HTTP/1.1\r\nHost: local".getBytes(StandardCharsets.US_ASCII));
            Await.until("the connection to be counted", () -> fixture.server().connectionCount() == 1);
            fixture.server().stop(Duration.ofSeconds(5));
            ServerAssertions.assertRejectedWith(client, 503, client.readHead());
        }
    }

    @Test
    void aClientThatNeverAnswersCannotHoldTheStopBeyondItsGrace() throws Exception {
        try (RawClient client = fixture.connect("/echo")) {
            CompletableFuture<Void> stopped = fixture.server().stop(Duration.ofMillis(300));
            assertEquals(1001, client.read().closeCode());
            stopped.get(10, TimeUnit.SECONDS);
            assertTrue(client.serverClosedTcp(), "the transport's shutdown closed it");
        }
    }

    @Test
    void nothingNewIsAcceptedAfterTheStop() throws Exception {
        fixture.server().stop(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
        assertThrows(java.io.IOException.class, () -> {
            try (RawClient client = fixture.connect("/echo")) {
                client.sendText("anyone?");
                client.read();
            }
        });
    }
}
