package dev.websock.benchmarks.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of a benchmark ({@code --name=value}, or {@code --name} for true), and what every benchmark
 * driver shares: the server JVMs' flags, pinning this JVM to its core, the load average.
 */
public final class Options {
    /**
     * The flags of every server JVM: fixed heap, G1, what Netty needs for its fastest NIO path, and the Vector API
     * that websock's unmasking and UTF-8 validation use when it is there (as the README's server command runs it).
     */
    public static final List<String> SERVER_JVM_FLAGS = List.of(
            "-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "--add-modules=jdk.incubator.vector",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true", "-Dio.netty.leakDetection.level=disabled",
            "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");

    private final Map<String, String> values;

    private Options(Map<String, String> values) {
        this.values = values;
    }

    /** Parses {@code args}; throws {@link IllegalArgumentException} for anything that is not an option. */
    public static Options parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'; options look like --name=value");
            }
            int equals = arg.indexOf('=');
            values.put(equals < 0 ? arg.substring(2) : arg.substring(2, equals),
                    equals < 0 ? "true" : arg.substring(equals + 1));
        }
        return new Options(values);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String option(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public boolean flag(String name) {
        return bool(name, false);
    }

    public boolean bool(String name, boolean fallback) {
        return Boolean.parseBoolean(values.getOrDefault(name, Boolean.toString(fallback)));
    }

    public double number(String name, double fallback) {
        return Double.parseDouble(values.getOrDefault(name, Double.toString(fallback)));
    }

    public List<String> list(String name, String fallback) {
        return Arrays.stream(option(name, fallback).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public List<Integer> ints(String name, String fallback) {
        return list(name, fallback).stream().map(Integer::parseInt).toList();
    }

    /** {@link #SERVER_JVM_FLAGS} and whatever {@code --server-jvm-args} adds. */
    public List<String> serverFlags() {
        List<String> flags = new ArrayList<>(SERVER_JVM_FLAGS);
        String extra = values.get("server-jvm-args");
        if (extra != null && !extra.isBlank()) {
            flags.addAll(Arrays.asList(extra.trim().split("\\s+")));
        }
        return flags;
    }

    /** The command that {@code --server-wrapper} puts before each server JVM, such as {@code strace -f -c -o FILE}. */
    public List<String> serverWrapper() {
        String wrapper = values.get("server-wrapper");
        return wrapper == null || wrapper.isBlank() ? List.of() : Arrays.asList(wrapper.trim().split("\\s+"));
    }

    /** Pins every thread of this JVM to {@code --client-cpu} (default 1); false (and says why) when it cannot. */
    public boolean pinSelf() {
        String cpu = option("client-cpu", "1");
        if (Runtime.getRuntime().availableProcessors() < 2) {
            System.out.println("[bench] fewer than 2 CPUs: not pinned");
            return false;
        }
        try {
            Process process = new ProcessBuilder("taskset", "-a", "-p", "-c", cpu, Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                System.out.println("[bench] taskset failed (" + output.trim() + "): not pinned");
                return false;
            }
            return true;
        } catch (IOException | InterruptedException e) {
            System.out.println("[bench] taskset is not available (" + e.getMessage() + "): not pinned");
            return false;
        }
    }

    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2] + " (1, 5, 15 min)";
        } catch (IOException e) {
            return "unknown";
        }
    }
}
