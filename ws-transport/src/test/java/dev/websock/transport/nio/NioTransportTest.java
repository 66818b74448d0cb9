package dev.websock.transport.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.websock.transport.Connection;
import dev.websock.transport.ConnectionHandler;
import dev.websock.transport.Listener;
import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.Transports;
import dev.websock.transport.WriteCallback;
import dev.websock.transport.kit.ThreadCpu;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Behaviour specific to the NIO transport, seen from plain blocking JDK sockets on the other side. */
class NioTransportTest {
    private final Transport transport = new NioTransportProvider().open(
            TransportOptions.builder().threads(2).build());

    @AfterEach
    void shutDown() {
        transport.close();
    }

    /** Echoes every byte back; copies, because the read buffer is only valid during onRead. */
    static final class Echo implements ConnectionHandler {
        @Override
        public void onRead(Connection connection, ByteBuffer data) {
            ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
            connection.write(copy, WriteCallback.NONE);
        }
    }

    private InetSocketAddress listenEcho() throws Exception {
        Listener listener = transport.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                connection -> new Echo());
        return (InetSocketAddress) listener.localAddress();
    }

    @Test
    void aBusyPollingLoopBlocksAgainOnceTrafficStops() throws Exception {
        assumeTrue(ThreadCpu.available(), "needs Linux's /proc to read one thread's CPU time");
        Transport polling = new NioTransportProvider().open(TransportOptions.builder().threads(1)
                .busyPoll(Duration.ofMillis(5))
                .threadFactory(Thread.ofPlatform().name("nio-busy-poll").daemon(true).factory()).build());
        try {
            Listener listener = polling.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    connection -> new Echo());
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(),
                    ((InetSocketAddress) listener.localAddress()).getPort())) {
                socket.getOutputStream().write(new byte[] {1, 2, 3});
                assertEquals(3, socket.getInputStream().readNBytes(3).length);
                Thread.sleep(50); // well past the 5 ms of polling after the last I/O
                // The loop thread's own CPU time: still polling, it would burn about 500 ms of it in 500 ms;
                // blocked, next to none.
                ThreadCpu loop = ThreadCpu.of("nio-busy-poll");
                Duration before = loop.used();
                Thread.sleep(500);
                Duration spent = loop.used().minus(before);
                assertTrue(spent.toMillis() < 100, "the loop used " + spent.toMillis() + " ms of CPU in 500 ms idle");
            }
        } finally {
            polling.close();
        }
    }

    @Test
    void theServiceLoaderFindsTheNioProviderAsTheDefault() {
        assertEquals("nio", Transports.defaultProvider().name());
        assertTrue(Transports.defaultProvider() instanceof NioTransportProvider);
    }

    @Test
    void echoesBytesToABlockingSocket() throws Exception {
        InetSocketAddress address = listenEcho();
        byte[] sent = new byte[1 << 20];
        new Random(1).nextBytes(sent);
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            OutputStream out = socket.getOutputStream();
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try {
                    InputStream in = socket.getInputStream();
                    return in.readNBytes(sent.length);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            for (int offset = 0; offset < sent.length; offset += 7919) {
                out.write(sent, offset, Math.min(7919, sent.length - offset));
            }
            assertArrayEquals(sent, received.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aGracefulCloseDeliversQueuedBytesThenEndsTheStream() throws Exception {
        byte[] payload = new byte[300_000];
        new Random(2).nextBytes(payload);
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<Throwable> cause = new AtomicReference<>(new AssertionError("not closed"));
        Listener listener = transport.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                connection -> new ConnectionHandler() {
                    @Override
                    public void onOpen(Connection connection) {
                        connection.write(ByteBuffer.wrap(payload), WriteCallback.NONE);
                        connection.close();
                    }

                    @Override
                    public void onRead(Connection connection, ByteBuffer data) {
                    }

                    @Override
                    public void onClosed(Connection connection, Throwable failure) {
                        cause.set(failure);
                        closed.countDown();
                    }
                });
        InetSocketAddress address = (InetSocketAddress) listener.localAddress();
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(received); // until FIN
            assertArrayEquals(payload, received.toByteArray());
        }
        assertTrue(closed.await(5, TimeUnit.SECONDS));
        assertNull(cause.get());
    }

    @Test
    void connectsOutboundAndTimersRunOnTheConnectionThread() throws Exception {
        InetSocketAddress address = listenEcho();
        CompletableFuture<String> echoed = new CompletableFuture<>();
        CompletableFuture<Boolean> timerOnThread = new CompletableFuture<>();
        Connection client = transport.connect(address, new ConnectionHandler() {
            @Override
            public void onOpen(Connection connection) {
                connection.write(ByteBuffer.wrap("hello".getBytes()), WriteCallback.NONE);
                connection.schedule(10, TimeUnit.MILLISECONDS,
                        () -> timerOnThread.complete(connection.inConnectionThread()));
            }

            @Override
            public void onRead(Connection connection, ByteBuffer data) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                echoed.complete(new String(bytes));
            }
        }).get(5, TimeUnit.SECONDS);
        assertEquals("hello", echoed.get(5, TimeUnit.SECONDS));
        assertTrue(timerOnThread.get(5, TimeUnit.SECONDS));
        client.close();
    }

    @Test
    void shutdownStopsAcceptingAndAbortsConnectionsAfterTheGracePeriod() throws Exception {
        InetSocketAddress address = listenEcho();
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.getOutputStream().write(1);
            assertEquals(1, socket.getInputStream().read());
            CompletableFuture<Void> done = transport.shutdown(Duration.ofMillis(200));
            done.get(5, TimeUnit.SECONDS);
            assertEquals(-1, readOrEnd(socket));
        }
        assertFalse(canConnect(address));
    }

    private static int readOrEnd(Socket socket) {
        try {
            return socket.getInputStream().read();
        } catch (java.io.IOException reset) {
            return -1;
        }
    }

    private static boolean canConnect(InetSocketAddress address) {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            return true;
        } catch (java.io.IOException refused) {
            return false;
        }
    }

    @Test
    void aTransportThatCannotStartAllItsLoopsFailsWithoutLeakingDescriptors() throws Exception {
        java.util.concurrent.atomic.AtomicInteger threads = new java.util.concurrent.atomic.AtomicInteger();
        TransportOptions options = TransportOptions.builder().threads(3).threadFactory(task -> {
            if (threads.incrementAndGet() == 3) {
                throw new IllegalStateException("no third thread");
            }
            return new Thread(task);
        }).build();
        long before = openDescriptors();
        for (int attempt = 0; attempt < 20; attempt++) {
            threads.set(0);
            IllegalStateException failure = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> new NioTransportProvider().open(options));
            assertEquals("no third thread", failure.getMessage());
        }
        assertEquals(before, openDescriptors(), "descriptors left open by 20 transports that failed to open");
    }

    private static long openDescriptors() throws Exception {
        try (var entries = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return entries.count();
        }
    }
}
