package dev.websock.benchmarks.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A benchmark server JVM (its main calls {@link ServerConsole#serve}), driven by commands on its standard input. */
public final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final BufferedReader in;
    private final PrintWriter commands;

    private ServerProcess(Process process) throws IOException {
        this.process = process;
        this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.US_ASCII);
        this.port = Integer.parseInt(reply("PORT")[1]);
    }

    /**
     * Starts {@code main} with {@code arguments} in a new JVM with this JVM's class path and {@code flags}, and waits
     * for its {@code PORT} line.
     *
     * @param wrapper a command that runs the server JVM, such as {@code strace -f -c -o FILE}; empty for none
     * @param cpu     the CPU to pin the server to with {@code taskset}, or {@code null} to leave it unpinned
     */
    public static ServerProcess start(Class<?> main, List<String> arguments, List<String> flags, List<String> wrapper,
            String cpu) throws IOException {
        List<String> command = new ArrayList<>();
        if (cpu != null) {
            command.addAll(List.of("taskset", "-c", cpu));
        }
        command.addAll(wrapper);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            return new ServerProcess(process);
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw new IOException("the server " + arguments + " did not start: " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** {bytes allocated by all threads, CPU nanoseconds of the process, bytes allocated by the event loops or -1}. */
    public long[] sample() throws IOException {
        String[] reply = command("STATS", "STATS");
        return new long[] {Long.parseLong(reply[1]), Long.parseLong(reply[3]), Long.parseLong(reply[4])};
    }

    public int connections() throws IOException {
        return Integer.parseInt(command("STATS", "STATS")[2]);
    }

    /** The resident set size of the server process (VmRSS), in bytes; -1 when /proc does not say. */
    public long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] fields = line.trim().split("\\s+");
                    return Long.parseLong(fields[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    /** Heap used and direct buffer bytes after garbage collection. */
    public long[] heap() throws IOException {
        String[] reply = command("HEAP", "HEAP");
        return new long[] {Long.parseLong(reply[1]), Long.parseLong(reply[2])};
    }

    public void awaitConnections(int expected) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int open;
        while ((open = connections()) != expected) {
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("the server has " + open + " connections open, expected " + expected);
            }
            try {
                Thread.sleep(open < expected ? 5 : 50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    /** Type name to {instances, bytes}, from {@code jcmd <pid> GC.class_histogram} (which collects first). */
    public Map<String, long[]> classHistogram() throws IOException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process run = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.class_histogram")
                .redirectErrorStream(true).start();
        Map<String, long[]> histogram = new HashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length >= 4 && fields[0].endsWith(":") && Character.isDigit(fields[0].charAt(0))) {
                    histogram.put(fields[3], new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[2])});
                }
            }
        }
        return histogram;
    }

    /**
     * Bytes the C heap (glibc malloc) has handed out and not had back, from {@code jcmd <pid>
     * System.native_heap_info} ({@code malloc_info}): the arenas' size less their free chunks, plus the chunks
     * mapped on their own. Where zlib's state lives, and unlike the resident set it does not count memory that was
     * freed but not given back to the system. -1 where the C library is not glibc.
     */
    public long nativeHeapInUse() throws IOException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process run = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "System.native_heap_info")
                .redirectErrorStream(true).start();
        String reply;
        try (InputStream output = run.getInputStream()) {
            reply = new String(output.readAllBytes(), StandardCharsets.UTF_8);
        }
        int totals = reply.lastIndexOf("</heap>");
        if (totals < 0) {
            return -1;
        }
        String summary = reply.substring(totals);
        long free = attribute(summary, "<total type=\"fast\"") + attribute(summary, "<total type=\"rest\"");
        return attribute(summary, "<system type=\"current\"") - free + attribute(summary, "<total type=\"mmap\"");
    }

    /** The {@code size} attribute of the element that starts with {@code start} in {@code xml}, or 0. */
    private static long attribute(String xml, String start) {
        int element = xml.indexOf(start);
        if (element < 0) {
            return 0;
        }
        int size = xml.indexOf("size=\"", element) + "size=\"".length();
        return Long.parseLong(xml.substring(size, xml.indexOf('"', size)));
    }

    private synchronized String[] command(String command, String expected) throws IOException {
        commands.println(command);
        return reply(expected);
    }

    private String[] reply(String expected) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith(expected + " ")) {
                return line.split(" ");
            }
            System.out.println("[server] " + line);
        }
        throw new IOException("the server JVM ended (exit code " + waitForExit() + ") while " + expected
                + " was expected");
    }

    private int waitForExit() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        commands.println("QUIT");
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
