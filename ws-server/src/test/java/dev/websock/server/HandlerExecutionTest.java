package dev.websock.server;

import static dev.websock.server.ServerAssertions.assertStillServes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where handlers run ({@link HandlerExecution}) and what the threading contract promises either way: calls for
 * one session in order and never overlapping, handlers that may block on virtual threads, sends from any thread,
 * and a handler that throws closes its session with 1011.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.websock.server.ServerUnderTest#transports")
class HandlerExecutionTest {
    @Parameter
    ServerUnderTest.Kind kind;

    private ServerUnderTest fixture;
    private final RecordingHandler echo = new RecordingHandler(true);
    private final CountDownLatch unblock = new CountDownLatch(1);
    private final AtomicInteger overlapping = new AtomicInteger();
    private final AtomicInteger maxOverlap = new AtomicInteger();

    private void start(HandlerExecution execution) {
        fixture = ServerUnderTest.start(kind, builder -> builder
                .handlerExecution(execution)
                .route("/echo", echo)
                .route("/block", new WebSocketHandler() {
                    @Override
                    public void onText(Session session, String text) {
                        try {
                            if (!unblock.await(10, TimeUnit.SECONDS)) {
                                throw new IllegalStateException("never unblocked");
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        session.sendText("unblocked: " + text);
                    }
                })
                .route("/ordered", new WebSocketHandler() {
                    @Override
                    public void onText(Session session, String text) {
                        int now = overlapping.incrementAndGet();
                        maxOverlap.accumulateAndGet(now, Math::max);
                        Thread.yield();
                        session.sendText(text);
                        overlapping.decrementAndGet();
                    }
                })
                .route("/throws", new RecordingHandler(false) {
                    @Override
                    public void onText(Session session, String text) {
                        super.onText(session, text);
                        throw new IllegalStateException("the handler broke on " + text);
                    }
                })
                .route("/throwsOnOpen", new RecordingHandler(false) {
                    @Override
                    public void onOpen(Session session) {
                        throw new IllegalStateException("the handler broke on open");
                    }
                })
                .route("/fanout", new WebSocketHandler() {
                    @Override
                    public void onText(Session session, String text) {
                        // Sends from foreign threads, many at once; each thread's messages must stay in order.
                        int threads = 8;
                        int each = Integer.parseInt(text);
                        for (int t = 0; t < threads; t++) {
                            int thread = t;
                            Thread.ofPlatform().start(() -> {
                                for (int i = 0; i < each; i++) {
                                    session.sendText(thread + ":" + i);
                                }
                            });
                        }
                    }
                }));
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void onVirtualThreadsEveryCallRunsOnAVirtualThread() throws Exception {
        start(HandlerExecution.VIRTUAL_THREADS);
        try (RawClient client = fixture.connect("/echo")) {
            client.sendText("where am I?");
            assertEquals("where am I?", client.read().text());
            client.send(true, 0, 9, new byte[0]);
            assertEquals(10, client.read().opcode());
            client.sendClose(1000, "");
            assertEquals(8, client.read().opcode());
        }
        echo.awaitCloseCode();
        assertTrue(echo.threads.stream().allMatch(Thread::isVirtual), "threads: " + echo.threads);
    }

    @Test
    void onTheEventLoopEveryCallRunsOnTheConnectionThread() throws Exception {
        start(HandlerExecution.EVENT_LOOP);
        try (RawClient client = fixture.connect("/echo")) {
            client.sendText("where am I?");
            assertEquals("where am I?", client.read().text());
        }
        echo.awaitCloseCode();
        // The connection's own thread (a virtual one on the virtual-thread transport), never a handler thread.
        assertEquals(1, echo.threads.stream().distinct().count(), "one connection thread: " + echo.threads);
        assertFalse(echo.threads.getFirst().getName().startsWith("websock-handler-"), "threads: " + echo.threads);
    }

    @Test
    void onVirtualThreadsABlockingHandlerDoesNotStallOtherSessions() throws Exception {
        start(HandlerExecution.VIRTUAL_THREADS);
        try (RawClient blocked = fixture.connect("/block")) {
            blocked.sendText("first");
            blocked.send(true, 0, 9, "still answered".getBytes());
            assertEquals("still answered", blocked.read().text(), "pongs do not wait for the blocked handler");
            assertStillServes(fixture, "/echo");
            unblock.countDown();
            assertEquals("unblocked: first", blocked.read().text());
        }
    }

    @Test
    void onVirtualThreadsCallsForOneSessionAreInOrderAndNeverOverlap() throws Exception {
        start(HandlerExecution.VIRTUAL_THREADS);
        assertInOrderWithoutOverlap();
    }

    @Test
    void onTheEventLoopCallsForOneSessionAreInOrderAndNeverOverlap() throws Exception {
        start(HandlerExecution.EVENT_LOOP);
        assertInOrderWithoutOverlap();
    }

    private void assertInOrderWithoutOverlap() throws Exception {
        int count = 2000;
        try (RawClient client = fixture.connect("/ordered")) {
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < count; i++) {
                        client.sendText("m" + i);
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            for (int i = 0; i < count; i++) {
                assertEquals("m" + i, client.read().text());
            }
            writer.join();
        }
        assertEquals(1, maxOverlap.get(), "handler calls of one session overlapped");
    }

    @Test
    void onTheEventLoopSendsFromForeignThreadsArriveWholeAndInEachThreadsOrder() throws Exception {
        start(HandlerExecution.EVENT_LOOP);
        assertFanOut();
    }

    @Test
    void onVirtualThreadsSendsFromForeignThreadsArriveWholeAndInEachThreadsOrder() throws Exception {
        start(HandlerExecution.VIRTUAL_THREADS);
        assertFanOut();
    }

    private void assertFanOut() throws Exception {
        int each = 300;
        try (RawClient client = fixture.connect("/fanout")) {
            client.sendText(Integer.toString(each));
            Map<String, Integer> next = new HashMap<>();
            for (int i = 0; i < 8 * each; i++) {
                RawClient.Frame frame = client.read();
                assertTrue(frame.fin(), "one frame per message");
                String[] parts = frame.text().split(":");
                int expected = next.getOrDefault(parts[0], 0);
                assertEquals(expected, Integer.parseInt(parts[1]), "thread " + parts[0] + "'s order");
                next.put(parts[0], expected + 1);
            }
            assertEquals(8, next.size());
        }
    }

    @Test
    void onTheEventLoopAHandlerThatThrowsClosesItsSessionWith1011() throws Exception {
        start(HandlerExecution.EVENT_LOOP);
        assertThrowingHandlerCloses("/throws", true);
    }

    @Test
    void onVirtualThreadsAHandlerThatThrowsClosesItsSessionWith1011() throws Exception {
        start(HandlerExecution.VIRTUAL_THREADS);
        assertThrowingHandlerCloses("/throws", true);
    }

    @Test
    void aHandlerThatThrowsInOnOpenClosesItsSessionWith1011() throws Exception {
        start(HandlerExecution.EVENT_LOOP);
        assertThrowingHandlerCloses("/throwsOnOpen", false);
    }

    private void assertThrowingHandlerCloses(String path, boolean send) throws Exception {
        try (RawClient client = fixture.connect(path)) {
            if (send) {
                client.sendText("boom");
            }
            RawClient.Frame close = client.read();
            assertEquals(8, close.opcode());
            assertEquals(1011, close.closeCode());
            client.sendClose(1011, "");
            assertTrue(client.serverClosedTcp());
        }
        assertStillServes(fixture, "/echo");
    }

    @Test
    void theHandlerLearnsOfItsOwnFailureInOnErrorThenOnClose() throws Exception {
        List<String> calls = new ArrayList<>();
        CountDownLatch closed = new CountDownLatch(1);
        fixture = ServerUnderTest.start(kind, builder -> builder.route("/throws", new WebSocketHandler() {
            @Override
            public void onText(Session session, String text) {
                throw new IllegalStateException("broke");
            }

            @Override
            public void onError(Session session, Throwable error) {
                calls.add("error:" + error.getMessage());
            }

            @Override
            public void onClose(Session session, int code, String reason) {
                calls.add("close:" + code);
                closed.countDown();
            }
        }));
        try (RawClient client = fixture.connect("/throws")) {
            client.sendText("boom");
            assertEquals(1011, client.read().closeCode());
            client.sendClose(1011, "");
            assertTrue(client.serverClosedTcp());
        }
        assertTrue(closed.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("error:broke", "close:1011"), calls);
    }

    @Test
    void aSessionIsNotOpenOnceClosed() throws Exception {
        start(HandlerExecution.EVENT_LOOP);
        try (RawClient client = fixture.connect("/echo")) {
            Session session = echo.awaitOpen();
            assertTrue(session.isOpen());
            client.sendClose(1000, "");
            client.read();
            Await.until("the session to close", () -> !session.isOpen());
            assertFalse(session.isOpen());
            assertInstanceOf(java.net.SocketAddress.class, session.remoteAddress());
        }
    }
}
