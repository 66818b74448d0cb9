package dev.websock.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The load benchmark's report: markdown tables (every result; websock's ratios to its best peer per cell against
 * the issue's {@link Target}s; how many targets were met; a warning where the load tool may have been the limit),
 * a CSV of every result, and an SVG chart of msgs/s and p99 per cell and server.
 *
 * <p>Results are ordered by cell, in the order the cells were given (cells found only in the results follow, in
 * the order first seen), then by server: websock, netty, jetty, then any other in the order first seen. Any server
 * may be missing from a cell. If a server has several results in one cell, the tables and the CSV list them all,
 * while the ratios and the chart use the last one given.
 *
 * <p>Not thread-safe; everything is computed in the constructor, so the outputs can be produced in any order.
 */
public final class LoadReport {

    /** The server under test; every other server is a peer it is compared with. */
    static final String WEBSOCK = "websock";
    /** The usual servers, in the order of the tables and the chart, each with its fixed colour. */
    private static final Map<String, String> COLOURS = Map.of("websock", "#1f5fbf", "netty", "#e08a00",
            "jetty", "#2e9e5b");
    private static final List<String> KNOWN_SERVERS = List.of("websock", "netty", "jetty");
    /** For servers beyond the usual three, so that they still get a bar. */
    private static final List<String> SPARE_COLOURS = List.of("#8e44ad", "#c0392b", "#7f8c8d", "#16a085");
    /**
     * A load tool using this much of a core may have been the bottleneck (its one selector thread saturated), so
     * the cell measured the tool, not the server; the issue requires that this is never the case.
     */
    static final double LOAD_TOOL_LIMIT = 0.9;

    private static final String RESULTS_HEADER = "| security | deflate | type | connections | size | depth | server"
            + " | msgs/s | MB/s | p50 µs | p99 µs | p99.9 µs | server CPU | load tool CPU | server µs/msg"
            + " | server alloc B/msg |";
    private static final String RESULTS_RULE = "|---|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
    private static final String RATIOS_HEADER = "| security | deflate | type | connections | size | depth"
            + " | best peer (msgs/s) | msgs/s websock ÷ peer | target | result"
            + " | best peer (p99) | p99 websock ÷ peer (lower is better) | target | result |";
    private static final String RATIOS_RULE = "|---|---|---|---:|---:|---:|---|---:|---|---|---|---:|---|---|";
    private static final String CSV_HEADER = "security,deflate,type,connections,size_bytes,depth,server,messages,"
            + "seconds,msgs_per_s,mb_per_s,p50_us,p99_us,p999_us,server_cpu_share,client_cpu_share,"
            + "server_us_per_msg,server_alloc_b_per_msg";

    private final List<Cell> cells;
    private final List<String> servers;
    private final List<Result> results;
    /** The result used for ratios and the chart, per cell and server. */
    private final Map<Cell, Map<String, Result>> byCell = new LinkedHashMap<>();
    private final List<Comparison> comparisons = new ArrayList<>();
    /** Cells with a target where websock or every peer is missing: no verdict, but not silently so. */
    private final List<Cell> uncompared = new ArrayList<>();
    /** One line per target missed, for the summary. */
    private final List<String> misses = new ArrayList<>();
    private int met;

    /**
     * @param cells   the cells in run order
     * @param results one per server and cell that ran, in any order
     */
    public LoadReport(List<Cell> cells, List<Result> results) {
        Set<Cell> allCells = new LinkedHashSet<>(cells);
        Set<String> allServers = new LinkedHashSet<>(KNOWN_SERVERS);
        for (Result result : results) {
            allCells.add(result.cell());
            allServers.add(result.server());
        }
        this.cells = List.copyOf(allCells);
        Set<String> present = results.stream().map(Result::server).collect(Collectors.toSet());
        this.servers = allServers.stream().filter(present::contains).toList();
        Map<Cell, Integer> cellOrder = new LinkedHashMap<>();
        this.cells.forEach(cell -> cellOrder.put(cell, cellOrder.size()));
        this.results = results.stream()
                .sorted(Comparator.comparingInt((Result r) -> cellOrder.get(r.cell()))
                        .thenComparingInt(r -> servers.indexOf(r.server())))
                .toList();
        for (Result result : this.results) {
            byCell.computeIfAbsent(result.cell(), c -> new LinkedHashMap<>()).put(result.server(), result);
        }
        for (Cell cell : this.cells) {
            Map<String, Result> row = byCell.getOrDefault(cell, Map.of());
            List<Result> peers = row.values().stream().filter(r -> !r.server().equals(WEBSOCK)).toList();
            Optional<Comparison> comparison = Comparison.of(row.get(WEBSOCK), peers);
            comparison.ifPresent(this::judge);
            if (comparison.isEmpty() && Target.of(cell).isPresent()) {
                uncompared.add(cell);
            }
        }
    }

