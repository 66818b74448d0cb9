package dev.websock.benchmarks.load;

import java.util.Locale;

/**
 * One cell of the WebSocket load matrix: how the connections are made ({@code tls}, {@code deflate}), how many,
 * and what each keeps in flight ({@code depth} messages of {@code size} payload bytes, text or binary).
 */
public record Cell(boolean tls, boolean deflate, boolean text, int connections, int size, int depth) {

    /** Bytes of payload in flight at once, one way: what the servers must hold when they all arrive together. */
    public long bytesInFlight() {
        return (long) connections * depth * size;
    }

    /** "plain" or "tls". */
    public String security() {
        return tls ? "tls" : "plain";
    }

    /** 32 B, 1 KiB, 64 KiB, 1 MiB. */
    public static String size(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return bytes / (1 << 20) + " MiB";
        }
        return bytes >= 1024 && bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " B";
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s%s, %d conn, %s %s, depth %d", security(), deflate ? "+deflate" : "",
                connections, size(size), text ? "text" : "binary", depth);
    }
}
