package dev.websock.transport.tls;

import static dev.websock.transport.tls.TlsTestKit.ANY_LOOPBACK_PORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.transport.Connection;
import dev.websock.transport.ConnectionHandler;
import dev.websock.transport.Listener;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.WriteCallback;
import dev.websock.transport.memory.Chunking;
import dev.websock.transport.memory.InMemoryAddress;
import dev.websock.transport.memory.InMemoryTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pausing, backpressure, write callbacks and the handshake timeout of TLS connections over NIO. */
class TlsFlowControlTest {
    private final TlsTransport server = TlsTestKit.nioServer();
    private final TlsTransport client = TlsTestKit.nioClient();

    @AfterEach
    void shutDown() {
        client.close();
        server.close();
    }

    @Test
    void pausedReadingDeliversNothingUntilResumedThenEverythingInOrder() throws Exception {
        TlsTestKit.Recorder serverSide = new TlsTestKit.Recorder() {
            @Override
            public void onOpen(Connection connection) {
                connection.pauseReading();
                super.onOpen(connection);
            }
        };
        Listener listener = server.listen(ANY_LOOPBACK_PORT, connection -> serverSide);
        Connection connection = client.connect(listener.localAddress(), new TlsTestKit.Recorder())
                .get(10, TimeUnit.SECONDS);
        byte[] payload = new byte[300_000];
        new Random(5).nextBytes(payload);
        connection.write(ByteBuffer.wrap(payload), WriteCallback.NONE);

        Thread.sleep(300);
        assertEquals(0, serverSide.received().length, "nothing is delivered while paused");
        serverSide.opened.get(10, TimeUnit.SECONDS).resumeReading();
        assertArrayEquals(payload, serverSide.receive(payload.length).get(10, TimeUnit.SECONDS));
    }

    /**
     * Plaintext written in a callback waits for encryption until the callback returns, and counts against the
     * inner transport's high-water mark like everything else queued: a write under the mark leaves the
     * connection writable (an echo need not pause after every record), and one past it does not.
     */
    @Test
    void writesWithinTheHighWaterMarkLeaveTheConnectionWritableAndOnePastItDoesNot() throws Exception {
        int highWaterMark = 64 * 1024;
        TransportOptions options = TransportOptions.builder().writeBufferWaterMarks(16 * 1024, highWaterMark).build();
        TlsConfig config = TlsConfig.forServer(TlsTestKit.LOCALHOST).trust(TlsTestKit.LOCALHOST.certificateChain())
                .verifyHostname(false).build();
        try (InMemoryTransport memory = new InMemoryTransport(options, Chunking.whole())) {
            TlsTransport tls = new TlsTransport(memory, config);
            Listener listener = tls.listen(new InMemoryAddress("water-marks"), connection -> new TlsTestKit.Recorder());
            Connection connection = tls.connect(listener.localAddress(), new TlsTestKit.Recorder())
                    .get(10, TimeUnit.SECONDS);
            List<Boolean> writable = TlsTestKit.onConnectionThread(connection, () -> {
                List<Boolean> seen = new ArrayList<>();
                connection.write(ByteBuffer.allocate(16 * 1024), WriteCallback.NONE);
                seen.add(connection.isWritable());
                connection.write(ByteBuffer.allocate(highWaterMark), WriteCallback.NONE);
                seen.add(connection.isWritable());
                return seen;
            });
            assertEquals(List.of(true, false), writable);
        }
    }

    /**
     * The peer sends its last records, its close_notify and the end of the stream in one read while the
     * application has paused reading: once it resumes, it gets every byte and a clean close, not a
     * truncation error for a stream whose end overtook the records kept aside (RFC 8446 §6.1).
     */
    @Test
    void theEndOfTheStreamWaitsBehindRecordsKeptWhileReadingWasPaused() throws Exception {
        TlsConfig config = TlsConfig.forServer(TlsTestKit.LOCALHOST).trust(TlsTestKit.LOCALHOST.certificateChain())
                .verifyHostname(false).build();
        try (InMemoryTransport memory = new InMemoryTransport(TransportOptions.builder().build(), Chunking.whole())) {
            TlsTransport tls = new TlsTransport(memory, config);
            AtomicBoolean pausedOnce = new AtomicBoolean();
            TlsTestKit.Recorder serverSide = new TlsTestKit.Recorder() {
                @Override
                public synchronized void onRead(Connection connection, ByteBuffer data) {
                    super.onRead(connection, data);
                    if (pausedOnce.compareAndSet(false, true)) {
                        connection.pauseReading();
                        connection.schedule(200, TimeUnit.MILLISECONDS, connection::resumeReading);
                    }
                }
            };
            Listener listener = tls.listen(new InMemoryAddress("end-behind-stash"), connection -> serverSide);
            Connection connection = tls.connect(listener.localAddress(), new TlsTestKit.Recorder())
                    .get(10, TimeUnit.SECONDS);
            byte[] payload = new byte[60_000]; // four records
            new Random(8446).nextBytes(payload);
            connection.executor().execute(() -> {
                connection.write(ByteBuffer.wrap(payload), WriteCallback.NONE);
                connection.close();
            });
            assertArrayEquals(payload, serverSide.receive(payload.length).get(10, TimeUnit.SECONDS));
            assertEquals(null, serverSide.closed.get(10, TimeUnit.SECONDS), "a clean close, not a truncation");
        }
    }

