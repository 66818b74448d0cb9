package dev.websock.transport.epoll;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.websock.transport.Connection;
import dev.websock.transport.ConnectionHandler;
import dev.websock.transport.Listener;
import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.TransportProvider;
import dev.websock.transport.Transports;
import dev.websock.transport.WriteCallback;
import dev.websock.transport.kit.ThreadCpu;
import dev.websock.transport.nio.NioTransportProvider;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Behaviour specific to the epoll transport, seen from plain blocking JDK sockets and from its own internals. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EpollTransportTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final List<Transport> transports = new ArrayList<>();

    @BeforeAll
    static void epollIsAvailable() {
        assumeTrue(EpollTransportProvider.isAvailable(), EpollTransportProvider::unavailableReason);
    }

    private Transport open(TransportOptions options) {
        Transport transport = new EpollTransportProvider().open(options);
        transports.add(transport);
        return transport;
    }

    private Transport twoLoops() {
        return open(TransportOptions.builder().threads(2).build());
    }

    @AfterEach
    void shutDown() {
        transports.forEach(Transport::close);
    }

    /** Echoes every byte back; copies, because the read buffer is only valid during onRead. */
    static final class Echo implements ConnectionHandler {
        @Override
        public void onRead(Connection connection, ByteBuffer data) {
            ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
            connection.write(copy, WriteCallback.NONE);
        }
    }

    /** Holds connections open and does nothing; stateless, so one instance serves them all. */
    private static final ConnectionHandler IDLE = (connection, data) -> { };

    private static InetSocketAddress listen(Transport transport, ConnectionHandler handler) throws Exception {
        return (InetSocketAddress) transport.listen(new InetSocketAddress(LOOPBACK, 0), connection -> handler)
                .localAddress();
    }

    @Test
    void theServiceLoaderFindsTheEpollProviderButNioStaysTheDefault() {
        assertEquals("nio", Transports.defaultProvider().name());
        assertInstanceOf(NioTransportProvider.class, Transports.defaultProvider());
        TransportProvider epoll = Transports.provider("epoll");
        assertInstanceOf(EpollTransportProvider.class, epoll);
        List<String> names = Transports.providers().stream().map(TransportProvider::name).toList();
        assertTrue(names.indexOf("nio") < names.indexOf("epoll"), "discovery order " + names);
    }

    @Test
    void structEpollEventHasThePlatformsLayout() {
        // sys/epoll.h: packed on x86-64 only.
        String arch = System.getProperty("os.arch");
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            assertEquals(12, Syscalls.EPOLL_EVENT_SIZE);
            assertEquals(4, Syscalls.EPOLL_EVENT_DATA);
        } else {
            assertEquals(16, Syscalls.EPOLL_EVENT_SIZE);
            assertEquals(8, Syscalls.EPOLL_EVENT_DATA);
        }
    }

    @Test
    void aFailedCallNamesTheCallAndErrnosMeaning() {
        assertEquals("writev: Connection reset by peer (ECONNRESET)",
                Errno.exception("writev", Errno.ECONNRESET).getMessage());
        assertInstanceOf(java.net.SocketException.class, Errno.exception("read", Errno.ECONNRESET));
        assertInstanceOf(java.net.ConnectException.class, Errno.exception("connect", Errno.ECONNREFUSED));
    }

    @Test
    void echoesBytesToABlockingSocket() throws Exception {
        InetSocketAddress address = listen(twoLoops(), new Echo());
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
    void addressesAreAskedOfTheKernelAndMatchThePeers() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        InetSocketAddress address = listen(twoLoops(), new ConnectionHandler() {
            @Override
            public void onOpen(Connection connection) {
                seen.complete(connection.localAddress() + " " + connection.remoteAddress());
            }

            @Override
            public void onRead(Connection connection, ByteBuffer data) {
            }
        });
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            assertEquals(socket.getRemoteSocketAddress() + " " + socket.getLocalSocketAddress(),
                    seen.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void theIpv4WildcardAcceptsBothFamiliesAndOutboundConnectsSpeakIpv6() throws Exception {
        Transport transport = twoLoops();
        int port = ((InetSocketAddress) transport.listen(new InetSocketAddress(0), connection -> new Echo())
                .localAddress()).getPort();
        assertEquals("hi", echoOnce(transport, new InetSocketAddress(LOOPBACK, port)));
        InetAddress ipv6Loopback = InetAddress.getByName("::1");
        boolean ipv6 = canConnect(new InetSocketAddress(ipv6Loopback, port));
        assumeTrue(ipv6, "IPv6 loopback is not configured here");
        assertEquals("hi", echoOnce(transport, new InetSocketAddress(ipv6Loopback, port)));
    }

    private static String echoOnce(Transport transport, InetSocketAddress address) throws Exception {
        CompletableFuture<String> echoed = new CompletableFuture<>();
        Connection client = transport.connect(address, new ConnectionHandler() {
            @Override
            public void onOpen(Connection connection) {
                connection.write(ByteBuffer.wrap("hi".getBytes()), WriteCallback.NONE);
            }

            @Override
            public void onRead(Connection connection, ByteBuffer data) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                echoed.complete(new String(bytes));
            }
        }).get(5, TimeUnit.SECONDS);
        assertEquals(address, client.remoteAddress());
        try {
            return echoed.get(5, TimeUnit.SECONDS);
        } finally {
            client.close();
        }
    }

    @Test
    void aGracefulCloseDeliversQueuedBytesThenEndsTheStream() throws Exception {
        byte[] payload = new byte[300_000];
        new Random(2).nextBytes(payload);
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<Throwable> cause = new AtomicReference<>(new AssertionError("not closed"));
        InetSocketAddress address = listen(twoLoops(), new ConnectionHandler() {
            @Override
            public void onOpen(Connection connection) {
                // A heap buffer and a large direct one: staged and written by address.
                connection.write(ByteBuffer.wrap(payload, 0, 100_000), WriteCallback.NONE);
                ByteBuffer direct = ByteBuffer.allocateDirect(200_000).put(payload, 100_000, 200_000).flip();
                connection.write(direct, WriteCallback.NONE);
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
        Transport transport = twoLoops();
        InetSocketAddress address = listen(transport, new Echo());
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
        Transport transport = twoLoops();
        InetSocketAddress address = listen(transport, new Echo());
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.getOutputStream().write(1);
            assertEquals(1, socket.getInputStream().read());
            transport.shutdown(Duration.ofMillis(200)).get(5, TimeUnit.SECONDS);
            assertEquals(-1, readOrEnd(socket));
        }
        assertFalse(canConnect(address));
    }

    @Test
    void aBusyPollingLoopBlocksAgainOnceTrafficStops() throws Exception {
        assumeTrue(ThreadCpu.available(), "needs Linux's /proc to read one thread's CPU time");
        Transport polling = open(TransportOptions.builder().threads(1).busyPoll(Duration.ofMillis(5))
                .threadFactory(Thread.ofPlatform().name("epoll-busy-poll").daemon(true).factory()).build());
        InetSocketAddress address = listen(polling, new Echo());
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.getOutputStream().write(new byte[] {1, 2, 3});
            assertEquals(3, socket.getInputStream().readNBytes(3).length);
            Thread.sleep(50); // well past the 5 ms of polling after the last I/O
            // The loop thread's own CPU time: still polling, it would burn about 500 ms of it in 500 ms; blocked,
            // next to none.
            ThreadCpu loop = ThreadCpu.of("epoll-busy-poll");
            Duration before = loop.used();
            Thread.sleep(500);
            Duration spent = loop.used().minus(before);
            assertTrue(spent.toMillis() < 100, "the loop used " + spent.toMillis() + " ms of CPU in 500 ms idle");
        }
    }

    @Test
    void aThousandConnectionsOpenedAndClosedLeaveTheDescriptorCountAtItsBaseline() throws Exception {
        Transport transport = twoLoops();
        AtomicInteger serverEndsClosed = new AtomicInteger();
        InetSocketAddress address = listen(transport, new ConnectionHandler() {
            @Override
            public void onRead(Connection connection, ByteBuffer data) {
            }

            @Override
            public void onClosed(Connection connection, Throwable cause) {
                serverEndsClosed.incrementAndGet();
            }
        });
        churn(transport, address, 50, serverEndsClosed); // warms up: loops, arrays, JIT
        long baseline = openDescriptors();
        churn(transport, address, 1000, serverEndsClosed);
        long after = openDescriptors();
        for (int i = 0; i < 100 && after > baseline; i++) {
            Thread.sleep(20); // the peers' sockets close asynchronously
            after = openDescriptors();
        }
        assertTrue(after <= baseline, "open descriptors went from " + baseline + " to " + after);
        assertEquals(0, ((EpollTransport) transport).connectionCount());
    }

    private static void churn(Transport transport, InetSocketAddress address, int count,
            AtomicInteger serverEndsClosed) throws Exception {
        int closedBefore = serverEndsClosed.get();
        List<CompletableFuture<Connection>> connecting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            connecting.add(transport.connect(address, IDLE));
        }
        for (CompletableFuture<Connection> connection : connecting) {
            connection.get(20, TimeUnit.SECONDS).close();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (serverEndsClosed.get() < closedBefore + count) {
            assertTrue(System.nanoTime() < deadline, "server ends did not all see the clients close");
            Thread.sleep(5);
        }
    }

    @Test
    void anEventForAClosedDescriptorDoesNotReachTheConnectionThatReusesItsNumber() throws Exception {
        Transport transport = open(TransportOptions.builder().threads(1).build());
        List<EpollConnection> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        InetSocketAddress address = (InetSocketAddress) transport.listen(new InetSocketAddress(LOOPBACK, 0),
                connection -> {
                    accepted.add((EpollConnection) connection);
                    return IDLE;
                }).localAddress();
        EpollConnection old = null;
        EpollConnection reused = null;
        // Linux hands out the lowest free descriptor number (open(2)), so a connection accepted right after
        // another closed usually gets its number; retried in case some other thread took it in between.
        for (int attempt = 0; attempt < 20 && reused == null; attempt++) {
            try (Socket first = new Socket(LOOPBACK, address.getPort())) {
                await(() -> accepted.size() == 1);
                old = accepted.getFirst();
                EpollConnection closing = old;
                CountDownLatch closed = new CountDownLatch(1);
                closing.executor().execute(() -> {
                    closing.abort();
                    closed.countDown();
                });
                assertTrue(closed.await(5, TimeUnit.SECONDS));
            }
            try (Socket second = new Socket(LOOPBACK, address.getPort())) {
                await(() -> accepted.size() == 2);
                EpollConnection candidate = accepted.get(1);
                if (candidate.fd == old.fd) {
                    reused = candidate;
                    EpollConnection stale = old;
                    EpollConnection fresh = candidate;
                    CompletableFuture<String> dispatched = new CompletableFuture<>();
                    fresh.executor().execute(() -> dispatched.complete(
                            "stale " + fresh.loop.dispatch(stale.fd, stale.generation, Syscalls.EPOLLIN)
                                    + ", current " + fresh.loop.dispatch(fresh.fd, fresh.generation, 0)));
                    assertEquals("stale false, current true", dispatched.get(5, TimeUnit.SECONDS));
                    assertTrue(fresh.isOpen());
                }
                accepted.clear();
            }
        }
        assertTrue(reused != null, "no accepted connection reused a closed one's descriptor number in 20 tries");
    }

    @Test
    void anIdleConnectionCostsLittleHeap() throws Exception {
        int count = 2000;
        Transport server = open(TransportOptions.builder().threads(2).build());
        Transport clients = open(TransportOptions.builder().threads(2).build());
        InetSocketAddress address = listen(server, IDLE);
        // Warm up: loops, their registration arrays grown to the descriptor numbers used below, classes loaded.
        List<CompletableFuture<Connection>> warmUp = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            warmUp.add(clients.connect(address, IDLE));
        }
        for (CompletableFuture<Connection> connection : warmUp) {
            connection.get(20, TimeUnit.SECONDS).abort();
        }
        warmUp = null;
        await(() -> ((EpollTransport) server).connectionCount() == 0 && ((EpollTransport) clients).connectionCount() == 0);

        Connection[] open = new Connection[count];
        long before = usedHeapAfterGc();
        for (int i = 0; i < count; i++) {
            open[i] = clients.connect(address, IDLE).get(20, TimeUnit.SECONDS);
        }
        await(() -> ((EpollTransport) server).connectionCount() == count);
        long after = usedHeapAfterGc();
        // Both ends are epoll connections with the one shared handler: the growth is two connections each.
        long perConnection = (after - before) / (2L * count);
        System.out.println("epoll: heap per idle connection " + perConnection + " B (" + (after - before) + " B for "
                + 2 * count + " connections)");
        assertTrue(perConnection < 300, "an idle epoll connection costs " + perConnection + " B of heap");
        for (Connection connection : open) {
            connection.abort();
        }
    }

    @Test
    void echoingInTheSteadyStateAllocatesNothingOnTheLoop() throws Exception {
        Transport transport = open(TransportOptions.builder().threads(1).build());
        CompletableFuture<Long> loopThread = new CompletableFuture<>();
        InetSocketAddress address = listen(transport, new ConnectionHandler() {
            private final ByteBuffer reply = ByteBuffer.allocateDirect(1024);

            @Override
            public void onOpen(Connection connection) {
                loopThread.complete(Thread.currentThread().threadId());
            }

            @Override
            public void onRead(Connection connection, ByteBuffer data) {
                // The client waits for each reply before it sends again, so the reply buffer is free here.
                reply.clear();
                reply.put(data).flip();
                connection.write(reply, WriteCallback.NONE);
            }
        });
        AllocationCounter counter = AllocationCounter.create();
        assumeTrue(counter != null, "the JVM does not count allocated bytes per thread");
        byte[] message = new byte[32];
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            long thread = loopThread.get(5, TimeUnit.SECONDS);
            for (int i = 0; i < 20_000; i++) { // warm-up: the JIT compiles the loop's paths
                out.write(message);
                in.readNBytes(32);
            }
            long before = counter.allocated(thread);
            int messages = 10_000;
            for (int i = 0; i < messages; i++) {
                out.write(message);
                in.readNBytes(32);
            }
            long allocated = counter.allocated(thread) - before;
            System.out.println("epoll: " + allocated + " B allocated on the loop for " + messages + " echoes");
            assertTrue(allocated < messages, allocated + " B allocated on the loop for " + messages + " echoes");
        }
    }

    /** com.sun.management.ThreadMXBean#getThreadAllocatedBytes, by reflection: java.management is not required. */
    private record AllocationCounter(Object bean, Method allocatedBytes) {
        static AllocationCounter create() {
            try {
                Object bean = Class.forName("java.lang.management.ManagementFactory")
                        .getMethod("getThreadMXBean").invoke(null);
                Method method = Class.forName("com.sun.management.ThreadMXBean")
                        .getMethod("getThreadAllocatedBytes", long.class);
                return new AllocationCounter(bean, method);
            } catch (ReflectiveOperationException | LinkageError e) {
                return null;
            }
        }

        long allocated(long threadId) throws ReflectiveOperationException {
            return (long) allocatedBytes.invoke(bean, threadId);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting");
            Thread.sleep(5);
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }

    private static long openDescriptors() throws Exception {
        try (var entries = Files.list(Path.of("/proc/self/fd"))) {
            return entries.count();
        }
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
    // ---- regressions found by review ----

    /**
     * A write callback that aborts its connection closes the descriptor at once, and its number may be the next
     * one opened: the writes queued behind it must not go to whatever now has that number.
     */
    @Test
    void anAbortInAWriteCallbackStopsTheWritesQueuedBehindIt() throws Exception {
        Transport transport = open(TransportOptions.builder().threads(1).build());
        try (java.net.ServerSocket bystander = new java.net.ServerSocket(0, 50, LOOPBACK)) {
            List<java.nio.channels.SocketChannel> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
            CountDownLatch closed = new CountDownLatch(1);
            Listener listener = transport.listen(new InetSocketAddress(LOOPBACK, 0), accepted -> new ConnectionHandler() {
                @Override
                public void onOpen(Connection connection) {
                    // More than one writev round (64 KiB of staging) queued, the first write's callback aborting.
                    connection.write(ByteBuffer.wrap(new byte[60_000]), new WriteCallback() {
                        @Override
                        public void completed(Connection c) {
                            c.abort();
                            try {
                                // Stands for another loop's accept or any open taking the freed number.
                                opened.add(java.nio.channels.SocketChannel.open(bystander.getLocalSocketAddress()));
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }

                        @Override
                        public void failed(Connection c, Throwable cause) {
                        }
                    });
                    connection.write(ByteBuffer.wrap(new byte[10_000]), WriteCallback.NONE);
                    connection.write(ByteBuffer.wrap("FOR-THE-FIRST-PEER-ONLY".getBytes()), WriteCallback.NONE);
                }

                @Override
                public void onRead(Connection connection, ByteBuffer data) {
                }

                @Override
                public void onClosed(Connection connection, Throwable cause) {
                    closed.countDown();
                }
            });
            try (Socket client = new Socket(LOOPBACK, ((InetSocketAddress) listener.localAddress()).getPort());
                    Socket other = bystander.accept()) {
                assertTrue(closed.await(10, TimeUnit.SECONDS));
                other.setSoTimeout(500);
                int received = 0;
                try {
                    int n;
                    byte[] chunk = new byte[8192];
                    while ((n = other.getInputStream().read(chunk)) > 0) {
                        received += n;
                    }
                } catch (java.net.SocketTimeoutException nothingMore) {
                    // expected: nothing at all arrives
                }
                assertEquals(0, received, "the aborted connection's bytes reached another peer");
            } finally {
                for (java.nio.channels.SocketChannel channel : opened) {
                    channel.close();
                }
            }
        }
    }

    /** An acceptor that aborts the connection and then refuses it must not close the descriptor number twice. */
    @Test
    void anAcceptorThatAbortsThenRefusesClosesTheDescriptorOnce() throws Exception {
        Transport transport = open(TransportOptions.builder().threads(1).build());
        AtomicReference<java.nio.channels.Pipe> pipe = new AtomicReference<>();
        CountDownLatch refused = new CountDownLatch(1);
        Listener listener = transport.listen(new InetSocketAddress(LOOPBACK, 0), connection -> {
            connection.abort();
            try {
                pipe.set(java.nio.channels.Pipe.open()); // takes the number the abort freed
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            refused.countDown();
            return null;
        });
        try (Socket client = new Socket(LOOPBACK, ((InetSocketAddress) listener.localAddress()).getPort())) {
            assertTrue(refused.await(10, TimeUnit.SECONDS));
            Thread.sleep(100);
            assertEquals(1, pipe.get().sink().write(ByteBuffer.wrap(new byte[] {1})), "the pipe was closed under us");
            pipe.get().sink().close();
            pipe.get().source().close();
        }
    }

    /** A write callback that throws aborts its own connection; the loop serves others and shuts down. */
    @Test
    void aThrowingWriteCallbackAbortsOnlyItsConnectionAndShutdownCompletes() throws Exception {
        Transport transport = new EpollTransportProvider().open(TransportOptions.builder().threads(1).build());
        Listener listener = transport.listen(new InetSocketAddress(LOOPBACK, 0), accepted -> new ConnectionHandler() {
            @Override
            public void onRead(Connection connection, ByteBuffer data) {
                byte first = data.get(data.position());
                ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
                connection.write(copy, first != 1 ? WriteCallback.NONE : new WriteCallback() {
                    @Override
                    public void completed(Connection c) {
                        throw new IllegalStateException("a broken write callback");
                    }

                    @Override
                    public void failed(Connection c, Throwable cause) {
                    }
                });
            }
        });
        int port = ((InetSocketAddress) listener.localAddress()).getPort();
        try (Socket broken = new Socket(LOOPBACK, port)) {
            broken.getOutputStream().write(1);
            broken.setSoTimeout(5000);
            broken.getInputStream().read(); // the echo, then the abort
        } catch (java.io.IOException resetAfterwards) {
            // the abort may reset before the echo is read
        }
        try (Socket healthy = new Socket(LOOPBACK, port)) {
            healthy.setSoTimeout(5000);
            healthy.getOutputStream().write(2);
            assertEquals(2, healthy.getInputStream().read(), "the loop no longer serves other connections");
        }
        transport.shutdown(Duration.ZERO).get(10, TimeUnit.SECONDS);
    }

    /** A peer's reset is a failure of the connection, reported to onClosed, not a clean end of its stream. */
    @Test
    void aPeerResetIsReportedAsAnErrorNotAsTheEndOfTheStream() throws Exception {
        Transport transport = open(TransportOptions.builder().threads(1).build());
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch opened = new CountDownLatch(1);
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        Listener listener = transport.listen(new InetSocketAddress(LOOPBACK, 0), accepted -> new ConnectionHandler() {
            @Override
            public void onOpen(Connection connection) {
                opened.countDown();
            }

            @Override
            public void onRead(Connection connection, ByteBuffer data) {
            }

            @Override
            public void onReadShutdown(Connection connection) {
                events.add("readShutdown");
                connection.close();
            }

            @Override
            public void onClosed(Connection connection, Throwable cause) {
                closed.complete(cause);
            }
        });
        Socket client = new Socket(LOOPBACK, ((InetSocketAddress) listener.localAddress()).getPort());
        assertTrue(opened.await(10, TimeUnit.SECONDS));
        client.setSoLinger(true, 0);
        client.close(); // RST
        Throwable cause = closed.get(10, TimeUnit.SECONDS);
        assertInstanceOf(java.net.SocketException.class, cause, "onClosed got " + cause);
        assertTrue(cause.getMessage().contains("reset"), cause.getMessage());
        assertEquals(List.of(), events);
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
                    () -> new EpollTransportProvider().open(options));
            assertEquals("no third thread", failure.getMessage());
        }
        assertEquals(before, openDescriptors(), "descriptors left open by 20 transports that failed to open");
    }
}
