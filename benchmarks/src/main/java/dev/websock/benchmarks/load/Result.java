package dev.websock.benchmarks.load;

/**
 * What one server did in one cell. Rates cover the measured interval only; latency is the round trip of one
 * message, from issuing it (before its first byte is written) until its last byte is back.
 *
 * @param server                the server's name: {@code websock}, {@code netty} or {@code jetty}
 * @param messages              messages echoed in the measured interval
 * @param seconds               length of the measured interval
 * @param p50Nanos              median round trip
 * @param p99Nanos              99th percentile round trip
 * @param p999Nanos             99.9th percentile round trip
 * @param serverCpuShare        CPU time of the server process over the interval, as a share of one core (NaN: unknown)
 * @param clientCpuShare        CPU time of the load generator's process, the same way
 * @param serverAllocatedBytes  bytes allocated by all the server's threads over the interval (-1: unknown)
 */
public record Result(Cell cell, String server, long messages, double seconds, long p50Nanos, long p99Nanos,
        long p999Nanos, double serverCpuShare, double clientCpuShare, long serverAllocatedBytes) {

    public double messagesPerSecond() {
        return messages / seconds;
    }

    /** Payload megabytes (10⁶ bytes) per second, one way. */
    public double megabytesPerSecond() {
        return messagesPerSecond() * cell.size() / 1e6;
    }

    /** Server CPU time per message, in microseconds: its cost, whichever side limits the rate. */
    public double serverCpuMicrosPerMessage() {
        return serverCpuShare * seconds * 1e6 / messages;
    }

    public double serverAllocatedPerMessage() {
        return serverAllocatedBytes < 0 ? Double.NaN : (double) serverAllocatedBytes / messages;
    }
}