    private void judge(Comparison comparison) {
        comparisons.add(comparison);
        if (comparison.target().isEmpty()) {
            return;
        }
        Target target = comparison.target().get();
        if (target.throughputMet(comparison.throughputRatio())) {
            met++;
        } else {
            misses.add(String.format(Locale.ROOT, "%s: msgs/s %s of %s's, target %s", comparison.cell(),
                    ratio(comparison.throughputRatio()), comparison.fastestPeer().server(), target.throughputBound()));
        }
        if (target.hasP99Bound()) {
            if (target.p99Met(comparison.p99Ratio())) {
                met++;
            } else {
                misses.add(String.format(Locale.ROOT, "%s: p99 %s of %s's, target %s", comparison.cell(),
                        ratio(comparison.p99Ratio()), comparison.quickestPeer().server(), target.p99Bound()));
            }
        }
    }

    /** Targets met: each msgs/s bound and each p99 bound of a compared cell counts as one. */
    public int targetsMet() {
        return met;
    }

    /** Targets missed, counted like {@link #targetsMet()}. */
    public int targetsMissed() {
        return misses.size();
    }

    /**
     * The markdown: every result, the ratios and targets, the summary line with the targets missed, and a warning
     * if the load tool may have been the limit anywhere. Lines without line terminators; blocks separated by an
     * empty line.
     */
    public List<String> markdown() {
        List<String> out = new ArrayList<>();
        out.add("Every result: rates over the measured interval; latency is one message's round trip; CPU is a share of"
                + " one core (100% = one core busy); — = not measured.");
        out.add("");
        out.add(RESULTS_HEADER);
        out.add(RESULTS_RULE);
        for (Result r : results) {
            out.add(String.format(Locale.ROOT, "%s %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |",
                    cellColumns(r.cell()), r.server(), number("%,.0f", r.messagesPerSecond()),
                    number("%.1f", r.megabytesPerSecond()), micros(r.p50Nanos()), micros(r.p99Nanos()),
                    micros(r.p999Nanos()), percent(r.serverCpuShare()), percent(r.clientCpuShare()),
                    number("%.2f", r.serverCpuMicrosPerMessage()), number("%.1f", r.serverAllocatedPerMessage())));
        }
        out.add("");
        out.add("websock against the best peer per cell: the peer with the most msgs/s for the rate, the one with the"
                + " lowest p99 for the tail.");
        out.add("");
        out.add(RATIOS_HEADER);
        out.add(RATIOS_RULE);
        for (Comparison c : comparisons) {
            Optional<Target> target = c.target();
            out.add(String.format(Locale.ROOT, "%s %s | %s | %s | %s | %s | %s | %s | %s |", cellColumns(c.cell()),
                    c.fastestPeer().server(), ratio(c.throughputRatio()),
                    target.map(Target::throughputBound).orElse("—"),
                    target.map(t -> verdict(t.throughputMet(c.throughputRatio()))).orElse("—"),
                    c.quickestPeer().server(), ratio(c.p99Ratio()), target.map(Target::p99Bound).orElse("—"),
                    target.filter(Target::hasP99Bound).map(t -> verdict(t.p99Met(c.p99Ratio()))).orElse("—")));
        }
        out.add("");
        out.add(String.format(Locale.ROOT, "**%d of %d targets met.**", met, met + misses.size()));
        if (!misses.isEmpty()) {
            out.add("");
            out.add("Missed:");
            misses.forEach(miss -> out.add("- " + miss));
        }
        if (!uncompared.isEmpty()) {
            out.add("");
            out.add("Not judged (websock or every peer missing), though the issue sets a target: "
                    + uncompared.stream().map(Cell::toString).collect(Collectors.joining("; ")) + ".");
        }
        loadToolNote(out);
        return out;
    }

    private void loadToolNote(List<String> out) {
        Map<Cell, List<Result>> saturated = new LinkedHashMap<>();
        for (Result r : results) {
            if (r.clientCpuShare() >= LOAD_TOOL_LIMIT) {
                saturated.computeIfAbsent(r.cell(), c -> new ArrayList<>()).add(r);
            }
        }
        if (saturated.isEmpty()) {
            return;
        }
        out.add("");
        out.add(String.format(Locale.ROOT, "> **The load tool may have been the limit** in %d of %d cells (its CPU ≥"
                + " %.0f%% of a core): there the numbers may measure the load tool, not the server, and the ratios"
                + " may be pulled towards 1×.", saturated.size(), cells.size(), LOAD_TOOL_LIMIT * 100));
        saturated.forEach((cell, rs) -> out.add("> - " + cell + ": " + rs.stream()
                .map(r -> r.server() + " " + percent(r.clientCpuShare())).collect(Collectors.joining(", "))));
    }

