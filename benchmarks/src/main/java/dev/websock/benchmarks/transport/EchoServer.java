package dev.websock.benchmarks.transport;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import dev.websock.transport.Acceptor;
import dev.websock.transport.Listener;
import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.Transports;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One echo server in its own JVM, started by {@link TransportBench} (pinned to its core with {@code taskset}).
 *
 * <p>Arguments: {@code <server> <tls key store or "plain"> <echo|idle|corrupt>}, where {@code server} is
 * {@code netty} or {@code websock-<provider>} ({@code websock-nio}, {@code websock-virtual}); {@code corrupt} (Netty
 * only) flips a bit of every connection's echo at offset 100,000, for the load generator's self-test. It listens on a free loopback port,
 * prints {@code PORT <n>}, then answers one-line commands on standard input:
 * <ul>
 *   <li>{@code STATS}: {@code STATS <bytes allocated by all threads so far> <open connections> <CPU time of the
 *       process so far, ns> <bytes allocated by the threads that ran connection callbacks, or -1 when those are
 *       virtual threads>};
 *   <li>{@code HEAP}: collects garbage, then {@code HEAP <heap used> <direct buffers> <open connections>};
 *   <li>{@code QUIT} (or end of input): stops.
 * </ul>
 */
public final class EchoServer {

    /** The platform threads that ran a connection's first callback: the event loops. */
    private static final Set<Thread> IO_THREADS = ConcurrentHashMap.newKeySet();
    private static volatile boolean virtualIo;

    private EchoServer() {
    }

    /** Called by the echo handlers when a connection opens, on its connection thread. */
    static void noteIoThread() {
        Thread thread = Thread.currentThread();
        if (thread.isVirtual()) {
            virtualIo = true;
        } else {
            IO_THREADS.add(thread);
        }
    }

    /** Bytes allocated by the event-loop threads so far; -1 when connections run on virtual threads (not measurable per thread). */
    private static long ioThreadsAllocated(ThreadMXBean threads) {
        if (virtualIo || IO_THREADS.isEmpty()) {
            return -1;
        }
        long total = 0;
        for (Thread thread : IO_THREADS) {
            total += threads.getThreadAllocatedBytes(thread.threadId());
        }
        return total;
    }

    public static void main(String[] args) throws Exception {
        String server = args[0];
        Path keyStore = args[1].equals("plain") ? null : Path.of(args[1]);
        boolean idle = args[2].equals("idle");
        long corruptAt = args[2].equals("corrupt") ? 100_000 : -1;
        AtomicInteger open = new AtomicInteger();
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        AutoCloseable running;
        int port;
        if (server.equals("netty")) {
            NettyEcho netty = new NettyEcho(any, keyStore == null ? null : TlsMaterial.keyManagers(keyStore), idle, corruptAt,
                    open);
            running = netty;
            port = netty.port();
        } else if (server.startsWith("websock-")) {
            TransportOptions.Builder options = TransportOptions.builder().threads(1);
            // For experiments only (the runs in RESULTS.md use the defaults): -Dbench.highWaterMark=<bytes> sets the
            // high-water mark, and the low-water mark to half of it.
            Integer high = Integer.getInteger("bench.highWaterMark");
            if (high != null) {
                options.writeBufferWaterMarks(high / 2, high);
            }
            Transport transport = Transports.provider(server.substring("websock-".length())).open(options.build());
            if (keyStore != null) {
                transport = TlsMaterial.websockTls(transport, keyStore);
            }
            if (corruptAt >= 0) {
                throw new IllegalArgumentException("the corrupting echo is Netty's only");
            }
            WebsockEcho.Pool small = new WebsockEcho.Pool(WebsockEcho.SMALL);
            WebsockEcho.Pool large = new WebsockEcho.Pool(WebsockEcho.LARGE);
            WebsockEcho.Idle idleHandler = new WebsockEcho.Idle(open);
            Acceptor acceptor = idle ? connection -> idleHandler : connection -> new WebsockEcho(small, large, open);
            Listener listener = transport.listen(any, acceptor);
            port = ((InetSocketAddress) listener.localAddress()).getPort();
            running = transport;
        } else {
            throw new IllegalArgumentException("unknown server '" + server + "': netty, websock-nio or websock-virtual");
        }
        System.out.println("PORT " + port);
        System.out.flush();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        OperatingSystemMXBean system = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line;
        while ((line = in.readLine()) != null && !line.equals("QUIT")) {
            switch (line) {
                case "STATS" -> System.out.println("STATS " + threads.getTotalThreadAllocatedBytes() + " " + open.get()
                        + " " + system.getProcessCpuTime() + " " + ioThreadsAllocated(threads));
                case "HEAP" -> {
                    for (int i = 0; i < 3; i++) {
                        System.gc();
                        Thread.sleep(100);
                    }
                    long direct = 0;
                    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
                        if (pool.getName().equals("direct")) {
                            direct = pool.getMemoryUsed();
                        }
                    }
                    System.out.println("HEAP " + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()
                            + " " + direct + " " + open.get());
                }
                default -> System.out.println("ERROR unknown command " + line);
            }
            System.out.flush();
        }
        running.close();
        System.exit(0);
    }
}
