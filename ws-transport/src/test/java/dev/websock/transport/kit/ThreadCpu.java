package dev.websock.transport.kit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The CPU time of one thread of this JVM, found by name, from Linux's {@code /proc/self/task}: a test that asks
 * whether an event loop blocks or spins must not count the CPU of every other thread of a busy test run (the
 * whole process's CPU time did, and failed under load). {@code java.management} is not among this module's
 * reads, hence {@code /proc} rather than {@code ThreadMXBean}.
 */
public final class ThreadCpu {

    /** Linux reports thread times in clock ticks of 1/USER_HZ s; USER_HZ is 100 on every architecture it runs. */
    private static final long TICK_NANOS = 10_000_000;

    private final Path stat;

    private ThreadCpu(Path stat) {
        this.stat = stat;
    }

    /** Whether this JVM can read its threads' CPU times (a Linux {@code /proc}). */
    public static boolean available() {
        return Files.isDirectory(Path.of("/proc/self/task"));
    }

    /**
     * The live thread of this JVM named {@code name}: the JVM gives the OS thread the Java thread's name, cut to
     * 15 bytes, so keep the name that short.
     *
     * @throws AssertionError when no such thread runs, or more than one does
     */
    public static ThreadCpu of(String name) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            List<Path> named = tasks.filter(task -> name.equals(comm(task))).toList();
            if (named.size() != 1) {
                throw new AssertionError(named.size() + " threads named " + name + " in /proc/self/task, not one");
            }
            return new ThreadCpu(named.getFirst().resolve("stat"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String comm(Path task) {
        try {
            return Files.readString(task.resolve("comm")).strip();
        } catch (IOException e) {
            return null; // the thread ended while we listed it
        }
    }

    /** User plus system CPU time the thread has used so far (proc(5): fields 14 and 15 of its stat). */
    public Duration used() {
        try {
            String line = Files.readString(stat);
            // The name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return Duration.ofNanos(ticks * TICK_NANOS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