    /** One row per result, with a header; unknown values are empty fields. */
    public void writeCsv(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(CSV_HEADER);
        for (Result r : results) {
            Cell c = r.cell();
            lines.add(String.join(",", c.security(), String.valueOf(c.deflate()), type(c),
                    String.valueOf(c.connections()), String.valueOf(c.size()), String.valueOf(c.depth()),
                    csvText(r.server()), String.valueOf(r.messages()), csvNumber("%.6f", r.seconds()),
                    csvNumber("%.3f", r.messagesPerSecond()), csvNumber("%.6f", r.megabytesPerSecond()),
                    csvNumber("%.3f", r.p50Nanos() / 1e3), csvNumber("%.3f", r.p99Nanos() / 1e3),
                    csvNumber("%.3f", r.p999Nanos() / 1e3), csvNumber("%.4f", r.serverCpuShare()),
                    csvNumber("%.4f", r.clientCpuShare()), csvNumber("%.4f", r.serverCpuMicrosPerMessage()),
                    csvNumber("%.2f", r.serverAllocatedPerMessage())));
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    /**
     * A chart of every cell: msgs/s on top, p99 below, one bar per server (websock, netty, jetty in fixed colours),
     * both on log10 axes; a server missing from a cell leaves a gap.
     */
    public void writeSvg(Path file, String title) throws IOException {
        List<SvgChart.Series> series = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            String server = servers.get(i);
            series.add(new SvgChart.Series(server,
                    COLOURS.getOrDefault(server, SPARE_COLOURS.get(i % SPARE_COLOURS.size()))));
        }
        double[][] rates = new double[servers.size()][cells.size()];
        double[][] tails = new double[servers.size()][cells.size()];
        for (int s = 0; s < servers.size(); s++) {
            for (int c = 0; c < cells.size(); c++) {
                Result r = byCell.getOrDefault(cells.get(c), Map.of()).get(servers.get(s));
                rates[s][c] = r == null ? Double.NaN : r.messagesPerSecond();
                tails[s][c] = r == null ? Double.NaN : r.p99Nanos() / 1e3;
            }
        }
        SvgChart chart = new SvgChart(title, cells.stream().map(LoadReport::label).toList(), series);
        String svg = chart.render(List.of(
                new SvgChart.Panel("messages/s (higher is better)", "msgs/s", rates),
                new SvgChart.Panel("p99 round trip (µs, lower is better)", "µs", tails)));
        Files.writeString(file, svg, StandardCharsets.UTF_8);
    }

    /** A short label for the chart: "plain bin 100c 1KiB d16", "tls+defl txt 1c 32B d1". */
    static String label(Cell cell) {
        return String.format(Locale.ROOT, "%s%s %s %dc %s d%d", cell.security(), cell.deflate() ? "+defl" : "",
                cell.text() ? "txt" : "bin", cell.connections(), Cell.size(cell.size()).replace(" ", ""),
                cell.depth());
    }

    // ---------------------------------------------------------------- formatting

    /** The first six columns of both tables, with the separator that opens the next column. */
    private static String cellColumns(Cell cell) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %d | %s | %d |", cell.security(),
                cell.deflate() ? "on" : "off", type(cell), cell.connections(), Cell.size(cell.size()), cell.depth());
    }

    private static String type(Cell cell) {
        return cell.text() ? "text" : "binary";
    }

    private static String verdict(boolean met) {
        return met ? "PASS" : "**FAIL**";
    }

    private static String ratio(double value) {
        return number("%.2f×", value);
    }

    private static String micros(long nanos) {
        return number("%,.1f", nanos / 1e3);
    }

    private static String percent(double share) {
        return number("%.0f%%", share * 100);
    }

    /** "—" for what was not measured (NaN) or cannot be divided (infinite). */
    private static String number(String pattern, double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, pattern, value) : "—";
    }

    private static String csvNumber(String pattern, double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, pattern, value) : "";
    }

    /** RFC 4180: quoted when it holds a comma, a quote or a line break. */
    private static String csvText(String text) {
        return text.matches("[^,\"\r\n]*") ? text : '"' + text.replace("\"", "\"\"") + '"';
    }
}
