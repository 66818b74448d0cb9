package dev.websock.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.transport.TransportOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Writability and backpressure: a client that sends but does not read makes the server stop reading it once its
 * replies back up, so the server's memory for that client stays bounded by the high-water mark and one read's
 * worth of replies, whatever the client sends; and a producer that respects {@link Session#isWritable} and
 * {@link WebSocketHandler#onWritable} never queues much more than the high-water mark.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.websock.server.ServerUnderTest#transports")
class BackpressureTest {
    private static final int LOW = 16 * 1024;
    private static final int HIGH = 64 * 1024;
    private static final int READ_BUFFER = 64 * 1024;
    private static final int MESSAGE = 4096;
    /** What one read's worth of echoes (frame headers included) can add above the high-water mark, with slack. */
    private static final long BOUND = HIGH + 2L * READ_BUFFER;

    @Parameter
    ServerUnderTest.Kind kind;

    private ServerUnderTest fixture;
    private final RecordingHandler echo = new RecordingHandler(true);
    private final Producer producer = new Producer();
    private final java.util.concurrent.CountDownLatch stuck = new java.util.concurrent.CountDownLatch(1);

    private void start(HandlerExecution execution) {
        fixture = ServerUnderTest.start(kind, builder -> builder
                .handlerExecution(execution)
                // A failed assertion leaves a blocked writer holding the client's socket (an SSLSocket's close
                // then waits for it): the idle timeout and its close timeout end that in seconds, not minutes.
                .idleTimeout(java.time.Duration.ofSeconds(3))
                .closeTimeout(java.time.Duration.ofSeconds(1))
                .transportOptions(TransportOptions.builder().writeBufferWaterMarks(LOW, HIGH)
                        .readBufferSize(READ_BUFFER).build())
                .route("/echo", echo)
                .route("/producer", producer)
                .route("/stuck", new WebSocketHandler() {
                    @Override
                    public void onBinary(Session session, ByteBuffer data) {
                        try {
                            stuck.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        session.sendBinary(data);
                    }
                }));
    }

    @AfterEach
    void stop() {
        stuck.countDown();
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void onTheEventLoopAClientThatDoesNotReadIsNotReadEither() throws Exception {
        start(HandlerExecution.EVENT_LOOP);
        assertEchoToANonReaderIsBounded(BOUND);
    }

    @Test
    void onVirtualThreadsAClientThatDoesNotReadIsNotReadEither() throws Exception {
        start(HandlerExecution.VIRTUAL_THREADS);
        // Up to the high-water mark of received data may also wait for the handler, and be echoed after.
        assertEchoToANonReaderIsBounded(BOUND + HIGH);
    }

    private void assertEchoToANonReaderIsBounded(long bound) throws Exception {
        long total = 8L * 1024 * 1024;
        try (RawClient client = fixture.raw(4096)) {
            RawClient.upgrade(client, "/echo");
            client.pauseReading();
            Session session = echo.awaitOpen();
            AtomicLong sent = new AtomicLong();
            Thread writer = Thread.ofPlatform().daemon().start(() -> {
                byte[] frame = RawClient.frame(true, 0, 2, new byte[MESSAGE], true);
                try {
                    while (sent.get() < total) {
                        client.sendRaw(frame);
                        sent.addAndGet(MESSAGE);
                    }
                } catch (IOException closed) {
                    // the test ended
                }
            });
            long[] maxQueued = {0};
            Await.until("the server's session to turn unwritable", () -> {
                maxQueued[0] = Math.max(maxQueued[0], session.queuedBytes());
                return !session.isWritable();
            });
            // The client keeps sending (or is blocked by TCP flow control): the server's queue must not grow.
            long until = System.nanoTime() + 500_000_000L;
            while (System.nanoTime() < until) {
                maxQueued[0] = Math.max(maxQueued[0], session.queuedBytes());
                Thread.sleep(1);
            }
            assertTrue(maxQueued[0] <= bound, "the server queued " + maxQueued[0] + " bytes for a client that reads"
                    + " nothing, above " + bound + " (high-water mark " + HIGH + " and a read's worth of echoes)");

            client.resumeReading();
            long echoed = 0;
            while (echoed < total) {
                RawClient.Frame frame = client.read();
                assertEquals(2, frame.opcode());
                echoed += frame.payload().length;
            }
            writer.join();
            assertEquals(total, echoed);
        }
        assertTrue(echo.events.contains("writable"), "onWritable followed the unwritable period");
    }

    @Test
    void onVirtualThreadsAStuckHandlerHoldsAtMostAboutTheHighWaterMarkOfUnhandledData() throws Exception {
        start(HandlerExecution.VIRTUAL_THREADS);
        long total = 4L * 1024 * 1024;
        try (RawClient client = fixture.raw(4096)) {
            RawClient.upgrade(client, "/stuck");
            Assumptions.assumeTrue(client.unsent() >= 0, "only a transport that counts unread bytes can tell");
            byte[] frame = RawClient.frame(true, 0, 2, new byte[MESSAGE], true);
            for (long sent = 0; sent < total; sent += MESSAGE) {
                client.sendRaw(frame); // in memory: queued, never blocking
            }
            long[] last = {-1};
            Await.until("the server to stop reading", () -> {
                long now = client.unsent();
                boolean still = now == last[0] && now > 0;
                last[0] = now;
                sleepQuietly(100);
                return still;
            });
            long taken = total - client.unsent();
            assertTrue(taken <= HIGH + READ_BUFFER + 8 * 1024, "the server took " + taken + " bytes for a handler"
                    + " that handles none, above the high-water mark " + HIGH + " and a read");
            stuck.countDown();
            long echoed = 0;
            while (echoed < total) {
                echoed += client.read().payload().length;
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** On "go N", sends N bytes in 8 KiB messages, only while writable, resuming in onWritable. */
    private static final class Producer implements WebSocketHandler {
        private long left;
        volatile long maxQueued;

        @Override
        public void onText(Session session, String text) {
            left = Long.parseLong(text.substring(3));
            produce(session);
        }

        @Override
        public void onWritable(Session session) {
            produce(session);
        }

        private void produce(Session session) {
            while (left > 0 && session.isWritable()) {
                int size = (int) Math.min(8192, left);
                session.sendBinary(ByteBuffer.allocate(size));
                left -= size;
                maxQueued = Math.max(maxQueued, session.queuedBytes());
            }
        }
    }

    @Test
    void aProducerThatRespectsIsWritableQueuesNoMoreThanTheHighWaterMarkAndAMessage() throws Exception {
        start(HandlerExecution.EVENT_LOOP);
        long total = 8L * 1024 * 1024;
        try (RawClient client = fixture.raw(4096)) {
            RawClient.upgrade(client, "/producer");
            client.sendText("go " + total);
            long received = 0;
            while (received < total) {
                RawClient.Frame frame = client.read();
                received += frame.payload().length;
                if (received % (1024 * 1024) == 0) {
                    Thread.sleep(20); // a slow reader, now and then
                }
            }
            assertEquals(total, received);
        }
        // TLS counts plaintext waiting to be encrypted (up to its own fixed 64 KiB mark) and ciphertext with
        // record overhead (under the transport's mark) in queuedBytes.
        long bound = HIGH + 8192 + 16 + (kind.scheme.equals("wss") ? 64 * 1024 + 2048 : 0);
        assertTrue(producer.maxQueued <= bound, "a producer that checks isWritable before each 8 KiB message queued "
                + producer.maxQueued + " bytes, above " + bound + " (the high-water mark " + HIGH + " and one message)");
    }
}
