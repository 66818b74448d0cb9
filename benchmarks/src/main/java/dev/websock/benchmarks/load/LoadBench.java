package dev.websock.benchmarks.load;

import dev.websock.benchmarks.harness.ClassHistograms;
import dev.websock.benchmarks.harness.Options;
import dev.websock.benchmarks.harness.ServerProcess;
import dev.websock.benchmarks.harness.TlsMaterial;
import dev.websock.benchmarks.load.WebSocketLoadGenerator.EchoFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
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
 * The end-to-end WebSocket load benchmark of issue 8: websock's server against Netty 4.2 and Jetty 12, echo over
 * loopback, in one run, with the ratios computed from that run.
 *
 * <p>Each server runs in its own JVM ({@link LoadServer}), started with the same flags for all and pinned to one
 * core with {@code taskset}; this JVM, the load generator ({@link WebSocketLoadGenerator}), pins itself to another.
 * One server runs at a time: it serves every cell of one configuration (plain or TLS, permessage-deflate off or
 * on) before the next server starts.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.websock.benchmarks.load.LoadBench [options]
 *   --servers=websock,netty,jetty
 *   --security=plain,tls --deflate=off,on
 *   --connections=1,100,1000 --sizes=32,1024,65536,1048576 --depths=1,16
 *   --type=text|binary        (default text; deflate cells are always text)
 *   --max-in-flight=134217728 (cells with more payload bytes in flight at once are left out, and listed)
 *   --max-in-flight-deflate=2097152  (the same for permessage-deflate cells)
 *   --warmup=2 --duration=4   (seconds per cell)
 *   --rounds=1                (the fastest round of each server and cell is reported)
 *   --tls-suites=TLS_AES_128_GCM_SHA256  ("default": the JDK's)
 *   --out=target/websocket-load  (results.md, results.csv, results.svg go there)
 *   --memory=10000            (instead: heap, direct memory and RSS per idle connection)
 *   --idle=5                  (seconds the connections are left idle before the memory is measured)
 *   --smoke                   (a few short cells, unpinned, and the self-test; fails only on bad echoes)
 *   --pin=true --server-cpu=0 --client-cpu=1
 *   --server-jvm-args="..." --server-wrapper="..."
 * </pre>
 *
 * Exits 1 when an echo is lost or corrupted, 2 when the run itself fails. Speed targets are reported, never
 * enforced: a busy machine must not fail a build.
 */
public final class LoadBench {
    private static final List<String> SERVERS = List.of("websock", "netty", "jetty");

    private final Options options;
    private final List<String> serverFlags;
    private final PrintWriter markdown;
    private final Path out;

    private LoadBench(Options options, Path out, PrintWriter markdown) {
        this.options = options;
        this.serverFlags = options.serverFlags();
        this.out = out;
        this.markdown = markdown;
    }

    public static void main(String[] args) {
        int status;
        try {
            Options options = Options.parse(args);
            Path out = Path.of(options.option("out", "target/websocket-load"));
            Files.createDirectories(out);
            try (PrintWriter markdown = new PrintWriter(Files.newBufferedWriter(
                    out.resolve(options.has("memory") ? "memory.md" : "results.md")), true)) {
                LoadBench bench = new LoadBench(options, out, markdown);
                if (options.has("memory")) {
                    bench.memory(Integer.parseInt(options.option("memory", "10000")));
                } else {
                    bench.load();
                }
            }
            status = 0;
        } catch (EchoFailure e) {
            System.err.println("[load] ECHO FAILED: " + e.getMessage());
            status = 1;
        } catch (Exception e) {
            System.err.println("[load] the run failed: " + e);
            e.printStackTrace();
            status = 2;
        }
        System.exit(status);
    }

    // ---- messages per second and latency ----

    private void load() throws Exception {
        boolean smoke = options.flag("smoke");
        List<String> servers = options.list("servers", String.join(",", SERVERS));
        List<Cell> cells = smoke ? smokeCells() : matrix();
        double warmup = options.number("warmup", smoke ? 0.3 : 2);
        double duration = options.number("duration", smoke ? 0.5 : 4);
        int rounds = (int) options.number("rounds", 1);
        boolean pin = !smoke && options.bool("pin", true) && options.pinSelf();
        String serverCpu = pin ? options.option("server-cpu", "0") : null;

        out("WebSocket load benchmark, " + Instant.now() + ", " + Runtime.version() + " ("
                + System.getProperty("java.vm.name") + "), " + Runtime.getRuntime().availableProcessors()
                + " CPUs visible to the load generator.");
        out("Servers: " + servers + "; " + cells.size() + " cells; warm-up " + warmup + " s, measured " + duration
                + " s per cell; " + rounds + " round(s), the fastest reported.");
        out("Server JVM flags: " + String.join(" ", serverFlags) + (pin ? "; server on CPU " + serverCpu
                + ", load generator on CPU " + options.option("client-cpu", "1") : "; not pinned"));
        out("Each server as its documentation recommends for speed, with one event loop per core (one here); websock"
                + " with TransportOptions.busyPoll(" + WebsockLoadEcho.BUSY_POLL.toNanos() / 1000 + " µs), which Netty's NIO"
                + " transport and Jetty do not have (--server-jvm-args=-Dbench.busyPollMicros=0 turns it off), on its"
                + " NIO transport (its epoll one when the server JVM flags above have -Dbench.transport=epoll).");
        out("Load average at the start: " + Options.loadAverage() + ".");
        out("");

        Path keyStore = cells.stream().anyMatch(Cell::tls)
                ? TlsMaterial.create(Files.createTempDirectory("websock-load")) : null;
        Map<String, Result> fastest = new LinkedHashMap<>(); // "cell|server" -> the best round
        for (int round = 1; round <= rounds; round++) {
            for (List<Cell> configuration : byConfiguration(cells)) {
                Cell first = configuration.get(0);
                SSLContext clientContext = first.tls() ? TlsMaterial.trustingClientContext() : null;
                for (String server : servers) {
                    try (ServerProcess process = start(server, first.tls() ? keyStore : null, first.deflate(), "echo",
                            serverCpu)) {
                        WebSocketLoadGenerator generator = new WebSocketLoadGenerator(clientContext, cipherSuites());
                        InetSocketAddress address = new InetSocketAddress("127.0.0.1", process.port());
                        for (Cell cell : configuration) {
                            Messages messages = new Messages(cell, 0x5eed_1000L + cell.size());
                            Result result = generator.run(server, address, messages, seconds(warmup),
                                    seconds(duration), process::sample);
                            if (round == 1 && cell == first) {
                                out("With " + server + " (" + first.security() + (first.deflate() ? ", deflate" : "")
                                        + "): " + (first.tls() ? generator.negotiated() + "; " : "")
                                        + "extensions answered: "
                                        + (generator.extensions().isEmpty() ? "none" : generator.extensions()) + ".");
                            }
                            fastest.merge(cell + "|" + server, result,
                                    (a, b) -> a.messagesPerSecond() >= b.messagesPerSecond() ? a : b);
                            System.out.printf(Locale.ROOT,
                                    "[load] round %d %-8s %-52s %,12.0f msg/s %9.1f MB/s  p50 %8.1f  p99 %8.1f  p99.9 %9.1f µs"
                                            + "  server CPU %3.0f%%  load CPU %3.0f%%  %6.1f B/msg%n",
                                    round, server, cell, result.messagesPerSecond(), result.megabytesPerSecond(),
                                    result.p50Nanos() / 1e3, result.p99Nanos() / 1e3, result.p999Nanos() / 1e3,
                                    result.serverCpuShare() * 100, result.clientCpuShare() * 100,
                                    result.serverAllocatedPerMessage());
                        }
                    }
                }
            }
        }
        out("");
        List<Result> results = new ArrayList<>();
        for (Cell cell : cells) {
            for (String server : servers) {
                Result result = fastest.get(cell + "|" + server);
                if (result != null) {
                    results.add(result);
                }
            }
        }
        LoadReport report = new LoadReport(cells, results);
        for (String line : report.markdown()) {
            out(line);
        }
        report.writeCsv(out.resolve("results.csv"));
        report.writeSvg(out.resolve("results.svg"), "websock, Netty and Jetty: WebSocket echo over loopback, "
                + Runtime.version());
        List<Cell> left = leftOut(smoke);
        if (!left.isEmpty()) {
            out("");
            out("Left out, more than " + Cell.size(maxInFlight()) + " of payload in flight at once (the servers have 1 GiB"
                    + " heaps), or with permessage-deflate more than " + Cell.size(maxInFlightDeflate()) + " (zlib at level 6"
                    + " compresses this text at about 10 MB/s): " + String.join("; ", left.stream().map(Cell::toString).toList())
                    + ".");
        }
        if (smoke) {
            selfTest();
        }
        out("");
        out("Load average at the end: " + Options.loadAverage() + ". Tables, CSV and chart in " + out.toAbsolutePath()
                + ".");
    }

    /** A few short cells of each configuration: proves that every server and the checks work, measures nothing. */
    private static List<Cell> smokeCells() {
        return List.of(
                new Cell(false, false, true, 1, 32, 1),
                new Cell(false, false, true, 100, 1024, 16),
                new Cell(false, false, false, 2, 1 << 20, 1),
                new Cell(false, true, true, 10, 1024, 4),
                new Cell(true, false, true, 10, 1024, 4));
    }

    private List<Cell> matrix() {
        return allCells().stream().filter(this::fits).toList();
    }

    private List<Cell> leftOut(boolean smoke) {
        return smoke ? List.of() : allCells().stream().filter(cell -> !fits(cell)).toList();
    }

    /**
     * Whether a cell's payload in flight stays under the cap: the servers' heaps bound it, and deflate's speed
     * (about 10 MB/s for zlib's level 6 on this text, on every server) bounds it much lower, or a round trip
     * would take longer than the measurement.
     */
    private boolean fits(Cell cell) {
        return cell.bytesInFlight() <= (cell.deflate() ? maxInFlightDeflate() : maxInFlight());
    }

    private List<Cell> allCells() {
        boolean text = !options.option("type", "text").equals("binary");
        List<Cell> cells = new ArrayList<>();
        for (String security : options.list("security", "plain,tls")) {
            for (String deflate : options.list("deflate", "off,on")) {
                boolean compressed = deflate.equals("on");
                for (int connections : options.ints("connections", "1,100,1000")) {
                    for (int size : options.ints("sizes", "32,1024,65536,1048576")) {
                        for (int depth : options.ints("depths", "1,16")) {
                            cells.add(new Cell(security.equals("tls"), compressed, text || compressed, connections,
                                    size, depth));
                        }
                    }
                }
            }
        }
        return cells;
    }

    private long maxInFlight() {
        return (long) options.number("max-in-flight", 128 << 20);
    }

    private long maxInFlightDeflate() {
        return (long) options.number("max-in-flight-deflate", 2 << 20);
    }

    /** The cells grouped by what a server is started with (TLS or not, deflate or not), in their order. */
    private static List<List<Cell>> byConfiguration(List<Cell> cells) {
        Map<String, List<Cell>> groups = new LinkedHashMap<>();
        for (Cell cell : cells) {
            groups.computeIfAbsent(cell.tls() + "|" + cell.deflate(), k -> new ArrayList<>()).add(cell);
        }
        return new ArrayList<>(groups.values());
    }

    /** Proves that the load generator notices a corrupted echo: a server that flips one bit must fail the cell. */
    private void selfTest() throws Exception {
        Cell cell = new Cell(false, false, false, 2, 1000, 4);
        try (ServerProcess process = start("netty", null, false, "corrupt", null)) {
            new WebSocketLoadGenerator(null, null).run("netty", new InetSocketAddress("127.0.0.1", process.port()),
                    new Messages(cell, 1), seconds(0.3), seconds(0.2), null);
        } catch (EchoFailure expected) {
            out("Self-test: a server that flips one bit is caught (" + expected.getMessage() + ").");
            return;
        }
        throw new IllegalStateException("self-test: the load generator did not notice a corrupted echo");
    }

    // ---- memory per idle connection ----

    private void memory(int count) throws Exception {
        List<String> servers = options.list("servers", String.join(",", SERVERS));
        boolean pin = options.bool("pin", true) && options.pinSelf();
        String serverCpu = pin ? options.option("server-cpu", "0") : null;
        double idleSeconds = options.number("idle", 5);
        out("Idle-connection memory, " + Instant.now() + ", " + Runtime.version() + "; " + count + " connections.");
        out("Server JVM flags: " + String.join(" ", serverFlags) + (pin ? "; pinned" : "; not pinned"));
        out("Each connection completes the opening handshake (and TLS 1.3's), echoes one 1 KiB text message, and is"
                + " left idle; " + idleSeconds + " s after the last one opened, measured in the server JVM with all of them open, minus the same before them (after 20"
                + " connections opened and closed, so that one-time initialisation is not counted): heap used after"
                + " 3× System.gc(), direct buffers, the C heap in use (glibc's malloc_info through `jcmd"
                + " System.native_heap_info`: where zlib's state lives), and the process's resident set (VmRSS:"
                + " everything, including memory malloc was given back but has not returned to the system, and the"
                + " Java heap's pages once touched; noisier). With permessage-deflate the target is on heap plus C heap"
                + " in use, because zlib's state is not on the Java heap.");
        out("");
        out("| security | deflate | server | heap per connection | direct per connection | C heap in use per connection"
                + " | heap + C heap | RSS per connection |");
        out("|---|---|---|---:|---:|---:|---:|---:|");
        Path keyStore = options.list("security", "plain,tls").contains("tls")
                ? TlsMaterial.create(Files.createTempDirectory("websock-load")) : null;
        List<String> histograms = new ArrayList<>();
        List<String> ratios = new ArrayList<>();
        for (String security : options.list("security", "plain,tls")) {
            boolean tls = security.equals("tls");
            for (String deflate : options.list("deflate", "off,on")) {
                boolean compressed = deflate.equals("on");
                Cell cell = new Cell(tls, compressed, true, 1, 1024, 1);
                Messages messages = new Messages(cell, 7);
                Map<String, Double> heapPerConnection = new LinkedHashMap<>();
                for (String server : servers) {
                    try (ServerProcess process = start(server, tls ? keyStore : null, compressed, "echo", serverCpu)) {
                        InetSocketAddress address = new InetSocketAddress("127.0.0.1", process.port());
                        WebSocketLoadGenerator generator = new WebSocketLoadGenerator(
                                tls ? TlsMaterial.trustingClientContext() : null, cipherSuites());
                        for (SocketChannel channel : generator.openIdle(address, messages, 20, n -> { })) {
                            channel.close();
                        }
                        process.awaitConnections(0);
                        long[] before = process.heap();
                        long rssBefore = process.residentBytes();
                        long nativeBefore = process.nativeHeapInUse();
                        Map<String, long[]> histogramBefore = process.classHistogram();
                        List<SocketChannel> channels = generator.openIdle(address, messages, count, n -> {
                            if (n % 500 == 0) {
                                try {
                                    process.awaitConnections(n);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            }
                        });
                        process.awaitConnections(count);
                        Thread.sleep((long) (idleSeconds * 1000)); // idle: whatever a server frees when idle, it has
                        long[] after = process.heap();
                        long rssAfter = process.residentBytes();
                        long nativeAfter = process.nativeHeapInUse();
                        Map<String, long[]> histogramAfter = process.classHistogram();
                        double heap = (after[0] - before[0]) / (double) count;
                        double cHeap = nativeBefore < 0 ? Double.NaN : (nativeAfter - nativeBefore) / (double) count;
                        // The target's measure: the Java heap, and with deflate the C heap too (zlib's state).
                        heapPerConnection.put(server, compressed ? heap + cHeap : heap);
                        out(String.format(Locale.ROOT, "| %s | %s | %s | %s%,.0f B%s | %,.0f B | %,.0f B | %s%,.0f B%s |"
                                + " %,.0f B |", security, deflate, server, compressed ? "" : "**", heap,
                                compressed ? "" : "**", (after[1] - before[1]) / (double) count, cHeap,
                                compressed ? "**" : "", heap + cHeap, compressed ? "**" : "",
                                (rssAfter - rssBefore) / (double) count));
                        histograms.add(ClassHistograms.delta(security + ", deflate " + deflate + ", " + server,
                                histogramBefore, histogramAfter, count));
                        for (SocketChannel channel : channels) {
                            channel.close();
                        }
                    }
                }
                Double websock = heapPerConnection.get("websock");
                heapPerConnection.remove("websock");
                if (websock != null && !heapPerConnection.isEmpty()) {
                    Map.Entry<String, Double> best = heapPerConnection.entrySet().stream()
                            .min(Map.Entry.comparingByValue()).orElseThrow();
                    double ratio = websock / best.getValue();
                    boolean absolute = tls || compressed || websock <= 1024;
                    ratios.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f× | ≤ 0.5×%s | %s |", security,
                            deflate, compressed ? "heap + C heap" : "heap", best.getKey(), ratio,
                            tls || compressed ? "" : " and ≤ 1 KiB", ratio <= 0.5 && absolute ? "PASS" : "FAIL"));
                }
            }
        }
        if (!ratios.isEmpty()) {
            out("");
            out("| security | deflate | measure | leanest peer | websock ÷ leanest peer | target | result |");
            out("|---|---|---|---|---:|---|---|");
            ratios.forEach(this::out);
        }
        out("");
        out("Where the heap bytes are (`jcmd <pid> GC.class_histogram`, after minus before, per connection, largest"
                + " first):");
        for (String histogram : histograms) {
            out("");
            out(histogram);
        }
        out("");
        out("Load average at the end: " + Options.loadAverage() + ".");
    }

    // ---- helpers ----

    private ServerProcess start(String server, Path keyStore, boolean deflate, String mode, String cpu)
            throws IOException {
        return ServerProcess.start(LoadServer.class, List.of(server, keyStore == null ? "plain" : keyStore.toString(),
                deflate ? "deflate" : "no-deflate", mode), serverFlags, options.serverWrapper(), cpu);
    }

    /**
     * The suites the load generator offers: one by default, so that every server uses the same (left to
     * themselves they pick different ones, and AES-256 costs more than AES-128).
     */
    private String[] cipherSuites() {
        String suites = options.option("tls-suites", "TLS_AES_128_GCM_SHA256");
        return suites.equals("default") ? null : suites.split(",");
    }

    private void out(String line) {
        System.out.println(line);
        markdown.println(line);
    }

    private static long seconds(double seconds) {
        return (long) (seconds * 1e9);
    }
}
