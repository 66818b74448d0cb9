package dev.websock.benchmarks.transport;

import dev.websock.benchmarks.harness.ClassHistograms;
import dev.websock.benchmarks.harness.Options;
import dev.websock.benchmarks.harness.ServerProcess;
import dev.websock.benchmarks.harness.TlsMaterial;
import dev.websock.benchmarks.transport.LoadGenerator.Cell;
import dev.websock.benchmarks.transport.LoadGenerator.EchoFailure;
import dev.websock.benchmarks.transport.LoadGenerator.Measurement;
import dev.websock.transport.TransportProvider;
import dev.websock.transport.Transports;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * The transport benchmark of issue 5: raw byte echo over loopback against websock's transports and Netty 4.2, in
 * one run, with the ratios computed from that run.
 *
 * <p>Each server runs in its own JVM ({@link EchoServer}), started here with the same flags for all and pinned to
 * one core with {@code taskset}; this JVM, the load generator ({@link LoadGenerator}), pins itself to another
 * core. One server runs at a time; it serves every cell of one security mode (plain, then TLS) before the next
 * server starts. Each cell warms up, then measures for a fixed time; the server reports the bytes its threads
 * allocated over the measured interval.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.websock.benchmarks.transport.TransportBench [options]
 *   --servers=websock-nio,websock-virtual,netty   (default: every websock provider found, then netty)
 *   --security=plain,tls      (default: both)
 *   --connections=1,100 --sizes=32,65536 --depths=1,16
 *   --warmup=2 --duration=5   (seconds per cell)
 *   --rounds=1                (runs everything this many times; the fastest round of each server and cell is reported)
 *   --tls-suites=TLS_AES_128_GCM_SHA256  (the TLS 1.3 suites the client offers; "default": the JDK's)
 *   --memory=10000            (instead: heap per idle connection at this many connections)
 *   --smoke                   (a few short plain cells, websock-nio and netty, unpinned; fails only on bad echoes)
 *   --pin=true --server-cpu=0 --client-cpu=1
 *   --markdown=FILE           (also write the tables there)
 *   --server-jvm-args="..."   (added to every server JVM's flags, such as -XX:StartFlightRecording=...)
 *   --server-wrapper="..."    (a command that runs each server JVM, such as strace -f -c -o FILE)
 * </pre>
 *
 * Exits 1 when an echo is lost or corrupted, 2 when the run itself fails. Speed targets are reported, never
 * enforced: a busy machine must not fail a build.
 */
public final class TransportBench {
    /** The message each idle connection echoes once in the memory mode: the size of a short WebSocket message. */
    private static final int IDLE_ECHO_BYTES = 32;

    private final Options options;
    private final PrintWriter markdown;
    private final List<String> serverFlags;
    private final List<String> serverWrapper;

    private TransportBench(Options options, PrintWriter markdown) {
        this.options = options;
        this.markdown = markdown;
        this.serverFlags = options.serverFlags();
        this.serverWrapper = options.serverWrapper();
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        int status;
        try (PrintWriter markdown = options.has("markdown")
                ? new PrintWriter(Files.newBufferedWriter(Path.of(options.option("markdown", null))), true)
                : new PrintWriter(Writer.nullWriter())) {
            TransportBench bench = new TransportBench(options, markdown);
            if (options.has("memory")) {
                bench.memory();
            } else {
                bench.echo();
            }
            status = 0;
        } catch (EchoFailure e) {
            System.err.println("[transport] ECHO FAILED: " + e.getMessage());
            status = 1;
        } catch (Exception e) {
            System.err.println("[transport] the run failed: " + e);
            e.printStackTrace();
            status = 2;
        }
        System.exit(status);
    }

    // ---- echo throughput and latency ----

    private void echo() throws Exception {
        boolean smoke = options.flag("smoke");
        List<String> servers = options.list("servers", String.join(",", defaultServers(smoke)));
        List<String> securities = options.list("security", smoke ? "plain" : "plain,tls");
        List<Cell> cells = new ArrayList<>();
        if (smoke) {
            cells.add(new Cell(1, 32, 16));
            cells.add(new Cell(1, 65536, 1));
            cells.add(new Cell(100, 32, 1));
        } else {
            for (int connections : options.ints("connections", "1,100")) {
                for (int size : options.ints("sizes", "32,65536")) {
                    for (int depth : options.ints("depths", "1,16")) {
                        cells.add(new Cell(connections, size, depth));
                    }
                }
            }
        }
        double warmup = options.number("warmup", smoke ? 0.3 : 2);
        double duration = options.number("duration", smoke ? 0.7 : 5);
        boolean pin = !smoke && options.bool("pin", true) && options.pinSelf();

        header(servers, securities, warmup, duration, pin);
        Path keyStore = securities.contains("tls") ? TlsMaterial.create(Files.createTempDirectory("websock-bench")) : null;
        Map<String, Map<String, Measurement>> results = new LinkedHashMap<>(); // "security|cell" -> server -> result
        int rounds = (int) options.number("rounds", 1);
        for (int round = 1; round <= rounds; round++) {
            for (String security : securities) {
                boolean tls = security.equals("tls");
                SSLContext clientContext = tls ? TlsMaterial.trustingClientContext() : null;
                for (String server : servers) {
                    try (ServerProcess process = ServerProcess.start(EchoServer.class,
                            List.of(server, tls ? keyStore.toString() : "plain", "echo"), serverFlags, serverWrapper,
                            pin ? options.option("server-cpu", "0") : null)) {
                        LoadGenerator generator = new LoadGenerator(clientContext, cipherSuites());
                        InetSocketAddress address = new InetSocketAddress("127.0.0.1", process.port());
                        for (Cell cell : cells) {
                            Measurement m = generator.run(address, cell, seconds(warmup), seconds(duration),
                                    process::sample);
                            if (tls && round == 1 && cell == cells.get(0)) {
                                out("TLS with " + server + ": " + generator.negotiated() + ".");
                            }
                            // With several rounds, the fastest of a server's rounds stands for it: a busy machine
                            // only ever slows a round down.
                            results.computeIfAbsent(security + "|" + cell, k -> new LinkedHashMap<>())
                                    .merge(server, m, (a, b) -> a.messagesPerSecond() >= b.messagesPerSecond() ? a : b);
                            System.out.printf(Locale.ROOT, "[transport] round %d %-5s %-15s %-28s %,12.0f msg/s %9.1f MB/s  p50 %7.1f  p99 %7.1f  p99.9 %8.1f µs  alloc %7.1f B/msg (loop %5.1f)  server CPU %3.0f%% %6.2f µs/msg%n",
                                    round, security, server, cell, m.messagesPerSecond(),
                                    m.messagesPerSecond() * cell.size() / 1e6, m.p50() / 1e3, m.p99() / 1e3,
                                    m.p999() / 1e3, m.allocatedPerMessage(), m.loopAllocatedPerMessage(),
                                    m.serverCpuShare() * 100,
                                    m.serverCpuNanosPerMessage() / 1e3);
                        }
                    }
                }
            }
        }
        report(results, servers, securities, cells);
        if (smoke) {
            selfTest();
        }
        out("");
        out("Load average at the end: " + Options.loadAverage() + ".");
    }

    /** Proves that the load generator notices a corrupted echo: a server that flips one bit must fail the cell. */
    private void selfTest() throws Exception {
        try (ServerProcess process = ServerProcess.start(EchoServer.class, List.of("netty", "plain", "corrupt"), serverFlags,
                serverWrapper, null)) {
            new LoadGenerator(null).run(new InetSocketAddress("127.0.0.1", process.port()), new Cell(2, 1000, 4),
                    seconds(0.2), seconds(0.2), null);
        } catch (EchoFailure expected) {
            System.out.println("[transport] self-test: a server that flips one bit is caught (" + expected.getMessage() + ")");
            return;
        }
        throw new IllegalStateException("self-test: the load generator did not notice a corrupted echo");
    }

    private void header(List<String> servers, List<String> securities, double warmup, double duration, boolean pin) {
        out("Transport echo benchmark, " + Instant.now() + ", " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")");
        out("Servers: " + servers + "; security: " + securities + "; warm-up " + warmup + " s, measured " + duration
                + " s per cell; " + (int) options.number("rounds", 1) + " round(s), the fastest reported.");
        out("Server JVM flags: " + String.join(" ", serverFlags) + (pin ? "; server on CPU " + options.option("server-cpu", "0")
                + ", load generator on CPU " + options.option("client-cpu", "1") : "; not pinned"));
        out("Load average at the start: " + Options.loadAverage() + ".");
        out("");
    }

    private void report(Map<String, Map<String, Measurement>> results, List<String> servers, List<String> securities,
            List<Cell> cells) {
        out("| security | connections | size | depth | server | msgs/s | MB/s | p50 µs | p99 µs | p99.9 µs | server alloc B/msg | event loop alloc B/msg | server CPU | server CPU µs/msg |");
        out("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String security : securities) {
            for (Cell cell : cells) {
                Map<String, Measurement> row = results.getOrDefault(security + "|" + cell, Map.of());
                for (String server : servers) {
                    Measurement m = row.get(server);
                    if (m == null) {
                        continue;
                    }
                    out(String.format(Locale.ROOT, "| %s | %d | %s | %d | %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f | %.0f%% | %.2f |",
                            security, cell.connections(), size(cell.size()), cell.depth(), server,
                            String.format(Locale.ROOT, "%,.0f", m.messagesPerSecond()),
                            m.messagesPerSecond() * cell.size() / 1e6, m.p50() / 1e3, m.p99() / 1e3, m.p999() / 1e3,
                            m.allocatedPerMessage(), m.loopAllocatedPerMessage(), m.serverCpuShare() * 100,
                            m.serverCpuNanosPerMessage() / 1e3));
                }
            }
        }
        out("");
        out("| security | connections | size | depth | ratio | msgs/s | target | result | p99 ratio (lower is better) | target | result | server CPU per msg, ratio |");
        out("|---|---:|---:|---:|---|---:|---|---|---:|---|---|---:|");
        int passed = 0;
        int failed = 0;
        for (String security : securities) {
            boolean tls = security.equals("tls");
            double bound = tls ? 1.0 : 1.1;
            for (Cell cell : cells) {
                Map<String, Measurement> row = results.getOrDefault(security + "|" + cell, Map.of());
                Measurement nio = row.get("websock-nio");
                Measurement netty = row.get("netty");
                Measurement virtual = row.get("websock-virtual");
                String where = String.format(Locale.ROOT, "| %s | %d | %s | %d ", security, cell.connections(),
                        size(cell.size()), cell.depth());
                if (nio != null && netty != null) {
                    double ratio = nio.messagesPerSecond() / netty.messagesPerSecond();
                    double p99 = (double) nio.p99() / netty.p99();
                    boolean fast = ratio >= bound;
                    boolean tail = p99 <= 1.0;
                    passed += (fast ? 1 : 0) + (tls ? 0 : tail ? 1 : 0);
                    failed += (fast ? 0 : 1) + (tls ? 0 : tail ? 0 : 1);
                    out(String.format(Locale.ROOT, "%s| nio / netty | %.2f× | ≥ %.1f× | %s | %.2f× | %s | %s | %.2f× |",
                            where, ratio, bound, fast ? "PASS" : "FAIL", p99, tls ? "—" : "≤ 1.0×",
                            tls ? "—" : tail ? "PASS" : "FAIL",
                            nio.serverCpuNanosPerMessage() / netty.serverCpuNanosPerMessage()));
                }
                if (virtual != null && nio != null) {
                    double ratio = virtual.messagesPerSecond() / nio.messagesPerSecond();
                    out(String.format(Locale.ROOT, "%s| virtual / nio | %.2f× | ≥ 0.6× expected | %s | %.2f× | — | — | %.2f× |",
                            where, ratio, ratio >= 0.6 ? "as expected" : "below", (double) virtual.p99() / nio.p99(),
                            virtual.serverCpuNanosPerMessage() / nio.serverCpuNanosPerMessage()));
                }
            }
        }
        out("");
        out(passed + " ratio targets met, " + failed + " missed (reported only: speed is not checked by the build).");
    }

    // ---- heap per idle connection ----

    private void memory() throws Exception {
        int count = Integer.parseInt(options.option("memory", null));
        List<String> servers = options.list("servers", String.join(",", defaultServers(false)));
        List<String> securities = options.list("security", "plain,tls");
        boolean pin = options.bool("pin", true) && options.pinSelf();
        out("Idle-connection memory, " + Instant.now() + ", " + Runtime.version() + "; " + count + " connections.");
        out("Server JVM flags: " + String.join(" ", serverFlags) + (pin ? "; pinned" : "; not pinned"));
        out("Heap used after 3× System.gc() in the server JVM with the connections open, minus the same before them"
                + " (after 20 connections opened, used for one echo and closed, so that one-time initialisation and the"
                + " transport's buffer pool are not counted), divided by the connections. Measured twice: right after"
                + " the connections are made (TLS: handshake complete), and again after each has echoed one "
                + IDLE_ECHO_BYTES + " B message and gone idle, as a WebSocket connection is after its upgrade. The"
                + " handler is one shared instance, so everything counted is held by the transport and the JDK.");
        out("");
        out("| security | server | heap before | heap with " + count + " | per connection, connected"
                + " | per connection, after one echo | direct buffers per connection |");
        out("|---|---|---:|---:|---:|---:|---:|");
        Path keyStore = securities.contains("tls") ? TlsMaterial.create(Files.createTempDirectory("websock-bench")) : null;
        List<String> histograms = new ArrayList<>();
        for (String security : securities) {
            boolean tls = security.equals("tls");
            for (String server : servers) {
                try (ServerProcess process = ServerProcess.start(EchoServer.class,
                        List.of(server, tls ? keyStore.toString() : "plain", "idle"), serverFlags, serverWrapper,
                        pin ? options.option("server-cpu", "0") : null)) {
                    InetSocketAddress address = new InetSocketAddress("127.0.0.1", process.port());
                    LoadGenerator generator = new LoadGenerator(tls ? TlsMaterial.trustingClientContext() : null,
                            cipherSuites());
                    List<SocketChannel> warmUp = generator.openIdle(address, 20, n -> {});
                    generator.echoOnce(warmUp, IDLE_ECHO_BYTES);
                    for (SocketChannel channel : warmUp) {
                        channel.close();
                    }
                    process.awaitConnections(0);
                    long[] before = process.heap();
                    Map<String, long[]> histogramBefore = process.classHistogram();
                    List<SocketChannel> channels = generator.openIdle(address, count, n -> {
                        if (n % 500 == 0) {
                            try {
                                process.awaitConnections(n); // keeps the accept backlog from overflowing
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                    });
                    process.awaitConnections(count);
                    long[] connected = process.heap();
                    Map<String, long[]> histogramConnected = process.classHistogram();
                    generator.echoOnce(channels, IDLE_ECHO_BYTES);
                    long[] echoed = process.heap();
                    Map<String, long[]> histogramEchoed = process.classHistogram();
                    out(String.format(Locale.ROOT, "| %s | %s | %,d B | %,d B | **%,.0f B** | **%,.0f B** | %,.0f B |",
                            security, server, before[0], echoed[0], (connected[0] - before[0]) / (double) count,
                            (echoed[0] - before[0]) / (double) count, (echoed[1] - before[1]) / (double) count));
                    histograms.add(ClassHistograms.delta(security + ", " + server + ", connected", histogramBefore,
                            histogramConnected, count));
                    histograms.add(ClassHistograms.delta(security + ", " + server + ", after one echo",
                            histogramBefore, histogramEchoed, count));
                    for (SocketChannel channel : channels) {
                        channel.close();
                    }
                }
            }
        }
        out("");
        out("Where the bytes are (`jcmd <pid> GC.class_histogram`, minus the one before, per connection, largest first):");
        for (String histogram : histograms) {
            out("");
            out(histogram);
        }
        out("");
        out("Load average at the end: " + Options.loadAverage() + ".");
    }

    // ---- helpers ----

    /**
     * The suites the load generator offers. One by default, so that every server uses the same: left to
     * themselves, websock (the JDK's order, AES-256 first) and Netty (its own order, AES-128 first) pick different
     * ones, and AES-256 costs more.
     */
    private String[] cipherSuites() {
        String suites = options.option("tls-suites", "TLS_AES_128_GCM_SHA256");
        return suites.equals("default") ? null : suites.split(",");
    }

    private static List<String> defaultServers(boolean smoke) {
        List<String> servers = new ArrayList<>();
        servers.add("websock-nio");
        if (!smoke) {
            for (TransportProvider provider : Transports.providers()) {
                if (!provider.name().equals("nio") && !provider.name().equals("memory")) {
                    servers.add("websock-" + provider.name());
                }
            }
        }
        servers.add("netty");
        return servers;
    }

    private void out(String line) {
        System.out.println(line);
        markdown.println(line);
    }

    private static String size(int bytes) {
        return bytes >= 1024 && bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " B";
    }

    private static long seconds(double seconds) {
        return (long) (seconds * 1e9);
    }
}