    /**
     * Reading paused after every delivery and resumed from a later event, while reads are cut anywhere (a
     * record split across reads, many records in one read): the ciphertext kept while paused, the partial
     * record completed from the next read, and the records decrypted in place behind it lose and reorder
     * nothing.
     */
    @Test
    void readingPausedAfterEveryDeliveryLosesNothingWhereverReadsAreCut() throws Exception {
        TlsConfig config = TlsConfig.forServer(TlsTestKit.LOCALHOST).trust(TlsTestKit.LOCALHOST.certificateChain())
                .verifyHostname(false).build();
        try (InMemoryTransport memory = new InMemoryTransport(TransportOptions.builder().build(),
                Chunking.random(1, 70_000, 6455))) {
            TlsTransport tls = new TlsTransport(memory, config);
            TlsTestKit.Recorder serverSide = new TlsTestKit.Recorder() {
                @Override
                public synchronized void onRead(Connection connection, ByteBuffer data) {
                    super.onRead(connection, data);
                    connection.pauseReading();
                    connection.executor().execute(connection::resumeReading);
                }
            };
            Listener listener = tls.listen(new InMemoryAddress("paused-reads"), connection -> serverSide);
            Connection connection = tls.connect(listener.localAddress(), new TlsTestKit.Recorder())
                    .get(10, TimeUnit.SECONDS);
            Random random = new Random(7692);
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            for (int i = 0; i < 200; i++) {
                byte[] write = new byte[1 + random.nextInt(random.nextBoolean() ? 100 : 40_000)];
                random.nextBytes(write);
                sent.writeBytes(write);
                connection.write(ByteBuffer.wrap(write), WriteCallback.NONE);
            }
            byte[] expected = sent.toByteArray();
            assertArrayEquals(expected, serverSide.receive(expected.length).get(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void aPeerThatDoesNotReadMakesTheWriterUnwritableAndOnWritableFollowsWhenItReads() throws Exception {
        CompletableFuture<Connection> serverOpened = new CompletableFuture<>();
        AtomicBoolean producing = new AtomicBoolean(true);
        AtomicLong written = new AtomicLong();
        AtomicInteger onWritableCalls = new AtomicInteger();
        Listener listener = server.listen(ANY_LOOPBACK_PORT, connection -> new ConnectionHandler() {
            /** Writes until unwritable, as a well-behaved producer does. */
            private void produce(Connection connection) {
                while (producing.get() && connection.isWritable()) {
                    connection.write(ByteBuffer.allocate(16 * 1024), WriteCallback.NONE);
                    written.addAndGet(16 * 1024);
                }
            }

            @Override
            public void onOpen(Connection connection) {
                produce(connection);
                serverOpened.complete(connection);
            }

            @Override
            public void onRead(Connection connection, ByteBuffer data) {
            }

            @Override
            public void onWritable(Connection connection) {
                onWritableCalls.incrementAndGet();
                produce(connection);
            }
        });
        TlsTestKit.Recorder clientSide = new TlsTestKit.Recorder() {
            @Override
            public void onOpen(Connection connection) {
                connection.pauseReading();
                super.onOpen(connection);
            }
        };
        Connection connection = client.connect(listener.localAddress(), clientSide).get(10, TimeUnit.SECONDS);
        Connection serverConnection = serverOpened.get(10, TimeUnit.SECONDS);
        // The kernel's socket buffers take megabytes first; then the producer must come to a stop.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long before;
        do {
            before = written.get();
            Thread.sleep(200);
        } while ((written.get() != before || serverConnection.isWritable()) && System.nanoTime() < deadline);
        assertFalse(serverConnection.isWritable(), "a peer that reads nothing stops the producer");
        assertTrue(serverConnection.queuedBytes() > 0);
        assertEquals(0, clientSide.received().length);

        producing.set(false);
        int callsBefore = onWritableCalls.get();
        connection.resumeReading();
        assertArrayEquals(new byte[(int) written.get()], clientSide.receive((int) written.get()).get(20, TimeUnit.SECONDS));
        assertTrue(onWritableCalls.get() > callsBefore, "onWritable told the producer it may go on");
    }

    @Test
    void writeCallbacksCompleteInOrderAfterTheBytesAreHandedOn() throws Exception {
        Listener listener = server.listen(ANY_LOOPBACK_PORT, connection -> new TlsTestKit.Echo());
        TlsTestKit.Recorder recorder = new TlsTestKit.Recorder();
        Connection connection = client.connect(listener.localAddress(), recorder).get(10, TimeUnit.SECONDS);
        AtomicInteger completed = new AtomicInteger();
        CompletableFuture<Void> outOfOrder = new CompletableFuture<>();
        CompletableFuture<Void> all = new CompletableFuture<>();
        int writes = 50;
        for (int i = 0; i < writes; i++) {
            int index = i;
            connection.write(ByteBuffer.allocate(10_000), new WriteCallback() {
                @Override
                public void completed(Connection c) {
                    if (completed.getAndIncrement() != index) {
                        outOfOrder.complete(null);
                    }
                    if (index == writes - 1) {
                        all.complete(null);
                    }
                }

                @Override
                public void failed(Connection c, Throwable cause) {
                    all.completeExceptionally(cause);
                }
            });
        }
        all.get(10, TimeUnit.SECONDS);
        assertFalse(outOfOrder.isDone());
        recorder.receive(writes * 10_000).get(10, TimeUnit.SECONDS);
    }

    @Test
    void writesAfterCloseFailTheirCallback() throws Exception {
        Listener listener = server.listen(ANY_LOOPBACK_PORT, connection -> new TlsTestKit.Echo());
        Connection connection = client.connect(listener.localAddress(), new TlsTestKit.Recorder())
                .get(10, TimeUnit.SECONDS);
        connection.close();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        connection.write(ByteBuffer.allocate(1), new WriteCallback() {
            @Override
            public void completed(Connection c) {
                failure.complete(null);
            }

            @Override
            public void failed(Connection c, Throwable cause) {
                failure.complete(cause);
            }
        });
        assertInstanceOf(IOException.class, failure.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aClientThatSaysNothingIsDroppedAfterTheHandshakeTimeout() throws Exception {
        TlsTransport impatient = new TlsTransport(TlsTestKit.nio(), TlsConfig.forServer(TlsTestKit.LOCALHOST)
                .handshakeTimeout(Duration.ofMillis(200)).build());
        try (impatient) {
            Listener listener = impatient.listen(ANY_LOOPBACK_PORT, connection -> new TlsTestKit.Echo());
            InetSocketAddress address = (InetSocketAddress) listener.localAddress();
            try (Socket silent = new Socket(address.getAddress(), address.getPort())) {
                silent.setSoTimeout(5_000);
                long start = System.nanoTime();
                InputStream in = silent.getInputStream();
                try {
                    assertEquals(-1, in.read());
                } catch (java.net.SocketException reset) {
                    // an abort resets the connection: also dropped
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(millis < 4_000, "dropped after " + millis + " ms");
            }
        }
    }

    @Test
    void aClientWhoseServerNeverAnswersFailsWithTheHandshakeTimeout() throws Exception {
        TlsTransport impatient = new TlsTransport(TlsTestKit.nio(), TlsConfig.forClient(
                TlsTestKit.LOCALHOST.certificateChain()).handshakeTimeout(Duration.ofMillis(200)).build());
        try (impatient; var plain = TlsTestKit.nio()) {
            // A plain server that accepts and never says a word.
            Listener silent = plain.listen(ANY_LOOPBACK_PORT, connection -> (c, data) -> { });
            Throwable failure = impatient.connect(silent.localAddress(), new TlsTestKit.Recorder())
                    .handle((c, e) -> e).get(10, TimeUnit.SECONDS);
            assertInstanceOf(SSLHandshakeException.class, failure);
        }
    }

    @Test
    void onClosedRunsExactlyOnceWhenCloseAndAbortRaceFromManyThreads() throws Exception {
        Listener listener = server.listen(ANY_LOOPBACK_PORT, connection -> new TlsTestKit.Echo());
        for (int round = 0; round < 20; round++) {
            AtomicInteger closedCalls = new AtomicInteger();
            CompletableFuture<Void> closed = new CompletableFuture<>();
            Connection connection = client.connect(listener.localAddress(), new ConnectionHandler() {
                @Override
                public void onRead(Connection connection, ByteBuffer data) {
                }

                @Override
                public void onClosed(Connection connection, Throwable cause) {
                    closedCalls.incrementAndGet();
                    closed.complete(null);
                }
            }).get(10, TimeUnit.SECONDS);
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                boolean abort = i % 2 == 0;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (abort) {
                        connection.abort();
                    } else {
                        connection.close();
                    }
                }));
            }
            connection.executor().execute(connection::close);
            start.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            closed.get(10, TimeUnit.SECONDS);
            Thread.sleep(20); // room for a second onClosed
            assertEquals(1, closedCalls.get(), "onClosed calls in round " + round);
        }
    }
}
