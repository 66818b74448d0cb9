package dev.websock.benchmarks.harness;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The command loop of a benchmark server JVM, driven by {@link ServerProcess} over standard input and output. The
 * server prints {@code PORT <n>} through {@link #serve}, which then answers one-line commands:
 * <ul>
 *   <li>{@code STATS}: {@code STATS <bytes allocated by all threads so far> <open connections> <CPU time of the
 *       process so far, ns> <bytes allocated by the threads that ran connection callbacks, or -1 when those are
 *       virtual threads>};
 *   <li>{@code HEAP}: collects garbage, then {@code HEAP <heap used> <direct buffers> <open connections>};
 *   <li>{@code QUIT} (or end of input): returns, and the caller stops its server.
 * </ul>
 */
public final class ServerConsole {

    /** The platform threads that ran a connection's first callback: the event loops. */
    private static final Set<Thread> IO_THREADS = ConcurrentHashMap.newKeySet();
    private static volatile boolean virtualIo;

    private ServerConsole() {
    }

    /** Called by a server's handler when a connection opens, on the thread that runs its callbacks. */
    public static void noteIoThread() {
        Thread thread = Thread.currentThread();
        if (thread.isVirtual()) {
            virtualIo = true;
        } else {
            IO_THREADS.add(thread);
        }
    }

    /** Prints the port, then answers commands until {@code QUIT} or the end of standard input. */
    public static void serve(int port, AtomicInteger open) throws IOException, InterruptedException {
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
}
